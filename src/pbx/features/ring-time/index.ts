export { ringTimeFeature } from './ring-time-feature.js';
