import type { Clock } from './clock.js';
import { LruMap } from './lru-map.js';

/** A token bucket's size: `perSecond` tokens flow in each second, at most `burst` are held. */
export interface RateLimit {
  readonly perSecond: number;
  readonly burst: number;
}

interface Bucket {
  tokens: number;
  at: number;
}

/**
 * Token buckets per key (e.g. per source address): each event takes one token; an event with no token left is
 * refused. A key unseen for a while starts full. Memory is bounded: at most `maxKeys` buckets (least recently
 * used dropped first — a dropped bucket starts full again, which only ever errs towards letting traffic in).
 */
export class RateLimiter {
  readonly #limit: RateLimit;
  readonly #clock: Clock;
  readonly #buckets: LruMap<string, Bucket>;

  constructor(limit: RateLimit, clock: Clock, maxKeys = 10_000) {
    if (!(limit.perSecond > 0) || !(limit.burst >= 1)) throw new RangeError('a rate limit needs perSecond > 0 and burst ≥ 1');
    this.#limit = limit;
    this.#clock = clock;
    this.#buckets = new LruMap(maxKeys);
  }

  /** Takes a token for `key`: true when there was one (the event may go on). */
  take(key: string): boolean {
    const now = this.#clock.now();
    const bucket = this.#buckets.get(key) ?? { tokens: this.#limit.burst, at: now };
    bucket.tokens = Math.min(this.#limit.burst, bucket.tokens + ((now - bucket.at) / 1000) * this.#limit.perSecond);
    bucket.at = now;
    const allowed = bucket.tokens >= 1;
    if (allowed) bucket.tokens -= 1;
    this.#buckets.set(key, bucket);
    return allowed;
  }
}
