import type { Block, Clock, FailureTracker, Logger, TimerHandle } from '../../lib/index.js';
import type { BlockStore } from '../ports.js';

/** How often the keeper looks for blocks lifted elsewhere and retries blocks it could not store. */
export const BLOCK_RESYNC_MS = 5_000;
/** Ended blocks are deleted from the store every this many resyncs (once a minute). */
const PURGE_EVERY = 12;

/** Options of a {@link BlockKeeper}. */
export interface BlockKeeperOptions {
  /** The tracker the digest authenticator decides blocks with (its in-memory view is the hot path). */
  readonly tracker: FailureTracker;
  readonly store: BlockStore;
  readonly clock: Clock;
  readonly logger: Logger;
  /** Resync interval in ms (default {@link BLOCK_RESYNC_MS}). */
  readonly resyncMs?: number;
}

/**
 * Keeps the failure tracker's blocks and the store in step, off the packet path: every block that starts is
 * stored (a store failure is logged, the block stays in force in memory and is stored again at the next
 * resync); at start the blocks in force are restored; every few seconds the blocks stored earlier are looked up,
 * and the ones lifted elsewhere (CLI, another process) are lifted here. A lift in this process comes through
 * {@link BlockKeeper.lifted} and takes effect at once. The resync costs nothing while no block is in force and
 * one indexed query per few seconds while some are.
 */
export class BlockKeeper {
  readonly #o: BlockKeeperOptions;
  /** Ids of blocks in force that are in the store. */
  readonly #stored = new Set<string>();
  /** Blocks in force the store has not taken yet. */
  readonly #pending = new Map<string, Block>();
  #off: (() => void) | undefined;
  #timer: TimerHandle | undefined;
  #resyncs = 0;
  #running: Promise<void> | undefined;
  #closed = false;

  constructor(options: BlockKeeperOptions) {
    this.#o = options;
  }

  /** Restores the blocks in force from the store (a failure is logged: SIP starts anyway) and starts the resync. */
  async start(): Promise<void> {
    try {
      const blocks = await this.#o.store.loadActive();
      for (const block of blocks) {
        this.#o.tracker.restore(block);
        this.#stored.add(block.id);
      }
      if (blocks.length > 0) this.#o.logger.warn({ blocks: blocks.length }, 'auth blocks restored from the store');
    } catch (err) {
      this.#o.logger.error({ err }, 'could not load the auth blocks from the store; starting without them');
    }
    this.#off = this.#o.tracker.events.on('blocked', (block) => this.#record(block));
    this.#schedule();
  }

  /** Blocks lifted in this process (through the API): lifted here at once. */
  lifted(ids: readonly string[]): void {
    for (const id of ids) {
      this.#stored.delete(id);
      this.#pending.delete(id);
      this.#o.tracker.lift(id);
    }
  }

  /** One resync now: stores pending blocks, lifts the ones lifted elsewhere, now and then purges ended ones. */
  resync(): Promise<void> {
    this.#running ??= this.#resync().finally(() => (this.#running = undefined));
    return this.#running;
  }

  /** Stops the resync and waits for a running one. Idempotent. */
  async close(): Promise<void> {
    this.#closed = true;
    this.#off?.();
    this.#o.clock.clearTimeout(this.#timer);
    await this.#running;
  }

  #record(block: Block): void {
    this.#o.store.record(block).then(
      () => this.#stored.add(block.id),
      (err: unknown) => {
        this.#pending.set(block.id, block);
        this.#o.logger.error({ err, blockId: block.id }, 'could not store an auth block; it is in force, storing it again later');
      },
    );
  }

  async #resync(): Promise<void> {
    const active = new Map(this.#o.tracker.activeBlocks().map((b) => [b.id, b]));
    for (const id of [...this.#stored]) if (!active.has(id)) this.#stored.delete(id);
    for (const [id, block] of [...this.#pending]) {
      if (!active.has(id)) {
        this.#pending.delete(id);
        continue;
      }
      try {
        await this.#o.store.record(block);
        this.#pending.delete(id);
        this.#stored.add(id);
      } catch {
        break; // the store is still down: try again at the next resync
      }
    }
    // Only ids stored before the query started: a block stored meanwhile is not mistaken for a lifted one.
    const asked = [...this.#stored];
    if (asked.length > 0) {
      const still = await this.#o.store.stored(asked);
      for (const id of asked) {
        if (still.has(id) || !this.#stored.has(id)) continue;
        this.#stored.delete(id);
        const block = this.#o.tracker.lift(id);
        if (block) this.#o.logger.info({ blockId: id, scope: block.scope, source: block.source }, 'auth block lifted elsewhere');
      }
    }
    if (++this.#resyncs % PURGE_EVERY === 0) await this.#o.store.purgeEnded();
  }

  #schedule(): void {
    if (this.#closed) return;
    this.#timer = this.#o.clock.setTimeout(() => {
      this.resync()
        .catch((err: unknown) => this.#o.logger.error({ err }, 'auth block resync failed'))
        .finally(() => this.#schedule());
    }, this.#o.resyncMs ?? BLOCK_RESYNC_MS);
  }
}
