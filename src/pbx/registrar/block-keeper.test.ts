import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { FailureTracker, FakeClock, silentLogger, type Block } from '../../lib/index.js';
import type { BlockStore } from '../ports.js';
import { BLOCK_RESYNC_MS, BlockKeeper } from './block-keeper.js';

const REALM = 'acme.test';

/** A store in memory that can be made to fail. */
class MemoryBlockStore implements BlockStore {
  readonly rows = new Map<string, Block>();
  down = false;
  purges = 0;
  async record(block: Block): Promise<void> {
    if (this.down) throw new Error('store down');
    this.rows.set(block.id, block);
  }
  async loadActive(): Promise<Block[]> {
    if (this.down) throw new Error('store down');
    return [...this.rows.values()];
  }
  async stored(ids: readonly string[]): Promise<ReadonlySet<string>> {
    if (this.down) throw new Error('store down');
    return new Set(ids.filter((id) => this.rows.has(id)));
  }
  async purgeEnded(): Promise<void> {
    this.purges++;
  }
}

function setup(store = new MemoryBlockStore()): { clock: FakeClock; tracker: FailureTracker; store: MemoryBlockStore; keeper: BlockKeeper } {
  const clock = new FakeClock();
  const tracker = new FailureTracker({ clock });
  const keeper = new BlockKeeper({ tracker, store, clock, logger: silentLogger() });
  return { clock, tracker, store, keeper };
}

/** Blocks extension 101 from `source` (a misconfigured phone's 10 failures). */
function blockPair(tracker: FailureTracker, source = '192.0.2.1'): Block {
  for (let i = 0; i < 10; i++) tracker.recordFailure(source, REALM, '101');
  const block = tracker.blocked(source, REALM, '101');
  assert.ok(block);
  return block;
}

const settle = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe('BlockKeeper', () => {
  it('stores every block that starts', async () => {
    const { tracker, store, keeper } = setup();
    await keeper.start();
    const block = blockPair(tracker);
    await settle();
    assert.deepEqual(store.rows.get(block.id), block);
    await keeper.close();
  });

  it('restores the blocks in force at start (a restart keeps them)', async () => {
    const first = setup();
    await first.keeper.start();
    const block = blockPair(first.tracker);
    await settle();
    await first.keeper.close();
    const second = setup(first.store);
    await second.keeper.start();
    assert.equal(second.tracker.blocked('192.0.2.1', REALM, '101')?.id, block.id);
    await second.keeper.close();
  });

  it('a block lifted elsewhere (gone from the store) is lifted here at the next resync, within 5 s', async () => {
    const { clock, tracker, store, keeper } = setup();
    await keeper.start();
    const block = blockPair(tracker);
    await settle();
    store.rows.delete(block.id);
    assert.ok(tracker.blocked('192.0.2.1', REALM, '101'), 'still in force until the resync');
    clock.advance(BLOCK_RESYNC_MS);
    await settle();
    await keeper.resync();
    assert.equal(tracker.blocked('192.0.2.1', REALM, '101'), undefined);
    await keeper.close();
  });

  it('a lift in this process takes effect at once', async () => {
    const { tracker, keeper } = setup();
    await keeper.start();
    const block = blockPair(tracker);
    keeper.lifted([block.id]);
    assert.equal(tracker.blocked('192.0.2.1', REALM, '101'), undefined);
    await keeper.close();
  });

  it('a store failure keeps the block in force, and the block is stored once the store is back', async () => {
    const { tracker, store, keeper } = setup();
    await keeper.start();
    store.down = true;
    const block = blockPair(tracker);
    await settle();
    await keeper.resync();
    assert.equal(tracker.blocked('192.0.2.1', REALM, '101')?.id, block.id, 'in force although not stored');
    store.down = false;
    await keeper.resync();
    assert.deepEqual(store.rows.get(block.id), block);
    assert.equal(tracker.blocked('192.0.2.1', REALM, '101')?.id, block.id, 'not mistaken for a lifted block');
    await keeper.close();
  });

  it('starts without the store when it cannot be read', async () => {
    const store = new MemoryBlockStore();
    store.down = true;
    const { tracker, keeper } = setup(store);
    await keeper.start();
    assert.ok(blockPair(tracker));
    await keeper.close();
  });

  it('asks the store nothing while no block is in force, and purges ended blocks about once a minute', async () => {
    const store = new MemoryBlockStore();
    let asked = 0;
    const counting: BlockStore = {
      record: (b) => store.record(b),
      loadActive: () => store.loadActive(),
      stored: (ids) => {
        asked++;
        return store.stored(ids);
      },
      purgeEnded: () => store.purgeEnded(),
    };
    const clock = new FakeClock();
    const keeper = new BlockKeeper({ tracker: new FailureTracker({ clock }), store: counting, clock, logger: silentLogger() });
    await keeper.start();
    for (let i = 0; i < 12; i++) await keeper.resync();
    assert.equal(asked, 0);
    assert.equal(store.purges, 1);
    await keeper.close();
    assert.equal(clock.pending, 0, 'close stops the resync timer');
  });
});
