import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TypedEmitter } from './typed-emitter.js';

type Events = { answered: [string]; ended: [number, string] };

test('a listener that throws does not stop the other listeners', () => {
  const emitter = new TypedEmitter<Events>();
  const seen: string[] = [];
  emitter.on('answered', () => {
    throw new Error('boom');
  });
  emitter.on('answered', (leg) => seen.push(leg));
  emitter.emit('answered', 'leg-1');
  assert.deepEqual(seen, ['leg-1']);
});

test('once() listeners run a single time and off() removes a listener', () => {
  const emitter = new TypedEmitter<Events>();
  const seen: number[] = [];
  emitter.once('ended', (code) => seen.push(code));
  const off = emitter.on('ended', (code) => seen.push(code * 10));
  emitter.emit('ended', 1, 'x');
  off();
  emitter.emit('ended', 2, 'y');
  assert.deepEqual(seen, [1, 10]);
  assert.equal(emitter.listenerCount('ended'), 0);
});
