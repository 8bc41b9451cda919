export type {
  Action,
  CallContext,
  CallerInfo,
  CallFeature,
  CallReason,
  ContinueAction,
  Decision,
  ForwardAction,
  ForwardDestination,
  ForwardHop,
  ForwardReason,
  RejectAction,
  RejectStatus,
  RingDevicesAction,
} from './types.js';
export { DEFAULT_CALL_FEATURES, runChain, runChainDetailed, defaultOutcome, type ChainResult } from './chain.js';
export { unavailableFeature } from './unavailable/index.js';
export { busyFeature } from './busy/index.js';
export { callWaitingFeature, waitingAllowed } from './call-waiting/index.js';
export { ringTimeFeature } from './ring-time/index.js';
export { noAnswerFeature } from './no-answer/index.js';
export { returnAfterFeature } from './return-after/index.js';
export {
  applyForwardingRule,
  defaultHandling,
  MAX_FORWARD_HOPS,
  countedHops,
  visitedExtensions,
  forwardRefusal,
  withHop,
  diversionValues,
  diversionReason,
  historyInfoValues,
  historyInfoCause,
  type ForwardCondition,
  type ForwardRefusal,
} from './forwarding/index.js';
export {
  internalCallerIdentity,
  internalFromValue,
  internalCallerInfo,
  escapeUser,
  escapeParamValue,
  quoteDisplayName,
  sipUri,
  nameAddr,
  type InternalCallerIdentity,
} from './caller-id/index.js';
