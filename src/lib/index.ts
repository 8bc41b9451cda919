export { type Clock, type TimerHandle, SystemClock, FakeClock } from './clock.js';
export { type Logger, type LogFields, silentLogger } from './logger.js';
export { TypedEmitter, type EventMap } from './typed-emitter.js';
export { InvalidStateError, StoreUnavailableError, assert } from './errors.js';
export { randomToken, randomHex, uuid } from './ids.js';
export { LruMap } from './lru-map.js';
export { sourceKey } from './source-key.js';
export { detachedString } from './detached-string.js';
export {
  FailureTracker,
  type FailureTrackerOptions,
  type FailureLimit,
  type FailureTrackerEvents,
  type Block,
  type BlockScope,
  DEFAULT_SOURCE_LIMIT,
  DEFAULT_SOURCE_EXTENSION_LIMIT,
  DEFAULT_EXTENSION_LIMIT,
} from './failure-tracker.js';
export { RateLimiter, type RateLimit } from './rate-limiter.js';
