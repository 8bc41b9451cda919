export { busyFeature } from './busy-feature.js';
