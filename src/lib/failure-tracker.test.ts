import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { FakeClock } from './clock.js';
import { DEFAULT_EXTENSION_LIMIT, DEFAULT_SOURCE_LIMIT, FailureTracker } from './failure-tracker.js';

const REALM = 'acme.pbx.example.com';

function setup(maxEntries?: number): { clock: FakeClock; tracker: FailureTracker } {
  const clock = new FakeClock();
  return { clock, tracker: new FailureTracker({ clock, ...(maxEntries ? { maxEntries } : {}) }) };
}

function fail(tracker: FailureTracker, times: number, source: string, username: string): void {
  for (let i = 0; i < times; i++) tracker.recordFailure(source, REALM, username);
}

describe('FailureTracker', () => {
  it('documents its default thresholds', () => {
    assert.deepEqual(DEFAULT_SOURCE_LIMIT, { maxFailures: 10, windowMs: 60_000, blockMs: 300_000 });
    assert.deepEqual(DEFAULT_EXTENSION_LIMIT, { maxFailures: 20, windowMs: 300_000, blockMs: 300_000 });
  });

  describe('per source', () => {
    it('blocks a source for 5 min at its 10th failure within 60 s, for every extension it tries', () => {
      const { clock, tracker } = setup();
      fail(tracker, 9, '192.0.2.1', '100');
      assert.equal(tracker.blocked('192.0.2.1', REALM, '100'), undefined);
      tracker.recordFailure('192.0.2.1', REALM, '101');
      const block = tracker.blocked('192.0.2.1', REALM, '999');
      assert.deepEqual(block, { scope: 'source', until: clock.now() + 300_000 });
      assert.equal(tracker.blocked('192.0.2.2', REALM, '999'), undefined, 'another source is not blocked');
    });

    it('unblocks the source when the block ends', () => {
      const { clock, tracker } = setup();
      fail(tracker, 10, '192.0.2.1', '100');
      clock.advance(299_999);
      assert.ok(tracker.blocked('192.0.2.1', REALM, '100'));
      clock.advance(1);
      assert.equal(tracker.blocked('192.0.2.1', REALM, '100'), undefined);
    });

    it('does not block failures spread wider than the 60 s window', () => {
      const { clock, tracker } = setup();
      for (let i = 0; i < 30; i++) {
        tracker.recordFailure('192.0.2.1', REALM, `u${i}`);
        clock.advance(7_000);
      }
      assert.equal(tracker.blocked('192.0.2.1', REALM, 'x'), undefined);
    });

    it('doubles the block each time it recurs, up to 1 h, and starts over after 24 h', () => {
      const { clock, tracker } = setup();
      const lengths: number[] = [];
      for (let round = 0; round < 6; round++) {
        fail(tracker, 10, '192.0.2.1', `r${round}`);
        const block = tracker.blocked('192.0.2.1', REALM, 'x');
        assert.ok(block);
        lengths.push(block.until - clock.now());
        clock.advance(block.until - clock.now());
      }
      assert.deepEqual(lengths, [300_000, 600_000, 1_200_000, 2_400_000, 3_600_000, 3_600_000]);
      clock.advance(86_400_001);
      fail(tracker, 10, '192.0.2.1', 'later');
      assert.equal(tracker.blocked('192.0.2.1', REALM, 'x')?.until, clock.now() + 300_000);
    });

    it('counts an IPv6 /64 as one source', () => {
      const { tracker } = setup();
      for (let i = 0; i < 10; i++) tracker.recordFailure(`2001:db8:aa:bb::${i + 1}`, REALM, '100');
      assert.equal(tracker.blocked('2001:db8:aa:bb:ffff::1', REALM, '200')?.scope, 'source');
      assert.equal(tracker.blocked('2001:db8:aa:bc::1', REALM, '200'), undefined);
    });
  });

  describe('per extension', () => {
    it('blocks an extension for new sources at its 20th failure within 5 min, from any sources', () => {
      const { clock, tracker } = setup();
      for (let i = 0; i < 19; i++) tracker.recordFailure(`198.51.100.${i + 1}`, REALM, '100');
      assert.equal(tracker.blocked('203.0.113.5', REALM, '100'), undefined);
      tracker.recordFailure('198.51.100.50', REALM, '100');
      assert.deepEqual(tracker.blocked('203.0.113.5', REALM, '100'), { scope: 'extension', until: clock.now() + 300_000 });
      assert.equal(tracker.blocked('203.0.113.5', REALM, '101'), undefined, 'other extensions are not blocked');
      assert.equal(tracker.blocked('203.0.113.5', 'other.example.com', '100'), undefined, 'same number in another tenant');
    });

    it('treats the username case-insensitively', () => {
      const { tracker } = setup();
      for (let i = 0; i < 20; i++) tracker.recordFailure(`198.51.100.${i + 1}`, REALM, i % 2 ? 'Alice' : 'alice');
      assert.equal(tracker.blocked('203.0.113.5', REALM, 'ALICE')?.scope, 'extension');
    });

    it('unblocks the extension after the block', () => {
      const { clock, tracker } = setup();
      for (let i = 0; i < 20; i++) tracker.recordFailure(`198.51.100.${i + 1}`, REALM, '100');
      clock.advance(300_000);
      assert.equal(tracker.blocked('203.0.113.5', REALM, '100'), undefined);
    });

    it('counts unknown usernames exactly like existing ones', () => {
      const { tracker } = setup();
      for (let i = 0; i < 20; i++) tracker.recordFailure(`198.51.100.${i + 1}`, REALM, 'no-such-extension');
      assert.equal(tracker.blocked('203.0.113.5', REALM, 'no-such-extension')?.scope, 'extension');
    });
  });

  describe('trusted pairs', () => {
    it('a source that authenticated as the extension stays allowed while the extension and even the source are blocked', () => {
      const { tracker } = setup();
      tracker.recordSuccess('192.0.2.10', REALM, '100');
      for (let i = 0; i < 20; i++) tracker.recordFailure(`198.51.100.${i + 1}`, REALM, '100');
      fail(tracker, 10, '192.0.2.10', '555');
      assert.equal(tracker.blocked('192.0.2.10', REALM, '100'), undefined);
      assert.equal(tracker.blocked('192.0.2.10', REALM, '101')?.scope, 'source');
      assert.equal(tracker.blocked('192.0.2.11', REALM, '100')?.scope, 'extension');
    });

    it('a failure of the pair revokes its exemption', () => {
      const { tracker } = setup();
      tracker.recordSuccess('192.0.2.10', REALM, '100');
      fail(tracker, 10, '192.0.2.10', '100');
      assert.equal(tracker.blocked('192.0.2.10', REALM, '100')?.scope, 'source');
    });

    it('the exemption lapses 24 h after the last success', () => {
      const { clock, tracker } = setup();
      tracker.recordSuccess('192.0.2.10', REALM, '100');
      clock.advance(86_400_001);
      fail(tracker, 10, '192.0.2.10', '555');
      assert.equal(tracker.blocked('192.0.2.10', REALM, '100')?.scope, 'source');
    });

    it('a success does not clear the source failures (no reset with one valid account)', () => {
      const { tracker } = setup();
      fail(tracker, 9, '192.0.2.1', '200');
      tracker.recordSuccess('192.0.2.1', REALM, '100');
      tracker.recordFailure('192.0.2.1', REALM, '201');
      assert.equal(tracker.blocked('192.0.2.1', REALM, '202')?.scope, 'source');
    });
  });

  describe('memory', () => {
    it('keeps at most maxEntries sources, extensions and trusted extensions', () => {
      const { tracker } = setup(50);
      for (let i = 0; i < 1000; i++) {
        tracker.recordFailure(`10.0.${i >> 8}.${i & 255}`, REALM, `ext${i}`);
        tracker.recordSuccess(`10.1.${i >> 8}.${i & 255}`, REALM, `ok${i}`);
      }
      assert.deepEqual(tracker.sizes, { sources: 50, extensions: 50, trusted: 50 });
    });

    it('keeps at most 8 trusted sources per extension', () => {
      const { tracker } = setup();
      for (let i = 1; i <= 20; i++) tracker.recordSuccess(`192.0.2.${i}`, REALM, '100');
      for (let i = 0; i < 20; i++) tracker.recordFailure(`198.51.100.${i + 1}`, REALM, '100');
      const allowed = Array.from({ length: 20 }, (_, i) => tracker.blocked(`192.0.2.${i + 1}`, REALM, '100') === undefined);
      assert.deepEqual(allowed, [...Array<boolean>(12).fill(false), ...Array<boolean>(8).fill(true)]);
    });

    it('a long-running noisy source and extension stay one entry each', () => {
      const { clock, tracker } = setup();
      for (let i = 0; i < 10_000; i++) {
        tracker.recordFailure('192.0.2.1', REALM, '100');
        clock.advance(7_000);
      }
      assert.deepEqual(tracker.sizes, { sources: 1, extensions: 1, trusted: 0 });
    });
  });
});
