import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { callRecord } from '../../../test/support/call-record-builder.js';
import { FakeClock, silentLogger, StoreUnavailableError, type LogFields, type Logger } from '../../lib/index.js';
import type { CallDetailRecord, CdrSink } from '../ports.js';
import { CdrQueue } from './cdr-queue.js';

/** A sink over a store that can be taken down and brought back. */
class Store implements CdrSink {
  readonly written: CallDetailRecord[] = [];
  up = true;
  refuse: Error | undefined;

  async write(record: CallDetailRecord): Promise<void> {
    if (!this.up) throw new StoreUnavailableError('store unavailable: the database is down', { retryAfterSeconds: 5 });
    if (this.refuse) throw this.refuse;
    if (!this.written.some((r) => r.id === record.id)) this.written.push(record);
  }
}

/** A logger that keeps the error lines. */
function errorLog(): { logger: Logger; errors: Array<{ fields: LogFields; msg: string | undefined }> } {
  const errors: Array<{ fields: LogFields; msg: string | undefined }> = [];
  const logger: Logger = { ...silentLogger(), error: (fields, msg) => void errors.push({ fields, msg }), child: () => logger };
  return { logger, errors };
}

const settle = (): Promise<void> => new Promise((r) => setImmediate(r));

function setUp(limit = 100) {
  const store = new Store();
  const clock = new FakeClock();
  const { logger, errors } = errorLog();
  const queue = new CdrQueue({ sink: store, clock, logger, limit, retryIntervalMs: 5000 });
  return { store, clock, queue, errors };
}

describe('CdrQueue', () => {
  it('writes a record straight through while the store answers', async () => {
    const { store, queue } = setUp();
    const record = callRecord('t1');
    await queue.write(record);
    assert.deepEqual(store.written, [record]);
    assert.equal(queue.waiting, 0);
  });

  it('keeps the records of calls that end while the store is down and writes them, in order, on flush()', async () => {
    const { store, queue } = setUp();
    store.up = false;
    const records = [callRecord('t1'), callRecord('t1'), callRecord('t1')];
    for (const r of records) await queue.write(r);
    assert.equal(queue.waiting, 3);
    store.up = true;
    await queue.flush();
    assert.deepEqual(store.written, records);
    assert.equal(queue.waiting, 0);
  });

  it('retries every retryIntervalMs while records wait, and keeps new ones behind them', async () => {
    const { store, clock, queue } = setUp();
    store.up = false;
    const first = callRecord('t1');
    await queue.write(first);
    clock.advance(5000);
    await settle();
    assert.equal(queue.waiting, 1, 'still down: the retry failed and the record waits');
    store.up = true;
    const second = callRecord('t1');
    await queue.write(second);
    assert.deepEqual(store.written, [], 'a new record waits behind the older one');
    clock.advance(5000);
    await settle();
    await settle();
    assert.deepEqual(store.written, [first, second]);
  });

  it('gives up the oldest record beyond the limit, logging it whole (never silently)', async () => {
    const { store, queue, errors } = setUp(2);
    store.up = false;
    const records = [callRecord('t1'), callRecord('t1'), callRecord('t1')];
    for (const r of records) await queue.write(r);
    assert.equal(queue.waiting, 2);
    assert.equal(errors.length, 1);
    assert.deepEqual(errors[0]?.fields['cdr'], records[0]);
    store.up = true;
    await queue.flush();
    assert.deepEqual(store.written, records.slice(1));
  });

  it('logs whole, at close, the records the store still could not take', async () => {
    const { store, clock, queue, errors } = setUp();
    store.up = false;
    const record = callRecord('t1');
    await queue.write(record);
    await queue.close();
    assert.equal(errors.length, 1);
    assert.deepEqual(errors[0]?.fields['cdr'], record);
    assert.match(errors[0]?.msg ?? '', /shutdown/);
    assert.equal(clock.pending, 0, 'no retry timer is left behind');
  });

  it('does not keep a record the store refuses for another reason, but logs it whole', async () => {
    const { store, queue, errors } = setUp();
    store.refuse = new Error('check constraint violated');
    const record = callRecord('t1');
    await queue.write(record);
    assert.equal(queue.waiting, 0);
    assert.deepEqual(errors[0]?.fields['cdr'], record);
  });
});
