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
/** Nonces whose counts are remembered at most. */
export const DEFAULT_MAX_TRACKED_NONCES = 100_000;
/**
 * What one remembered count costs, as {@link NonceManager.trackedBytes} accounts it: the key (the
 * nonce's 28-character head, a string of its own) plus this estimate of the V8 overhead of the key
 * string, the record object and the Map entry.
 */
export const NONCE_RECORD_OVERHEAD_BYTES = 160;
/** Bytes of remembered counts at most (20 MiB; 100 000 records take about 18.8 MB, so by default the entry bound comes first). */
export const DEFAULT_MAX_TRACKED_NONCE_BYTES = 20 * 1024 * 1024;
/** A nonce stamped further than this in the future (the clock stepped back) counts as stale. */
const MAX_FUTURE_SKEW_MS = 5_000;

const VERSION = 1;
const HEAD_BYTES = 1 + 8 + 12;
const MAC_BYTES = 16;
const NONCE_BYTES = HEAD_BYTES + 2 * MAC_BYTES;
const NONCE_CHARS = Math.ceil((NONCE_BYTES * 8) / 6);
const HEAD_CHARS = Math.ceil((HEAD_BYTES * 8) / 6);
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
  /** Bound of {@link NonceManager.trackedBytes}; the least recently used records go first. */
  readonly maxTrackedBytes?: number;
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
  readonly #maxBytes: number;
  #bytes = 0;
  /** Every nonce whose record was evicted was issued at or before this time. */
  #evictedUpTo = Number.NEGATIVE_INFINITY;

  constructor(options: NonceManagerOptions) {
    const secrets: readonly NonceSecret[] =
      typeof options.secret === 'string' || options.secret instanceof Uint8Array ? [options.secret] : options.secret;
    if (secrets.length === 0) throw new RangeError('at least one nonce secret is required');
    this.#keys = secrets.map(toKey);
    this.#clock = options.clock;
    this.#lifetimeMs = options.lifetimeMs ?? DEFAULT_NONCE_LIFETIME_MS;
    this.#maxBytes = options.maxTrackedBytes ?? DEFAULT_MAX_TRACKED_NONCE_BYTES;
    if (!Number.isFinite(this.#maxBytes) || this.#maxBytes < recordBytes(HEAD_CHARS)) {
      throw new RangeError(`maxTrackedBytes must hold at least one record (${recordBytes(HEAD_CHARS)} bytes)`);
    }
    this.#counts = new LruMap(options.maxTracked ?? DEFAULT_MAX_TRACKED_NONCES, (key, record) => this.#forget(key, record));
  }

  /** The nonce lifetime in milliseconds. */
  get lifetimeMs(): number {
    return this.#lifetimeMs;
  }

  /** Number of nonces whose count is remembered. */
  get trackedCount(): number {
    return this.#counts.size;
  }

  /** Bytes the remembered counts take, by the accounting of {@link NONCE_RECORD_OVERHEAD_BYTES}. */
  get trackedBytes(): number {
    return this.#bytes;
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
   * for room and so cannot be vouched for. Call only for a nonce {@link check} found valid and
   * after the response hash matched, so that garbage cannot burn a legitimate client's counts.
   */
  acceptCount(nonce: string, issuedAt: number, nc: number): boolean {
    const key = recordKey(nonce);
    const record = this.#counts.get(key);
    if (record) {
      if (nc <= record.highest) return false;
      record.highest = nc;
      return true;
    }
    // No record: either first use, or a record evicted for room. Evicted records all have
    // issuedAt ≤ #evictedUpTo, so only nonces issued later are known to be unused.
    if (issuedAt <= this.#evictedUpTo) return false;
    this.#pruneExpired();
    this.#bytes += recordBytes(key.length);
    this.#counts.set(key, { highest: nc, issuedAt });
    // The byte bound, after the entry bound that LruMap.set applied.
    for (let oldest = this.#counts.oldest(); oldest && this.#bytes > this.#maxBytes; oldest = this.#counts.oldest()) {
      this.#counts.delete(oldest[0]);
      this.#forget(oldest[0], oldest[1]);
    }
    return true;
  }

  /** Drops a few least-recently-used records of expired nonces (they can only be stale now). */
  #pruneExpired(): void {
    const horizon = this.#clock.now() - this.#lifetimeMs - MAX_FUTURE_SKEW_MS;
    for (let i = 0; i < 8; i++) {
      const oldest = this.#counts.oldest();
      if (!oldest || oldest[1].issuedAt >= horizon) return;
      this.#counts.delete(oldest[0]);
      this.#forget(oldest[0], oldest[1]);
    }
  }

  /** Bookkeeping of a record that left the table. */
  #forget(key: string, record: CountRecord): void {
    this.#bytes -= recordBytes(key.length);
    this.#evictedUpTo = Math.max(this.#evictedUpTo, record.issuedAt);
  }
}

/**
 * The table key of a nonce: its head (version, time, random part) re-encoded into a new string.
 * The head names one issued nonce (check() has verified its MACs), and a string built from bytes
 * shares no memory with the request: a substring of the request would be a V8 sliced string that
 * keeps the whole message alive as long as the record lives (up to the nonce lifetime).
 */
function recordKey(nonce: string): string {
  return Buffer.from(nonce, 'base64url').subarray(0, HEAD_BYTES).toString('base64url');
}

function recordBytes(keyLength: number): number {
  return keyLength + NONCE_RECORD_OVERHEAD_BYTES;
}
