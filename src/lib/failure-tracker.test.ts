import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { FakeClock } from './clock.js';
import {
  DEFAULT_EXTENSION_LIMIT,
  DEFAULT_SOURCE_EXTENSION_LIMIT,
  DEFAULT_SOURCE_LIMIT,
  FailureTracker,
  type Block,
} from './failure-tracker.js';
import type { Logger, LogFields } from './logger.js';

const REALM = 'acme.pbx.example.com';

function setup(maxEntries?: number): { clock: FakeClock; tracker: FailureTracker; started: Block[] } {
  const clock = new FakeClock();
  const tracker = new FailureTracker({ clock, ...(maxEntries ? { maxEntries } : {}) });
  const started: Block[] = [];
  tracker.events.on('blocked', (b) => started.push(b));
  return { clock, tracker, started };
}

function fail(tracker: FailureTracker, times: number, source: string, username: string): void {
  for (let i = 0; i < times; i++) tracker.recordFailure(source, REALM, username);
}

/** Failures from `source` cycling through `names` usernames (a scanner). */
function scan(tracker: FailureTracker, times: number, source: string, names: number): void {
  for (let i = 0; i < times; i++) tracker.recordFailure(source, REALM, `u${i % names}`);
}

describe('FailureTracker', () => {
  it('documents its default thresholds', () => {
    assert.deepEqual(DEFAULT_SOURCE_LIMIT, { maxFailures: 10, windowMs: 60_000, blockMs: 300_000, minUsernames: 3 });
    assert.deepEqual(DEFAULT_SOURCE_EXTENSION_LIMIT, { maxFailures: 10, windowMs: 60_000, blockMs: 300_000 });
    assert.deepEqual(DEFAULT_EXTENSION_LIMIT, { maxFailures: 20, windowMs: 300_000, blockMs: 300_000 });
  });

  describe('one source guessing one extension (a misconfigured phone behind a NAT)', () => {
    it('blocks only that extension from that source at its 10th failure within 60 s, for 5 min', () => {
      const { clock, tracker } = setup();
      fail(tracker, 9, '192.0.2.1', '101');
      assert.equal(tracker.blocked('192.0.2.1', REALM, '101'), undefined);
      tracker.recordFailure('192.0.2.1', REALM, '101');
      const block = tracker.blocked('192.0.2.1', REALM, '101');
      assert.equal(block?.scope, 'source-extension');
      assert.equal(block?.until, clock.now() + 300_000);
      assert.equal(tracker.blocked('192.0.2.1', REALM, '102'), undefined, 'colleagues behind the same address are not blocked');
      assert.equal(tracker.blocked('192.0.2.2', REALM, '101'), undefined, 'the extension from elsewhere is not blocked');
      clock.advance(300_000);
      assert.equal(tracker.blocked('192.0.2.1', REALM, '101'), undefined);
    });

    it('two misconfigured extensions behind one address are two blocks, not a source block', () => {
      const { tracker } = setup();
      for (let i = 0; i < 10; i++) {
        tracker.recordFailure('192.0.2.1', REALM, '101');
        tracker.recordFailure('192.0.2.1', REALM, '102');
      }
      assert.equal(tracker.blocked('192.0.2.1', REALM, '101')?.scope, 'source-extension');
      assert.equal(tracker.blocked('192.0.2.1', REALM, '102')?.scope, 'source-extension');
      assert.equal(tracker.blocked('192.0.2.1', REALM, '103'), undefined);
    });
  });

  describe('a source trying several extensions (a scanner)', () => {
    it('blocks the source for every extension at its 10th failure within 60 s naming at least 3 usernames', () => {
      const { clock, tracker } = setup();
      scan(tracker, 9, '192.0.2.1', 9);
      assert.equal(tracker.blocked('192.0.2.1', REALM, '999'), undefined);
      tracker.recordFailure('192.0.2.1', REALM, 'u9');
      const block = tracker.blocked('192.0.2.1', REALM, '999');
      assert.equal(block?.scope, 'source');
      assert.equal(block?.until, clock.now() + 300_000);
      assert.equal(tracker.blocked('192.0.2.2', REALM, '999'), undefined, 'another source is not blocked');
    });

    it('unknown usernames count like existing ones, and three are enough', () => {
      const { tracker } = setup();
      scan(tracker, 10, '192.0.2.1', 3);
      assert.equal(tracker.blocked('192.0.2.1', REALM, 'anything')?.scope, 'source');
    });

    it('unblocks the source when the block ends', () => {
      const { clock, tracker } = setup();
      scan(tracker, 10, '192.0.2.1', 10);
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
        scan(tracker, 10, '192.0.2.1', 10);
        const block = tracker.blocked('192.0.2.1', REALM, 'x');
        assert.ok(block);
        lengths.push(block.until - clock.now());
        clock.advance(block.until - clock.now());
      }
      assert.deepEqual(lengths, [300_000, 600_000, 1_200_000, 2_400_000, 3_600_000, 3_600_000]);
      clock.advance(86_400_001);
      scan(tracker, 10, '192.0.2.1', 10);
      assert.equal(tracker.blocked('192.0.2.1', REALM, 'x')?.until, clock.now() + 300_000);
    });

    it('counts an IPv6 /64 as one source', () => {
      const { tracker } = setup();
      for (let i = 0; i < 10; i++) tracker.recordFailure(`2001:db8:aa:bb::${i + 1}`, REALM, `u${i}`);
      assert.equal(tracker.blocked('2001:db8:aa:bb:ffff::1', REALM, '200')?.scope, 'source');
      assert.equal(tracker.blocked('2001:db8:aa:bc::1', REALM, '200'), undefined);
    });
  });

  describe('one extension guessed from many sources', () => {
    it('blocks the extension for new sources at its 20th failure within 5 min', () => {
      const { clock, tracker } = setup();
      for (let i = 0; i < 19; i++) tracker.recordFailure(`198.51.100.${i + 1}`, REALM, '100');
      assert.equal(tracker.blocked('203.0.113.5', REALM, '100'), undefined);
      tracker.recordFailure('198.51.100.50', REALM, '100');
      const block = tracker.blocked('203.0.113.5', REALM, '100');
      assert.equal(block?.scope, 'extension');
      assert.equal(block?.until, clock.now() + 300_000);
      assert.equal(block?.source, '198.51.100.50', 'names the source whose failure started it');
      assert.equal(tracker.blocked('203.0.113.5', REALM, '101'), undefined, 'other extensions are not blocked');
      assert.equal(tracker.blocked('203.0.113.5', 'other.example.com', '100'), undefined, 'same number in another tenant');
      clock.advance(300_000);
      assert.equal(tracker.blocked('203.0.113.5', REALM, '100'), undefined);
    });

    it('treats the username case-insensitively', () => {
      const { tracker } = setup();
      for (let i = 0; i < 20; i++) tracker.recordFailure(`198.51.100.${i + 1}`, REALM, i % 2 ? 'Alice' : 'alice');
      assert.equal(tracker.blocked('203.0.113.5', REALM, 'ALICE')?.scope, 'extension');
    });
  });

  describe('trusted pairs', () => {
    it('a source that authenticated as the extension stays allowed while the extension and even the source are blocked', () => {
      const { tracker } = setup();
      tracker.recordSuccess('192.0.2.10', REALM, '100');
      for (let i = 0; i < 20; i++) tracker.recordFailure(`198.51.100.${i + 1}`, REALM, '100');
      scan(tracker, 10, '192.0.2.10', 10);
      assert.equal(tracker.blocked('192.0.2.10', REALM, '100'), undefined);
      assert.equal(tracker.blocked('192.0.2.10', REALM, '101')?.scope, 'source');
      assert.equal(tracker.blocked('192.0.2.11', REALM, '100')?.scope, 'extension');
    });

    it('a failure of the pair revokes its exemption: its own failures block it', () => {
      const { tracker } = setup();
      tracker.recordSuccess('192.0.2.10', REALM, '100');
      fail(tracker, 10, '192.0.2.10', '100');
      assert.equal(tracker.blocked('192.0.2.10', REALM, '100')?.scope, 'source-extension');
    });

    it('the exemption lapses 24 h after the last success', () => {
      const { clock, tracker } = setup();
      tracker.recordSuccess('192.0.2.10', REALM, '100');
      clock.advance(86_400_001);
      scan(tracker, 10, '192.0.2.10', 10);
      assert.equal(tracker.blocked('192.0.2.10', REALM, '100')?.scope, 'source');
    });

    it('a success does not clear the source failures (no reset with one valid account)', () => {
      const { tracker } = setup();
      scan(tracker, 9, '192.0.2.1', 9);
      tracker.recordSuccess('192.0.2.1', REALM, '100');
      tracker.recordFailure('192.0.2.1', REALM, '201');
      assert.equal(tracker.blocked('192.0.2.1', REALM, '202')?.scope, 'source');
    });
  });

  describe('block records', () => {
    it('reports each block once with its id, scope, source, realm, extension, failures and times, and logs it at warn', () => {
      const clock = new FakeClock();
      const warnings: { fields: LogFields; msg: string | undefined }[] = [];
      const logger: Logger = {
        trace: () => undefined,
        debug: () => undefined,
        info: () => undefined,
        warn: (fields, msg) => warnings.push({ fields, msg }),
        error: () => undefined,
        child: () => logger,
      };
      const tracker = new FailureTracker({ clock, logger });
      const started: Block[] = [];
      tracker.events.on('blocked', (b) => started.push(b));
      fail(tracker, 12, '192.0.2.1', '101');
      assert.equal(started.length, 1);
      const [block] = started;
      assert.ok(block);
      assert.match(block.id, /^[0-9a-f-]{36}$/);
      assert.deepEqual(
        { ...block, id: '' },
        { id: '', scope: 'source-extension', source: '192.0.2.1', realm: REALM, username: '101', failures: 10, since: clock.now(), until: clock.now() + 300_000 },
      );
      assert.equal(warnings.length, 1);
      assert.deepEqual(warnings[0]?.fields, {
        blockId: block.id,
        scope: 'source-extension',
        tenant: REALM,
        extension: '101',
        source: '192.0.2.1',
        failures: 10,
        since: new Date(clock.now()).toISOString(),
        until: new Date(clock.now() + 300_000).toISOString(),
      });
    });

    it('lists the blocks in force, and lift(id) ends one at once with a fresh count', () => {
      const { clock, tracker } = setup();
      fail(tracker, 10, '192.0.2.1', '101');
      clock.advance(1000);
      scan(tracker, 10, '192.0.2.9', 10);
      const active = tracker.activeBlocks();
      assert.deepEqual(active.map((b) => b.scope), ['source-extension', 'source']);
      const pair = active[0];
      assert.ok(pair);
      assert.equal(tracker.lift(pair.id)?.id, pair.id);
      assert.equal(tracker.blocked('192.0.2.1', REALM, '101'), undefined);
      assert.equal(tracker.lift(pair.id), undefined, 'a second lift finds nothing');
      fail(tracker, 9, '192.0.2.1', '101');
      assert.equal(tracker.blocked('192.0.2.1', REALM, '101'), undefined, 'the count started over');
      assert.deepEqual(tracker.activeBlocks().map((b) => b.scope), ['source']);
      clock.advance(300_000);
      assert.deepEqual(tracker.activeBlocks(), []);
    });

    it('restore() puts a stored block back in force (after a restart) and ignores ended ones', () => {
      const { clock, tracker } = setup();
      const now = clock.now();
      const base = { realm: REALM, username: '101', failures: 10, since: now - 1000 };
      tracker.restore({ ...base, id: 'a', scope: 'source', source: '192.0.2.1', until: now + 60_000 });
      tracker.restore({ ...base, id: 'b', scope: 'source-extension', source: '192.0.2.2', until: now + 60_000 });
      tracker.restore({ ...base, id: 'c', scope: 'extension', source: '192.0.2.3', until: now + 60_000 });
      tracker.restore({ ...base, id: 'd', scope: 'source', source: '192.0.2.4', until: now });
      assert.equal(tracker.blocked('192.0.2.1', REALM, '555')?.id, 'a');
      assert.equal(tracker.blocked('192.0.2.2', REALM, '101')?.id, 'b');
      assert.equal(tracker.blocked('192.0.2.2', REALM, '102'), undefined);
      assert.equal(tracker.blocked('203.0.113.1', REALM, '101')?.id, 'c');
      assert.equal(tracker.blocked('192.0.2.4', REALM, '555'), undefined);
      assert.deepEqual(tracker.activeBlocks().map((b) => b.id).sort(), ['a', 'b', 'c']);
      assert.equal(tracker.lift('c')?.id, 'c');
      assert.equal(tracker.blocked('203.0.113.1', REALM, '101'), undefined);
    });

    it('failures while a block is in force start no second block for the same key', () => {
      const { tracker, started } = setup();
      fail(tracker, 19, '192.0.2.1', '101');
      assert.deepEqual(started.map((b) => b.scope), ['source-extension']);
    });
  });

  describe('memory', () => {
    it('keeps at most maxEntries keys per table, and forgets the ids of evicted blocks', () => {
      const { tracker } = setup(50);
      for (let i = 0; i < 1000; i++) {
        fail(tracker, 10, `10.0.${i >> 8}.${i & 255}`, `ext${i}`);
        tracker.recordSuccess(`10.1.${i >> 8}.${i & 255}`, REALM, `ok${i}`);
      }
      assert.deepEqual(tracker.sizes, { sources: 50, pairs: 50, extensions: 50, trusted: 50 });
      assert.equal(tracker.activeBlocks().length, 50);
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
      assert.deepEqual(tracker.sizes, { sources: 1, pairs: 1, extensions: 1, trusted: 0 });
    });
  });
});
