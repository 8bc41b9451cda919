export { returnAfterFeature } from './return-after-feature.js';
