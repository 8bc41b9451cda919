import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { FakeClock } from '../../lib/index.js';
import { NONCE_RECORD_OVERHEAD_BYTES, NonceManager } from './nonce-manager.js';

const SECRET = 'centrala-test-secret-0123456789';
const REALM = 'acme.pbx.example.com';
const SOURCE = '203.0.113.7';

function manager(
  clock = new FakeClock(),
  extra: { maxTracked?: number; maxTrackedBytes?: number; secret?: string | string[] } = {},
): NonceManager {
  return new NonceManager({
    secret: extra.secret ?? SECRET,
    clock,
    lifetimeMs: 300_000,
    maxTracked: extra.maxTracked ?? 1000,
    ...(extra.maxTrackedBytes !== undefined ? { maxTrackedBytes: extra.maxTrackedBytes } : {}),
  });
}

/** What one record costs in the accounting: the 28-character head of the nonce plus the overhead. */
const RECORD_BYTES = 28 + NONCE_RECORD_OVERHEAD_BYTES;

/** V8's collector, for the test that checks what the table keeps alive. */
function collector(): () => void {
  setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as () => void;
}

/** Flips one bit of the decoded nonce at `byte` and re-encodes it. */
function flip(nonce: string, byte: number): string {
  const bytes = Buffer.from(nonce, 'base64url');
  bytes.writeUInt8((bytes.readUInt8(byte) ^ 1) & 0xff, byte);
  return bytes.toString('base64url');
}

describe('NonceManager', () => {
  it('issues URL-safe nonces that verify for the same realm and source', () => {
    const nonces = manager();
    const nonce = nonces.issue(REALM, SOURCE);
    assert.match(nonce, /^[A-Za-z0-9_-]{71}$/);
    assert.deepEqual(nonces.check(nonce, REALM, SOURCE), { valid: true, issuedAt: 1_700_000_000_000, expired: false, sameSource: true });
  });

  it('issues a different nonce every time', () => {
    const nonces = manager();
    const seen = new Set(Array.from({ length: 100 }, () => nonces.issue(REALM, SOURCE)));
    assert.equal(seen.size, 100);
  });

  it('a nonce of one realm is invalid in another (tenants do not share nonces)', () => {
    const nonces = manager();
    assert.equal(nonces.check(nonces.issue('a.example.com', SOURCE), 'b.example.com', SOURCE).valid, false);
  });

  it('a nonce with any byte of its time stamp, random part or realm MAC flipped is invalid', () => {
    const nonces = manager();
    const nonce = nonces.issue(REALM, SOURCE);
    for (let byte = 0; byte < 37; byte++) {
      assert.equal(nonces.check(flip(nonce, byte), REALM, SOURCE).valid, false, `byte ${byte}`);
    }
  });

  it('a nonce with its source MAC altered is valid but not from the same source', () => {
    const nonces = manager();
    const check = nonces.check(flip(nonces.issue(REALM, SOURCE), 40), REALM, SOURCE);
    assert.equal(check.valid && check.sameSource, false);
    assert.equal(check.valid, true);
  });

  it('refuses nonces of the wrong length, alphabet or encoding without throwing', () => {
    const nonces = manager();
    const nonce = nonces.issue(REALM, SOURCE);
    for (const bad of ['', 'abc', nonce.slice(1), `${nonce}A`, nonce.replace(/.$/, '+'), `${nonce.slice(0, -1)}=`, '7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v']) {
      assert.equal(nonces.check(bad, REALM, SOURCE).valid, false, bad);
    }
  });

  it('a nonce from another server secret is invalid', () => {
    const other = manager(new FakeClock(), { secret: 'another-secret-of-enough-length' });
    assert.equal(manager().check(other.issue(REALM, SOURCE), REALM, SOURCE).valid, false);
  });

  it('after a secret rotation, nonces signed with the previous secret still verify', () => {
    const clock = new FakeClock();
    const old = manager(clock, { secret: 'previous-secret-0123456789' });
    const rotated = manager(clock, { secret: ['current-secret-0123456789ab', 'previous-secret-0123456789'] });
    assert.equal(rotated.check(old.issue(REALM, SOURCE), REALM, SOURCE).valid, true);
    assert.equal(old.check(rotated.issue(REALM, SOURCE), REALM, SOURCE).valid, false);
  });

  it('refuses a secret shorter than 16 bytes', () => {
    assert.throws(() => manager(new FakeClock(), { secret: 'short' }), RangeError);
    assert.throws(() => manager(new FakeClock(), { secret: [] }), RangeError);
  });

  it('is fresh up to its lifetime and expired after it', () => {
    const clock = new FakeClock();
    const nonces = manager(clock);
    const nonce = nonces.issue(REALM, SOURCE);
    clock.advance(300_000);
    const atLifetime = nonces.check(nonce, REALM, SOURCE);
    assert.equal(atLifetime.valid && !atLifetime.expired, true);
    clock.advance(1);
    const later = nonces.check(nonce, REALM, SOURCE);
    assert.equal(later.valid && later.expired, true);
  });

  it('a nonce stamped in the future (the clock stepped back) counts as expired', () => {
    const clock = new FakeClock(1_700_000_100_000);
    const nonce = manager(clock).issue(REALM, SOURCE);
    const check = manager(new FakeClock(1_700_000_000_000)).check(nonce, REALM, SOURCE);
    assert.equal(check.valid && check.expired, true);
  });

  it('tells whether the nonce is used by the source it was issued to', () => {
    const nonces = manager();
    const nonce = nonces.issue(REALM, '198.51.100.1');
    const elsewhere = nonces.check(nonce, REALM, '198.51.100.2');
    assert.equal(elsewhere.valid && !elsewhere.sameSource, true);
  });

  it('binds IPv6 sources by /64 and folds IPv4-mapped IPv6 into IPv4', () => {
    const nonces = manager();
    const v6 = nonces.issue(REALM, '2001:db8:1:2::10');
    const sameNet = nonces.check(v6, REALM, '2001:db8:1:2:aaaa:bbbb:cccc:dddd');
    const otherNet = nonces.check(v6, REALM, '2001:db8:1:3::10');
    assert.equal(sameNet.valid && sameNet.sameSource, true);
    assert.equal(otherNet.valid && otherNet.sameSource, false);
    const mapped = nonces.check(nonces.issue(REALM, '::ffff:192.0.2.9'), REALM, '192.0.2.9');
    assert.equal(mapped.valid && mapped.sameSource, true);
  });

  describe('nonce-count', () => {
    it('accepts increasing counts and refuses a repeated or lower one (replay)', () => {
      const nonces = manager();
      const nonce = nonces.issue(REALM, SOURCE);
      const issuedAt = 1_700_000_000_000;
      assert.equal(nonces.acceptCount(nonce, issuedAt, 1), true);
      assert.equal(nonces.acceptCount(nonce, issuedAt, 1), false);
      assert.equal(nonces.acceptCount(nonce, issuedAt, 2), true);
      assert.equal(nonces.acceptCount(nonce, issuedAt, 5), true);
      assert.equal(nonces.acceptCount(nonce, issuedAt, 3), false);
      assert.equal(nonces.acceptCount(nonce, issuedAt, 6), true);
    });

    it('counts each nonce separately', () => {
      const nonces = manager();
      const a = nonces.issue(REALM, SOURCE);
      const b = nonces.issue(REALM, SOURCE);
      assert.equal(nonces.acceptCount(a, 0, 1), true);
      assert.equal(nonces.acceptCount(b, 0, 1), true);
    });

    it('remembers at most maxTracked nonces, and refuses a nonce whose history may have been evicted', () => {
      const clock = new FakeClock();
      const nonces = manager(clock, { maxTracked: 3 });
      const issued: Array<[string, number]> = [];
      for (let i = 0; i < 5; i++) {
        issued.push([nonces.issue(REALM, SOURCE), clock.now()]);
        clock.advance(10);
      }
      for (const [nonce, at] of issued) assert.equal(nonces.acceptCount(nonce, at, 1), true);
      assert.equal(nonces.trackedCount, 3);
      // The first two records were evicted: their nonces can no longer be vouched for.
      const [first] = issued;
      assert.ok(first);
      assert.equal(nonces.acceptCount(first[0], first[1], 2), false);
      // A nonce issued after every evicted one is still known to be unused.
      const fresh = nonces.issue(REALM, SOURCE);
      assert.equal(nonces.acceptCount(fresh, clock.now(), 1), true);
      assert.equal(nonces.trackedCount, 3);
    });

    it('drops records of expired nonces on the way, so steady use does not fill the table', () => {
      const clock = new FakeClock();
      const nonces = manager(clock, { maxTracked: 1000 });
      for (let i = 0; i < 200; i++) {
        nonces.acceptCount(nonces.issue(REALM, SOURCE), clock.now(), 1);
        clock.advance(10_000);
      }
      // 200 nonces over 2000 s; only those of the last 305 s (lifetime + skew) need remembering.
      assert.ok(nonces.trackedCount <= 40, `tracked ${nonces.trackedCount}`);
    });
    it('accounts every record by its bytes, and frees them as records leave', () => {
      const clock = new FakeClock();
      const nonces = manager(clock);
      assert.equal(nonces.trackedBytes, 0);
      const nonce = nonces.issue(REALM, SOURCE);
      nonces.acceptCount(nonce, clock.now(), 1);
      assert.equal(nonces.trackedBytes, RECORD_BYTES);
      nonces.acceptCount(nonce, clock.now(), 2);
      assert.equal(nonces.trackedBytes, RECORD_BYTES, 'a later count of the same nonce costs nothing more');
      for (let i = 0; i < 9; i++) nonces.acceptCount(nonces.issue(REALM, SOURCE), clock.now(), 1);
      assert.equal(nonces.trackedCount, 10);
      assert.equal(nonces.trackedBytes, 10 * RECORD_BYTES);
      // Once every record expired, new ones push them out a few at a time; the bytes follow.
      clock.advance(400_000);
      nonces.acceptCount(nonces.issue(REALM, SOURCE), clock.now(), 1);
      nonces.acceptCount(nonces.issue(REALM, SOURCE), clock.now(), 1);
      assert.equal(nonces.trackedCount, 2);
      assert.equal(nonces.trackedBytes, 2 * RECORD_BYTES);
    });

    it('stays within maxTrackedBytes, evicting the least recently used records', () => {
      const clock = new FakeClock();
      const nonces = manager(clock, { maxTracked: 1000, maxTrackedBytes: 5 * RECORD_BYTES + RECORD_BYTES / 2 });
      const issued: Array<[string, number]> = [];
      for (let i = 0; i < 20; i++) {
        issued.push([nonces.issue(REALM, SOURCE), clock.now()]);
        clock.advance(10);
      }
      for (const [nonce, at] of issued) assert.equal(nonces.acceptCount(nonce, at, 1), true);
      assert.equal(nonces.trackedCount, 5);
      assert.equal(nonces.trackedBytes, 5 * RECORD_BYTES);
      const [first] = issued;
      assert.ok(first);
      assert.equal(nonces.acceptCount(first[0], first[1], 2), false, 'an evicted history cannot be vouched for');
    });

    it('refuses a byte bound too small for one record', () => {
      assert.throws(() => manager(new FakeClock(), { maxTrackedBytes: RECORD_BYTES - 1 }), RangeError);
    });

    it('keeps no part of the request alive: nonces cut from large messages cost only their records', () => {
      const gc = collector();
      const clock = new FakeClock();
      const nonces = manager(clock, { maxTracked: 10_000 });
      const count = 400;
      const padding = 'x'.repeat(64 * 1024);
      gc();
      const before = process.memoryUsage().heapUsed;
      for (let i = 0; i < count; i++) {
        // As the parser hands it over: the nonce is a substring of a 64 KiB header section.
        const message = `REGISTER sip:${REALM} SIP/2.0\r\nX-Padding: ${padding}${i}\r\nAuthorization: Digest nonce="${nonces.issue(REALM, SOURCE)}"\r\n`;
        const at = message.indexOf('nonce="') + 7;
        const nonce = message.slice(at, message.indexOf('"', at));
        assert.equal(nonces.acceptCount(nonce, clock.now(), 1), true);
      }
      gc();
      const grown = process.memoryUsage().heapUsed - before;
      // Pinned messages would take count × 64 KiB ≈ 26 MB; the records take count × RECORD_BYTES.
      assert.ok(grown < 4 * 1024 * 1024, `the heap grew by ${grown} bytes for ${count} records`);
      assert.equal(nonces.trackedBytes, count * RECORD_BYTES);
    });
  });
});
