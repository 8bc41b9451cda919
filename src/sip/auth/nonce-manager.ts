/**
 * Server nonces that verify without storage, and nonce-count replay protection.
 *
 * A nonce is base64url of 53 bytes:
 *
 *    0       1               9                   21                  37                  53
 *    +-------+---------------+-------------------+-------------------+-------------------+
 *    | ver=1 | issued (ms,BE)|   random (12)     |  realm MAC (16)   |  source MAC (16)  |
 *    +-------+---------------+-------------------+-------------------+-------------------+
 *
 *    realm MAC  = HMAC-SHA256(secret, "realm"  ‖ head ‖ len16(realm) ‖ realm)[0..16]
 *    source MAC = HMAC-SHA256(secret, "source" ‖ head ‖ len16(realm) ‖ realm ‖ sourceKey)[0..16]
 *
 * where head is the first 21 bytes. The realm MAC proves that Centrala issued the nonce for this
 * realm (a nonce of one tenant is worthless in another). The source MAC tells whether it was
 * issued to the address now using it: a failure is only counted against a source when the nonce
 * was issued to that source, so UDP requests with a spoofed source address cannot get a victim
 * blocked (the spoofer never sees the victim's nonces). RFC 7616 §3.3 leaves the nonce's
 * content to the server and suggests exactly this: a time stamp and a private key.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { LruMap, sourceKey, type Clock } from '../../lib/index.js';

/** A server secret: a string (UTF-8) or bytes, at least 16 bytes. */
export type NonceSecret = string | Uint8Array;

/** How long a nonce is accepted before it is stale (5 minutes). */
export const DEFAULT_NONCE_LIFETIME_MS = 300_000;
/** Nonces whose counts are remembered at most (about 20 MB in the worst case). */
export const DEFAULT_MAX_TRACKED_NONCES = 100_000;
/** A nonce stamped further than this in the future (the clock stepped back) counts as stale. */
const MAX_FUTURE_SKEW_MS = 5_000;

const VERSION = 1;
const HEAD_BYTES = 1 + 8 + 12;
const MAC_BYTES = 16;
const NONCE_BYTES = HEAD_BYTES + 2 * MAC_BYTES;
const NONCE_CHARS = Math.ceil((NONCE_BYTES * 8) / 6);
const BASE64URL = /^[A-Za-z0-9_-]+$/;

/** Outcome of {@link NonceManager.check}. */
export type NonceCheck =
  | { readonly valid: false }
  | {
      readonly valid: true;
      /** When it was issued (ms since the epoch). */
      readonly issuedAt: number;
      /** Older than the lifetime (or stamped in the future). */
      readonly expired: boolean;
      /** Issued to the same source key that now uses it. */
      readonly sameSource: boolean;
    };

/** Options of a {@link NonceManager}. */
export interface NonceManagerOptions {
  /** The signing secret; with several, the first signs and all verify (rotation). */
  readonly secret: NonceSecret | readonly NonceSecret[];
  readonly clock: Clock;
  readonly lifetimeMs?: number;
  readonly maxTracked?: number;
}

interface CountRecord {
  highest: number;
  readonly issuedAt: number;
}

function toKey(secret: NonceSecret): Buffer {
  const key = typeof secret === 'string' ? Buffer.from(secret, 'utf8') : Buffer.from(secret);
  if (key.length < 16) throw new RangeError('the nonce secret must be at least 16 bytes');
  return key;
}

function mac(key: Buffer, label: string, head: Buffer, realm: string, source?: string): Buffer {
  const realmBytes = Buffer.from(realm, 'utf8');
  const length = Buffer.alloc(2);
  length.writeUInt16BE(Math.min(realmBytes.length, 0xffff));
  const h = createHmac('sha256', key).update(label).update(head).update(length).update(realmBytes);
  if (source !== undefined) h.update(source, 'utf8');
  return h.digest().subarray(0, MAC_BYTES);
}

/** Issues and checks stateless nonces and remembers the highest nonce-count used with each. */
export class NonceManager {
  readonly #keys: readonly Buffer[];
  readonly #clock: Clock;
  readonly #lifetimeMs: number;
  readonly #counts: LruMap<string, CountRecord>;
  /** Every nonce whose record was evicted was issued at or before this time. */
  #evictedUpTo = Number.NEGATIVE_INFINITY;

  constructor(options: NonceManagerOptions) {
    const secrets: readonly NonceSecret[] =
      typeof options.secret === 'string' || options.secret instanceof Uint8Array ? [options.secret] : options.secret;
    if (secrets.length === 0) throw new RangeError('at least one nonce secret is required');
    this.#keys = secrets.map(toKey);
    this.#clock = options.clock;
    this.#lifetimeMs = options.lifetimeMs ?? DEFAULT_NONCE_LIFETIME_MS;
    this.#counts = new LruMap(options.maxTracked ?? DEFAULT_MAX_TRACKED_NONCES, (_nonce, record) => {
      this.#evictedUpTo = Math.max(this.#evictedUpTo, record.issuedAt);
    });
  }

  /** The nonce lifetime in milliseconds. */
  get lifetimeMs(): number {
    return this.#lifetimeMs;
  }

  /** Number of nonces whose count is remembered. */
  get trackedCount(): number {
    return this.#counts.size;
  }

  /** A fresh nonce for `realm`, bound to the request's source address. */
  issue(realm: string, source: string): string {
    const [key] = this.#keys;
    if (!key) throw new Error('assertion failed: NonceManager has a key');
    const head = Buffer.alloc(HEAD_BYTES);
    head.writeUInt8(VERSION, 0);
    head.writeBigUInt64BE(BigInt(Math.max(0, Math.floor(this.#clock.now()))), 1);
    randomBytes(12).copy(head, 9);
    const realmMac = mac(key, 'realm', head, realm);
    const sourceMac = mac(key, 'source', head, realm, sourceKey(source));
    return Buffer.concat([head, realmMac, sourceMac]).toString('base64url');
  }

  /** Verifies a nonce presented for `realm` by `source`. Never throws. */
  check(nonce: string, realm: string, source: string): NonceCheck {
    if (nonce.length !== NONCE_CHARS || !BASE64URL.test(nonce)) return { valid: false };
    const bytes = Buffer.from(nonce, 'base64url');
    if (bytes.length !== NONCE_BYTES || bytes.toString('base64url') !== nonce) return { valid: false };
    if (bytes.readUInt8(0) !== VERSION) return { valid: false };
    const head = bytes.subarray(0, HEAD_BYTES);
    const realmMac = bytes.subarray(HEAD_BYTES, HEAD_BYTES + MAC_BYTES);
    const sourceMac = bytes.subarray(HEAD_BYTES + MAC_BYTES);
    const key = this.#keys.find((k) => timingSafeEqual(mac(k, 'realm', head, realm), realmMac));
    if (!key) return { valid: false };
    const issuedAt = Number(head.readBigUInt64BE(1));
    const age = this.#clock.now() - issuedAt;
    const expired = age > this.#lifetimeMs || age < -MAX_FUTURE_SKEW_MS;
    const sameSource = timingSafeEqual(mac(key, 'source', head, realm, sourceKey(source)), sourceMac);
    return { valid: true, issuedAt, expired, sameSource };
  }

  /**
   * Records nonce-count `nc` for a nonce whose credentials were just verified. False when it is
   * not greater than every count seen before with this nonce (a replay, RFC 7616 §3.4: "the
   * server … can recognize replays of old requests"), or when the nonce's history was evicted
   * for room and so cannot be vouched for. Call only after the response hash matched, so that
   * garbage cannot burn a legitimate client's counts.
   */
  acceptCount(nonce: string, issuedAt: number, nc: number): boolean {
    const record = this.#counts.get(nonce);
    if (record) {
      if (nc <= record.highest) return false;
      record.highest = nc;
      return true;
    }
    // No record: either first use, or a record evicted for room. Evicted records all have
    // issuedAt ≤ #evictedUpTo, so only nonces issued later are known to be unused.
    if (issuedAt <= this.#evictedUpTo) return false;
    this.#pruneExpired();
    this.#counts.set(nonce, { highest: nc, issuedAt });
    return true;
  }

  /** Drops a few least-recently-used records of expired nonces (they can only be stale now). */
  #pruneExpired(): void {
    const horizon = this.#clock.now() - this.#lifetimeMs - MAX_FUTURE_SKEW_MS;
    for (let i = 0; i < 8; i++) {
      const oldest = this.#counts.oldest();
      if (!oldest || oldest[1].issuedAt >= horizon) return;
      this.#counts.delete(oldest[0]);
      this.#evictedUpTo = Math.max(this.#evictedUpTo, oldest[1].issuedAt);
    }
  }
}
