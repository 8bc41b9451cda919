export { type Clock, type TimerHandle, SystemClock, FakeClock } from './clock.js';
export { type Logger, type LogFields, silentLogger } from './logger.js';
export { TypedEmitter, type EventMap } from './typed-emitter.js';
export { InvalidStateError, assert } from './errors.js';
export { randomToken, randomHex, uuid } from './ids.js';
