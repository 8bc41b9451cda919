/**
 * Brute-force protection: failed authentications counted per source and per account in sliding
 * windows, leading to temporary blocks. SIP digest counts accounts as realm + extension number;
 * the panel login as the realm `panel` + the e-mail address ("extension" below is that account).
 *
 * - Per source (IPv4 address or IPv6 /64): 10 failures within 60 s block the source for 5 min.
 * - Per extension (realm + username, lower-cased): 20 failures within 5 min, from any sources,
 *   block the extension for 5 min.
 * - Repeated blocks of the same key double the duration (5, 10, 20, 40 min, then 60 min at
 *   most); the doubling starts over after 24 h without a block.
 * - A block never applies to a (source, extension) pair that authenticated successfully within
 *   the last 24 h and has not failed since: a phone that works keeps working while someone else
 *   behind the same NAT, or elsewhere, hammers its extension. A failure of the pair revokes that.
 * - Unknown usernames are counted and blocked exactly like real ones, so blocking reveals
 *   nothing about which extensions exist.
 * - A success does not clear a source's failures (an attacker holding one valid account must
 *   not be able to reset the count while guessing others).
 *
 * Memory is bounded: each table is an LRU of at most `maxEntries` keys, a counter holds at most
 * `maxFailures` time stamps, and at most 8 trusted sources are kept per extension.
 */
import type { Clock } from './clock.js';
import type { Logger } from './logger.js';
import { LruMap } from './lru-map.js';
import { sourceKey } from './source-key.js';

/** A sliding-window threshold. */
export interface FailureLimit {
  /** Failures within `windowMs` that trigger a block. */
  readonly maxFailures: number;
  readonly windowMs: number;
  /** Length of the first block; later ones double up to `maxBlockMs`. */
  readonly blockMs: number;
}

/** Default per-source limit: 10 failures in 60 s → 5 min. */
export const DEFAULT_SOURCE_LIMIT: FailureLimit = { maxFailures: 10, windowMs: 60_000, blockMs: 300_000 };
/** Default per-extension limit: 20 failures in 5 min → 5 min. */
export const DEFAULT_EXTENSION_LIMIT: FailureLimit = { maxFailures: 20, windowMs: 300_000, blockMs: 300_000 };

/** Options of a {@link FailureTracker}. */
export interface FailureTrackerOptions {
  readonly clock: Clock;
  readonly perSource?: FailureLimit;
  readonly perExtension?: FailureLimit;
  /** Upper bound of a doubled block (default 1 h). */
  readonly maxBlockMs?: number;
  /** After this long without a block, block lengths start over (default 24 h). */
  readonly strikeResetMs?: number;
  /** How long a successful (source, extension) pair stays exempt from blocks (default 24 h). */
  readonly trustMs?: number;
  /** Keys per table (sources, extensions, trusted extensions); default 10 000 each. */
  readonly maxEntries?: number;
  readonly logger?: Logger;
}

/** Why a request is refused unheard. */
export interface Block {
  readonly scope: 'source' | 'extension';
  /** When the block ends (ms since the epoch). */
  readonly until: number;
}

interface Counter {
  failures: number[];
  blockedUntil: number;
  strikes: number;
  lastBlockAt: number;
}

const MAX_TRUSTED_PER_EXTENSION = 8;

function extensionKey(realm: string, username: string): string {
  return `${realm}\u0000${username.toLowerCase()}`;
}

/** Counts failed authentications per source and per extension and decides temporary blocks. */
export class FailureTracker {
  readonly #clock: Clock;
  readonly #perSource: FailureLimit;
  readonly #perExtension: FailureLimit;
  readonly #maxBlockMs: number;
  readonly #strikeResetMs: number;
  readonly #trustMs: number;
  readonly #logger: Logger | undefined;
  readonly #sources: LruMap<string, Counter>;
  readonly #extensions: LruMap<string, Counter>;
  /** extension key → source key → time of the last success. */
  readonly #trusted: LruMap<string, Map<string, number>>;

  constructor(options: FailureTrackerOptions) {
    this.#clock = options.clock;
    this.#perSource = options.perSource ?? DEFAULT_SOURCE_LIMIT;
    this.#perExtension = options.perExtension ?? DEFAULT_EXTENSION_LIMIT;
    this.#maxBlockMs = options.maxBlockMs ?? 3_600_000;
    this.#strikeResetMs = options.strikeResetMs ?? 86_400_000;
    this.#trustMs = options.trustMs ?? 86_400_000;
    this.#logger = options.logger;
    const max = options.maxEntries ?? 10_000;
    this.#sources = new LruMap(max);
    this.#extensions = new LruMap(max);
    this.#trusted = new LruMap(max);
  }

  /** Entries held per table (for monitoring and the memory-bound tests). */
  get sizes(): { sources: number; extensions: number; trusted: number } {
    return { sources: this.#sources.size, extensions: this.#extensions.size, trusted: this.#trusted.size };
  }

  /** The block that applies to `source` authenticating as `username` in `realm`, if any. */
  blocked(source: string, realm: string, username: string): Block | undefined {
    const src = sourceKey(source);
    const ext = extensionKey(realm, username);
    if (this.#isTrusted(src, ext)) return undefined;
    const now = this.#clock.now();
    const bySource = this.#sources.peek(src);
    if (bySource && bySource.blockedUntil > now) return { scope: 'source', until: bySource.blockedUntil };
    const byExtension = this.#extensions.peek(ext);
    if (byExtension && byExtension.blockedUntil > now) return { scope: 'extension', until: byExtension.blockedUntil };
    return undefined;
  }

  /** Counts one failed attempt of `source` as `username` in `realm` (known user or not). */
  recordFailure(source: string, realm: string, username: string): void {
    const src = sourceKey(source);
    const ext = extensionKey(realm, username);
    const trusted = this.#trusted.peek(ext);
    if (trusted) {
      trusted.delete(src);
      if (trusted.size === 0) this.#trusted.delete(ext);
    }
    const sourceBlock = this.#count(this.#sources, src, this.#perSource);
    if (sourceBlock !== undefined) {
      this.#logger?.warn({ source: src, until: sourceBlock }, 'sip auth: source blocked after repeated failures');
    }
    const extensionBlock = this.#count(this.#extensions, ext, this.#perExtension);
    if (extensionBlock !== undefined) {
      this.#logger?.warn(
        { realm, extension: username, until: extensionBlock },
        'sip auth: extension blocked for new sources after repeated failures',
      );
    }
  }

  /** Marks `source` as a known-good place for `username` in `realm`. */
  recordSuccess(source: string, realm: string, username: string): void {
    const src = sourceKey(source);
    const ext = extensionKey(realm, username);
    const sources = this.#trusted.get(ext) ?? new Map<string, number>();
    sources.delete(src);
    sources.set(src, this.#clock.now());
    while (sources.size > MAX_TRUSTED_PER_EXTENSION) {
      const oldest = sources.keys().next();
      if (oldest.done) break;
      sources.delete(oldest.value);
    }
    this.#trusted.set(ext, sources);
  }

  #isTrusted(src: string, ext: string): boolean {
    const at = this.#trusted.peek(ext)?.get(src);
    return at !== undefined && this.#clock.now() - at <= this.#trustMs;
  }

  /** Adds a failure to `key`'s window; returns the block end when this failure starts a block. */
  #count(table: LruMap<string, Counter>, key: string, limit: FailureLimit): number | undefined {
    const now = this.#clock.now();
    const counter = table.get(key) ?? { failures: [], blockedUntil: 0, strikes: 0, lastBlockAt: Number.NEGATIVE_INFINITY };
    counter.failures = counter.failures.filter((t) => now - t < limit.windowMs);
    counter.failures.push(now);
    let started: number | undefined;
    if (counter.failures.length >= limit.maxFailures) {
      if (now - counter.lastBlockAt > this.#strikeResetMs) counter.strikes = 0;
      const length = Math.min(limit.blockMs * 2 ** counter.strikes, Math.max(this.#maxBlockMs, limit.blockMs));
      counter.blockedUntil = now + length;
      counter.strikes = Math.min(counter.strikes + 1, 30);
      counter.lastBlockAt = now;
      counter.failures = [];
      started = counter.blockedUntil;
    }
    table.set(key, counter);
    return started;
  }
}
