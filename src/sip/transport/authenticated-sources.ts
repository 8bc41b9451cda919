import { LruMap, sourceKey, type Clock } from '../../lib/index.js';

/** A source stays authenticated this long after its last successful authentication. */
const TTL_MS = 3_600_000;
/** Sources remembered at most (the least recent are forgotten first). */
const MAX_SOURCES = 50_000;

/**
 * Sources (IPv4 address, IPv6 /64) from which a request recently passed digest authentication.
 * The transport keeps tighter limits for the others: a smaller header section, and inbound
 * connections that must authenticate within a bound.
 */
export class AuthenticatedSources {
  readonly #clock: Clock;
  /** Source key → when it last authenticated. */
  readonly #at = new LruMap<string, number>(MAX_SOURCES);

  constructor(clock: Clock) {
    this.#clock = clock;
  }

  /** Records a successful authentication from `address`; it counts for an hour. */
  mark(address: string): void {
    this.#at.set(sourceKey(address), this.#clock.now());
  }

  /** True while the source of `address` counts as authenticated. */
  has(address: string): boolean {
    const key = sourceKey(address);
    const at = this.#at.peek(key);
    if (at === undefined) return false;
    if (this.#clock.now() - at <= TTL_MS) return true;
    this.#at.delete(key);
    return false;
  }
}
