export { noAnswerFeature } from './no-answer-feature.js';
