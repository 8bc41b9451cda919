import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { DomainError } from './domain-error.js';
import { encodeCursor, resolvePageRequest, toPage } from './pagination.js';

describe('pagination', () => {
  test('limit defaults to 50 and accepts 1–200', () => {
    assert.equal(resolvePageRequest(undefined, 1).limit, 50);
    assert.equal(resolvePageRequest({ limit: 1 }, 1).limit, 1);
    assert.equal(resolvePageRequest({ limit: 200 }, 1).limit, 200);
    for (const limit of [0, 201, 1.5, -3]) {
      assert.throws(() => resolvePageRequest({ limit }, 1), (e: unknown) => e instanceof DomainError && e.code === 'PAGE_LIMIT_INVALID');
    }
  });

  test('a cursor decodes to the key it was made from', () => {
    assert.deepEqual(resolvePageRequest({ cursor: encodeCursor(['a', 'b']) }, 2).after, ['a', 'b']);
  });

  test('foreign or malformed cursors are refused with CURSOR_INVALID', () => {
    for (const cursor of ['%%%', encodeCursor(['a']), Buffer.from('{"a":1}').toString('base64url'), Buffer.from('[1,2]').toString('base64url')]) {
      assert.throws(() => resolvePageRequest({ cursor }, 2), (e: unknown) => e instanceof DomainError && e.code === 'CURSOR_INVALID');
    }
  });

  test('toPage gives a cursor only when there was one more row', () => {
    assert.deepEqual(toPage([1, 2, 3], 2, (n) => [String(n)]), { items: [1, 2], nextCursor: encodeCursor(['2']) });
    assert.deepEqual(toPage([1, 2], 2, (n) => [String(n)]), { items: [1, 2], nextCursor: null });
  });
});
