/**
 * A Map with a size bound: reading or writing a key makes it the most recent, and inserting past
 * the bound evicts the least recent. Keeps every per-source / per-nonce table of the
 * authenticators bounded whatever an attacker sends.
 */
export class LruMap<K, V> {
  readonly #max: number;
  readonly #map = new Map<K, V>();
  readonly #onEvict: ((key: K, value: V) => void) | undefined;

  /** `max` ≥ 1 entries; `onEvict` is told about each entry dropped for room (not about deletes). */
  constructor(max: number, onEvict?: (key: K, value: V) => void) {
    if (!Number.isInteger(max) || max < 1) throw new RangeError(`LruMap size must be a positive integer, got ${max}`);
    this.#max = max;
    this.#onEvict = onEvict;
  }

  /** Number of entries. */
  get size(): number {
    return this.#map.size;
  }

  /** The value for `key`, marking it most recently used. */
  get(key: K): V | undefined {
    const value = this.#map.get(key);
    if (value !== undefined) {
      this.#map.delete(key);
      this.#map.set(key, value);
    }
    return value;
  }

  /** The value for `key` without touching its recency. */
  peek(key: K): V | undefined {
    return this.#map.get(key);
  }

  /** Stores `value` as the most recent entry, evicting the least recent ones beyond the bound. */
  set(key: K, value: V): void {
    this.#map.delete(key);
    this.#map.set(key, value);
    while (this.#map.size > this.#max) {
      const oldest = this.#map.keys().next();
      if (oldest.done) break;
      const evicted = this.#map.get(oldest.value);
      this.#map.delete(oldest.value);
      if (evicted !== undefined) this.#onEvict?.(oldest.value, evicted);
    }
  }

  /** The least recently used entry, without touching it. */
  oldest(): [K, V] | undefined {
    const first = this.#map.entries().next();
    return first.done ? undefined : first.value;
  }

  /** Removes `key`; true when it was there. */
  delete(key: K): boolean {
    return this.#map.delete(key);
  }
}
