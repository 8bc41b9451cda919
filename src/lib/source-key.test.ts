import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { sourceKey } from './source-key.js';
import { LruMap } from './lru-map.js';

describe('sourceKey', () => {
  const cases: Array<[string, string]> = [
    ['192.0.2.1', '192.0.2.1'],
    [' 192.0.2.1 ', '192.0.2.1'],
    ['::ffff:192.0.2.1', '192.0.2.1'],
    ['::FFFF:192.0.2.1', '192.0.2.1'],
    ['2001:db8:0:1::5', '2001:db8:0:1::/64'],
    ['2001:0DB8:0000:0001:ffff:0:0:1', '2001:db8:0:1::/64'],
    ['[2001:db8:0:1::5]', '2001:db8:0:1::/64'],
    ['fe80::1%eth0', 'fe80:0:0:0::/64'],
    ['::1', '0:0:0:0::/64'],
    ['64:ff9b::192.0.2.1', '64:ff9b:0:0::/64'],
    ['2001:db8:1:2:3:4:5:6', '2001:db8:1:2::/64'],
    ['Not-An-Address', 'not-an-address'],
  ];
  for (const [input, key] of cases) {
    it(`keys ${JSON.stringify(input)} as ${key}`, () => {
      assert.equal(sourceKey(input), key);
    });
  }

  it('cuts unknown strings to 64 characters', () => {
    assert.equal(sourceKey('x'.repeat(500)).length, 64);
  });
});

describe('LruMap', () => {
  it('evicts the least recently used entry beyond its bound and reports it', () => {
    const evicted: string[] = [];
    const lru = new LruMap<string, number>(2, (k) => evicted.push(k));
    lru.set('a', 1);
    lru.set('b', 2);
    lru.get('a');
    lru.set('c', 3);
    assert.deepEqual(evicted, ['b']);
    assert.equal(lru.size, 2);
    assert.equal(lru.peek('a'), 1);
    assert.deepEqual(lru.oldest(), ['a', 1]);
  });

  it('refuses a bound below 1', () => {
    assert.throws(() => new LruMap(0), RangeError);
  });
});
