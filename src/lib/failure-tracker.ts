/**
 * Brute-force protection: failed authentications counted in sliding windows, leading to temporary blocks.
 * SIP digest counts accounts as realm + extension number; the panel login as the realm `panel` + the
 * e-mail address ("extension" below is that account). Three scopes:
 *
 * - Source + extension (one address guessing one account): 10 failures within 60 s block that
 *   extension from that source for 5 min. One misconfigured phone behind an office NAT blocks only its
 *   own extension from that address, not its colleagues.
 * - Source (IPv4 address or IPv6 /64) trying several accounts: 10 failures within 60 s naming at least
 *   `minUsernames` (3 for SIP) different usernames block the source for 5 min, for every username: a
 *   scanner going through extensions.
 * - Extension (realm + username, lower-cased): 20 failures within 5 min, from any sources, block the
 *   extension for 5 min for every source not trusted for it.
 * - Repeated blocks of the same key double the duration (5, 10, 20, 40 min, then 60 min at most); the
 *   doubling starts over after 24 h without a block.
 * - A (source, extension) pair that authenticated successfully within the last 24 h and has not failed
 *   since is exempt from the source and extension blocks. A failure of the pair revokes that.
 * - Unknown usernames are counted and blocked exactly like real ones, so blocking reveals nothing about
 *   which extensions exist.
 * - A success does not clear a source's failures (an attacker holding one valid account must not be
 *   able to reset the count while guessing others).
 *
 * Every block has an id, is logged at warn and reported through {@link FailureTracker.events}; it can be
 * lifted by id ({@link FailureTracker.lift}) and restored after a restart ({@link FailureTracker.restore}).
 * Callers that know more (the registrar knows which flows carry a live registration) decide themselves
 * whether a block applies to a request.
 *
 * Memory is bounded: each table is an LRU of at most `maxEntries` keys, a counter holds at most
 * `maxFailures` time stamps, and at most 8 trusted sources are kept per extension.
 */
import type { Clock } from './clock.js';
import { uuid } from './ids.js';
import type { Logger } from './logger.js';
import { LruMap } from './lru-map.js';
import { sourceKey } from './source-key.js';
import { TypedEmitter } from './typed-emitter.js';

/** A sliding-window threshold. */
export interface FailureLimit {
  /** Failures within `windowMs` that trigger a block. */
  readonly maxFailures: number;
  readonly windowMs: number;
  /** Length of the first block; later ones double up to `maxBlockMs`. */
  readonly blockMs: number;
  /** Different usernames the failures must name (source scope only; default 1). */
  readonly minUsernames?: number;
}

/** Default per-source limit: 10 failures in 60 s naming at least 3 usernames → 5 min. */
export const DEFAULT_SOURCE_LIMIT: FailureLimit = { maxFailures: 10, windowMs: 60_000, blockMs: 300_000, minUsernames: 3 };
/** Default per source + extension limit: 10 failures in 60 s → 5 min. */
export const DEFAULT_SOURCE_EXTENSION_LIMIT: FailureLimit = { maxFailures: 10, windowMs: 60_000, blockMs: 300_000 };
/** Default per-extension limit: 20 failures in 5 min → 5 min. */
export const DEFAULT_EXTENSION_LIMIT: FailureLimit = { maxFailures: 20, windowMs: 300_000, blockMs: 300_000 };

/** Options of a {@link FailureTracker}. */
export interface FailureTrackerOptions {
  readonly clock: Clock;
  readonly perSource?: FailureLimit;
  readonly perSourceExtension?: FailureLimit;
  readonly perExtension?: FailureLimit;
  /** Upper bound of a doubled block (default 1 h). */
  readonly maxBlockMs?: number;
  /** After this long without a block, block lengths start over (default 24 h). */
  readonly strikeResetMs?: number;
  /** How long a successful (source, extension) pair stays exempt from blocks (default 24 h). */
  readonly trustMs?: number;
  /** Keys per table (sources, pairs, extensions, trusted extensions); default 10 000 each. */
  readonly maxEntries?: number;
  readonly logger?: Logger;
}

/** What a block covers: a whole source, one extension from one source, or one extension from untrusted sources. */
export type BlockScope = 'source' | 'source-extension' | 'extension';

/** A block: why requests are refused unheard, until when. */
export interface Block {
  /** Random id, to list and lift it. */
  readonly id: string;
  readonly scope: BlockScope;
  /**
   * The source key (IPv4 address or IPv6 /64) blocked (`source`, `source-extension`), or for an `extension`
   * block the source of the failure that started it.
   */
  readonly source: string;
  /**
   * The realm (a tenant's SIP domain) and username blocked (`source-extension`, `extension`), or for a
   * `source` block the last ones the source tried.
   */
  readonly realm: string;
  readonly username: string;
  /** Failures in the window that started it. */
  readonly failures: number;
  /** When it started and when it ends (ms since the epoch). */
  readonly since: number;
  readonly until: number;
}

/** Events of a {@link FailureTracker}. */
export type FailureTrackerEvents = {
  /** A block started (already in force). */
  blocked: [block: Block];
};

interface Failure {
  readonly at: number;
  readonly username: string;
}

interface Counter {
  failures: Failure[];
  strikes: number;
  lastBlockAt: number;
  block: Block | undefined;
}

interface Table {
  readonly scope: BlockScope;
  readonly limit: FailureLimit;
  readonly map: LruMap<string, Counter>;
}

const MAX_TRUSTED_PER_EXTENSION = 8;

function extensionKey(realm: string, username: string): string {
  return `${realm}\u0000${username.toLowerCase()}`;
}

function pairKey(src: string, ext: string): string {
  return `${src}\u0000${ext}`;
}

/** Counts failed authentications per source, per source + extension and per extension, and decides temporary blocks. */
export class FailureTracker {
  readonly #clock: Clock;
  readonly #maxBlockMs: number;
  readonly #strikeResetMs: number;
  readonly #trustMs: number;
  readonly #logger: Logger | undefined;
  readonly #sources: Table;
  readonly #pairs: Table;
  readonly #extensions: Table;
  /** extension key → source key → time of the last success. */
  readonly #trusted: LruMap<string, Map<string, number>>;
  /** block id → the table and key holding it. */
  readonly #byId = new Map<string, { table: Table; key: string }>();
  /** Typed events; listeners never break the tracker. */
  readonly events: TypedEmitter<FailureTrackerEvents>;

  constructor(options: FailureTrackerOptions) {
    this.#clock = options.clock;
    this.#maxBlockMs = options.maxBlockMs ?? 3_600_000;
    this.#strikeResetMs = options.strikeResetMs ?? 86_400_000;
    this.#trustMs = options.trustMs ?? 86_400_000;
    this.#logger = options.logger;
    this.events = new TypedEmitter<FailureTrackerEvents>(options.logger);
    const max = options.maxEntries ?? 10_000;
    const table = (scope: BlockScope, limit: FailureLimit): Table => ({
      scope,
      limit,
      map: new LruMap<string, Counter>(max, (_key, counter) => {
        if (counter.block) this.#byId.delete(counter.block.id);
      }),
    });
    this.#sources = table('source', options.perSource ?? DEFAULT_SOURCE_LIMIT);
    this.#pairs = table('source-extension', options.perSourceExtension ?? DEFAULT_SOURCE_EXTENSION_LIMIT);
    this.#extensions = table('extension', options.perExtension ?? DEFAULT_EXTENSION_LIMIT);
    this.#trusted = new LruMap(max);
  }

  /** Entries held per table (for monitoring and the memory-bound tests). */
  get sizes(): { sources: number; pairs: number; extensions: number; trusted: number } {
    return {
      sources: this.#sources.map.size,
      pairs: this.#pairs.map.size,
      extensions: this.#extensions.map.size,
      trusted: this.#trusted.size,
    };
  }

  /** The block that applies to `source` authenticating as `username` in `realm`, if any. */
  blocked(source: string, realm: string, username: string): Block | undefined {
    const src = sourceKey(source);
    const ext = extensionKey(realm, username);
    const trusted = this.#isTrusted(src, ext);
    return (
      (trusted ? undefined : this.#active(this.#sources, src)) ??
      this.#active(this.#pairs, pairKey(src, ext)) ??
      (trusted ? undefined : this.#active(this.#extensions, ext))
    );
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
    const attempt = { source: src, realm, username };
    this.#count(this.#sources, src, attempt);
    this.#count(this.#pairs, pairKey(src, ext), attempt);
    this.#count(this.#extensions, ext, attempt);
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

  /** Every block in force, oldest first. */
  activeBlocks(): Block[] {
    const now = this.#clock.now();
    const out: Block[] = [];
    for (const [id, { table, key }] of this.#byId) {
      const block = table.map.peek(key)?.block;
      if (block && block.until > now) out.push(block);
      else this.#byId.delete(id);
    }
    return out.sort((a, b) => a.since - b.since);
  }

  /** Lifts a block by id: its key starts over with no failures and no strikes. Returns the block, if it was in force. */
  lift(id: string): Block | undefined {
    const place = this.#byId.get(id);
    if (!place) return undefined;
    this.#byId.delete(id);
    const block = place.table.map.peek(place.key)?.block;
    place.table.map.delete(place.key);
    return block !== undefined && block.until > this.#clock.now() ? block : undefined;
  }

  /** Puts a block kept elsewhere (the store, across a restart) back in force; ignored once it has ended. */
  restore(block: Block): void {
    if (block.until <= this.#clock.now() || this.#byId.has(block.id)) return;
    const src = block.source;
    const ext = extensionKey(block.realm, block.username);
    const table = block.scope === 'source' ? this.#sources : block.scope === 'source-extension' ? this.#pairs : this.#extensions;
    const key = block.scope === 'source' ? src : block.scope === 'source-extension' ? pairKey(src, ext) : ext;
    const counter = table.map.get(key) ?? { failures: [], strikes: 0, lastBlockAt: Number.NEGATIVE_INFINITY, block: undefined };
    if (counter.block) this.#byId.delete(counter.block.id);
    counter.block = block;
    counter.strikes = Math.max(counter.strikes, 1);
    counter.lastBlockAt = block.since;
    table.map.set(key, counter);
    this.#byId.set(block.id, { table, key });
  }

  #isTrusted(src: string, ext: string): boolean {
    const at = this.#trusted.peek(ext)?.get(src);
    return at !== undefined && this.#clock.now() - at <= this.#trustMs;
  }

  #active(table: Table, key: string): Block | undefined {
    const block = table.map.peek(key)?.block;
    return block !== undefined && block.until > this.#clock.now() ? block : undefined;
  }

  /** Adds a failure to `key`'s window and starts a block when the window reaches the limit. */
  #count(table: Table, key: string, attempt: { source: string; realm: string; username: string }): void {
    const { limit } = table;
    const now = this.#clock.now();
    const counter = table.map.get(key) ?? { failures: [], strikes: 0, lastBlockAt: Number.NEGATIVE_INFINITY, block: undefined };
    const recent = counter.failures.filter((f) => now - f.at < limit.windowMs);
    counter.failures = [...recent.slice(Math.max(0, recent.length - limit.maxFailures + 1)), { at: now, username: attempt.username.toLowerCase() }];
    const usernames = new Set(counter.failures.map((f) => f.username)).size;
    // A key already blocked keeps its block (failures of exempt flows are still counted, but start nothing new).
    const blocking = counter.block !== undefined && counter.block.until > now;
    if (!blocking && counter.failures.length >= limit.maxFailures && usernames >= (limit.minUsernames ?? 1)) {
      if (now - counter.lastBlockAt > this.#strikeResetMs) counter.strikes = 0;
      const length = Math.min(limit.blockMs * 2 ** counter.strikes, Math.max(this.#maxBlockMs, limit.blockMs));
      if (counter.block) this.#byId.delete(counter.block.id);
      const block: Block = {
        id: uuid(),
        scope: table.scope,
        source: attempt.source,
        realm: attempt.realm,
        username: attempt.username,
        failures: counter.failures.length,
        since: now,
        until: now + length,
      };
      counter.block = block;
      counter.strikes = Math.min(counter.strikes + 1, 30);
      counter.lastBlockAt = now;
      counter.failures = [];
      table.map.set(key, counter);
      this.#byId.set(block.id, { table, key });
      this.#logger?.warn(
        {
          blockId: block.id,
          scope: block.scope,
          tenant: block.realm,
          extension: block.username,
          source: block.source,
          failures: block.failures,
          since: new Date(block.since).toISOString(),
          until: new Date(block.until).toISOString(),
        },
        `auth: ${DESCRIPTION[block.scope]} blocked after repeated failures`,
      );
      this.events.emit('blocked', block);
      return;
    }
    table.map.set(key, counter);
  }
}

const DESCRIPTION: Record<BlockScope, string> = {
  source: 'source (every extension)',
  'source-extension': 'extension from this source',
  extension: 'extension for untrusted sources',
};
