export { unavailableFeature } from './unavailable-feature.js';
