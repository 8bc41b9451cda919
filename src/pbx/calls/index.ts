export { CallEngine, type CallEngineOptions } from './call-engine.js';
export { Call, CallState } from './call.js';
export type { ActiveCall, ActiveCallMedia, DestinationHandler, CallEnvironment, CallStart, MediaSummary } from './call-types.js';
export { routeDialled, type DialRoute } from './dial-plan.js';
export { CdrQueue, type CdrQueueOptions } from './cdr-queue.js';
