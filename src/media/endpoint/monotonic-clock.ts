import { performance } from 'node:perf_hooks';
import { type Clock, SystemClock, type TimerHandle } from '../../lib/index.js';

/**
 * A Clock whose now() is monotonic (performance.now(), milliseconds since process start), for
 * media pacing: a wall-clock step (NTP, an operator setting the date) must neither bunch up nor
 * stall 20 ms packets. Timers are Node's (unref'd), as in {@link SystemClock}.
 */
export class MonotonicClock implements Clock {
  readonly #timers = new SystemClock();

  now(): number {
    return performance.now();
  }

  setTimeout(fn: () => void, ms: number): TimerHandle {
    return this.#timers.setTimeout(fn, ms);
  }

  clearTimeout(handle: TimerHandle | undefined): void {
    this.#timers.clearTimeout(handle);
  }
}
