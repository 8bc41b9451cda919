import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FakeClock } from './clock.js';

test('FakeClock fires due timers in order of due time when advanced', () => {
  const clock = new FakeClock(0);
  const fired: string[] = [];
  clock.setTimeout(() => fired.push('b'), 200);
  clock.setTimeout(() => fired.push('a'), 100);
  clock.setTimeout(() => fired.push('c'), 300);
  clock.advance(250);
  assert.deepEqual(fired, ['a', 'b']);
  assert.equal(clock.now(), 250);
  assert.equal(clock.pending, 1);
});

test('FakeClock fires timers scheduled by a firing timer within the same advance', () => {
  const clock = new FakeClock(0);
  const fired: number[] = [];
  clock.setTimeout(() => {
    fired.push(clock.now());
    clock.setTimeout(() => fired.push(clock.now()), 50);
  }, 100);
  clock.advance(200);
  assert.deepEqual(fired, [100, 150]);
});

test('a cleared timer never fires', () => {
  const clock = new FakeClock(0);
  let fired = false;
  const handle = clock.setTimeout(() => (fired = true), 10);
  clock.clearTimeout(handle);
  clock.advance(100);
  assert.equal(fired, false);
  assert.equal(clock.pending, 0);
});
