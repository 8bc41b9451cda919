export { callWaitingFeature } from './call-waiting-feature.js';
export { waitingAllowed } from './waiting-allowed.js';
