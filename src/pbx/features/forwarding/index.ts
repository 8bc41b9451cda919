export { applyForwardingRule, type ForwardCondition } from './apply-forwarding-rule.js';
export { defaultHandling } from './default-handling.js';
export {
  MAX_FORWARD_HOPS,
  countedHops,
  visitedExtensions,
  forwardRefusal,
  withHop,
  type ForwardRefusal,
} from './forwarding-limits.js';
export { diversionValues, diversionReason } from './diversion.js';
export { historyInfoValues, historyInfoCause } from './history-info.js';
