import { type Clock, type Logger, type TimerHandle, TypedEmitter, InvalidStateError } from '../../lib/index.js';
import type { BindingRecord, LocationStore } from '../ports.js';
import type { RegisterOutcome } from './apply-register.js';
import type { RegistrarPolicy } from './registrar-policy.js';
import { logExpired } from './registration-log.js';

/** Events of the location service: an AOR's binding set changed (after it was stored). */
export type LocationEvents = {
  changed: [aor: string, bindings: readonly BindingRecord[]];
};

/**
 * The location service (RFC 3261 §10.2): bindings per address-of-record in an in-memory index,
 * written through to the {@link LocationStore} before a change is acknowledged (durable: a 200 to
 * REGISTER is only sent once the binding is stored, so a restart keeps what the device was told).
 * Changes to one AOR are serialised; expired bindings are dropped at load and swept periodically.
 */
export class LocationService {
  readonly #store: LocationStore;
  readonly #clock: Clock;
  readonly #logger: Logger;
  readonly #policy: RegistrarPolicy;
  readonly #index = new Map<string, BindingRecord[]>();
  readonly #locks = new Map<string, Promise<unknown>>();
  #sweepTimer: TimerHandle | undefined;
  #closed = false;
  /** Typed events; listeners never break the service. */
  readonly events: TypedEmitter<LocationEvents>;

  constructor(opts: { store: LocationStore; clock: Clock; logger: Logger; policy: RegistrarPolicy }) {
    this.#store = opts.store;
    this.#clock = opts.clock;
    this.#logger = opts.logger;
    this.#policy = opts.policy;
    this.events = new TypedEmitter<LocationEvents>(opts.logger);
  }

  /** True once {@link LocationService.close} was called. */
  get closed(): boolean {
    return this.#closed;
  }

  /** Loads every unexpired binding from the store and starts the expiry sweep. */
  async start(): Promise<void> {
    const now = this.#clock.now();
    await this.#store.deleteExpired(now);
    for (const b of await this.#store.loadActive(now)) {
      const list = this.#index.get(b.aor) ?? [];
      list.push(b);
      this.#index.set(b.aor, list);
    }
    this.#logger.info({ aors: this.#index.size }, 'registrations loaded');
    this.#scheduleSweep();
  }

  /** Live bindings of `aor`, highest q first (RFC 3261 §16.6: q orders the targets). */
  lookup(aor: string): BindingRecord[] {
    const now = this.#clock.now();
    return (this.#index.get(aor) ?? []).filter((b) => b.expiresAt > now).sort((a, b) => b.q - a.q);
  }

  /** Live bindings of one extension. */
  byExtension(tenantId: string, extensionId: string): BindingRecord[] {
    const now = this.#clock.now();
    const out: BindingRecord[] = [];
    for (const list of this.#index.values()) {
      for (const b of list) {
        if (b.tenantId === tenantId && b.extensionId === extensionId && b.expiresAt > now) out.push(b);
      }
    }
    return out;
  }

  /** Number of live bindings in the index. */
  get size(): number {
    let n = 0;
    for (const list of this.#index.values()) n += list.length;
    return n;
  }

  /**
   * Runs `decide` on the AOR's current bindings under a per-AOR lock; when it returns a changed set,
   * stores it (awaiting the store) and updates the index. Store failures reject and change nothing.
   */
  async update(aor: string, decide: (current: readonly BindingRecord[]) => RegisterOutcome): Promise<RegisterOutcome> {
    if (this.#closed) throw new InvalidStateError('location service closed');
    const previous = this.#locks.get(aor) ?? Promise.resolve();
    const run = previous.then(async () => {
      const outcome = decide(this.#index.get(aor) ?? []);
      if (outcome.ok && outcome.changed) {
        await this.#store.replaceAor(aor, outcome.bindings);
        if (outcome.bindings.length > 0) this.#index.set(aor, [...outcome.bindings]);
        else this.#index.delete(aor);
        this.events.emit('changed', aor, outcome.bindings);
      }
      return outcome;
    });
    const settled = run.catch(() => undefined);
    this.#locks.set(aor, settled);
    void settled.then(() => {
      if (this.#locks.get(aor) === settled) this.#locks.delete(aor);
    });
    return run;
  }

  /** Drops expired bindings from the index and the store now. */
  async sweep(): Promise<number> {
    const now = this.#clock.now();
    let dropped = 0;
    for (const [aor, list] of this.#index) {
      const live = list.filter((b) => b.expiresAt > now);
      if (live.length === list.length) continue;
      dropped += list.length - live.length;
      for (const b of list) if (b.expiresAt <= now) logExpired(this.#logger, b);
      if (live.length > 0) this.#index.set(aor, live);
      else this.#index.delete(aor);
      this.events.emit('changed', aor, live);
    }
    await this.#store.deleteExpired(now);
    return dropped;
  }

  #scheduleSweep(): void {
    if (this.#closed) return;
    this.#sweepTimer = this.#clock.setTimeout(() => {
      this.#scheduleSweep();
      this.sweep().catch((err: unknown) => this.#logger.error({ err }, 'registration sweep failed'));
    }, this.#policy.sweepIntervalMs);
  }

  /** Stops the sweep and waits for pending writes. Idempotent. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#clock.clearTimeout(this.#sweepTimer);
    await Promise.all([...this.#locks.values()]);
  }
}
