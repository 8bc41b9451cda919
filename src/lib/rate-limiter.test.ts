import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { FakeClock } from './clock.js';
import { RateLimiter } from './rate-limiter.js';

describe('RateLimiter', () => {
  it('lets a burst through, then refuses until tokens flow back at the rate', () => {
    const clock = new FakeClock();
    const limiter = new RateLimiter({ perSecond: 10, burst: 5 }, clock);
    const first = Array.from({ length: 8 }, () => limiter.take('a'));
    assert.deepEqual(first, [true, true, true, true, true, false, false, false]);
    clock.advance(100); // one token
    assert.deepEqual([limiter.take('a'), limiter.take('a')], [true, false]);
    clock.advance(10_000); // refilled, but never above the burst
    assert.equal(Array.from({ length: 8 }, () => limiter.take('a')).filter(Boolean).length, 5);
  });

  it('keeps one bucket per key', () => {
    const clock = new FakeClock();
    const limiter = new RateLimiter({ perSecond: 1, burst: 1 }, clock);
    assert.equal(limiter.take('a'), true);
    assert.equal(limiter.take('a'), false);
    assert.equal(limiter.take('b'), true);
  });

  it('stays bounded: past maxKeys the least recently used bucket is forgotten (and starts full)', () => {
    const clock = new FakeClock();
    const limiter = new RateLimiter({ perSecond: 1, burst: 1 }, clock, 2);
    limiter.take('a');
    limiter.take('b');
    limiter.take('c'); // evicts a
    assert.equal(limiter.take('a'), true);
    assert.equal(limiter.take('c'), false);
  });

  it('refuses a limit that could never let anything through', () => {
    assert.throws(() => new RateLimiter({ perSecond: 0, burst: 5 }, new FakeClock()), RangeError);
    assert.throws(() => new RateLimiter({ perSecond: 5, burst: 0 }, new FakeClock()), RangeError);
  });
});
