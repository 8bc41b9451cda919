import type { BindingRecord } from '../ports.js';
import type { LocationService } from './location-service.js';

/** Keeps a stream connection open while registrations use it (RFC 5626 §5.2 flows). */
export interface FlowKeeper {
  /** The connection carries a registration: never close it for idleness. Returns false when it is gone. */
  bindConnection(connectionId: string): boolean;
  /** The connection carries no registration any more. */
  unbindConnection(connectionId: string): void;
}

/**
 * Binds a connection to the transport layer while at least one live registration came over it,
 * and releases it when the last one goes (unregister, replacement or expiry). One bind per
 * connection, whatever the number of bindings on it.
 */
export class FlowTracker {
  readonly #keeper: FlowKeeper;
  readonly #byAor = new Map<string, Set<string>>();
  readonly #count = new Map<string, number>();
  readonly #off: () => void;

  readonly #location: LocationService;

  constructor(location: LocationService, keeper: FlowKeeper) {
    this.#keeper = keeper;
    this.#location = location;
    this.#off = location.events.on('changed', (aor, bindings) => this.#update(aor, bindings));
  }

  /** Connections currently bound. */
  bound(): string[] {
    return [...this.#count.keys()];
  }

  #update(aor: string, bindings: readonly BindingRecord[]): void {
    const before = this.#byAor.get(aor) ?? new Set<string>();
    const after = new Set<string>();
    for (const b of bindings) if (b.connectionId !== undefined) after.add(b.connectionId);
    for (const id of after) {
      if (before.has(id)) continue;
      const n = this.#count.get(id) ?? 0;
      if (n === 0 && !this.#keeper.bindConnection(id)) continue;
      this.#count.set(id, n + 1);
    }
    for (const id of before) {
      if (after.has(id)) continue;
      const n = this.#count.get(id) ?? 0;
      if (n <= 1) {
        this.#count.delete(id);
        this.#keeper.unbindConnection(id);
      } else this.#count.set(id, n - 1);
    }
    if (after.size > 0) this.#byAor.set(aor, new Set([...after].filter((id) => this.#count.has(id))));
    else this.#byAor.delete(aor);
  }

  /**
   * A stream connection closed. Bindings made over WebSocket go with it: a browser accepts no connection, so
   * nothing can reach it until it registers again, and its device is shown offline at once rather than at
   * expiry. TCP/TLS bindings stay: the device re-registers on a new flow (RFC 5626), and until then Centrala
   * may open a connection back to it.
   */
  async connectionClosed(connectionId: string): Promise<void> {
    if (!this.#count.has(connectionId)) return; // no registration came over it (most connections)
    const aors = [...this.#byAor].filter(([, ids]) => ids.has(connectionId)).map(([aor]) => aor);
    for (const aor of aors) {
      await this.#location.update(aor, (current) => {
        const kept = current.filter((b) => !(b.connectionId === connectionId && (b.sourceTransport === 'ws' || b.sourceTransport === 'wss')));
        return { ok: true, bindings: kept, changed: kept.length !== current.length };
      });
    }
  }

  /** Stops tracking (bindings stay as they are). */
  close(): void {
    this.#off();
  }
}
