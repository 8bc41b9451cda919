import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FakeClock, silentLogger, StoreUnavailableError } from '../lib/index.js';
import { failureKind, retryAfterSeconds } from './store-errors.js';
import { StoreHealth } from './store-health.js';

const settle = (): Promise<void> => new Promise((r) => setImmediate(r));

/** A monitor over a database that can be taken down and brought back. */
function setUp() {
  const database = { up: true, probes: 0 };
  const clock = new FakeClock();
  const answer = async (): Promise<void> => {
    database.probes++;
    if (!database.up) throw Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
  };
  const health = new StoreHealth({ probe: answer, ping: answer, clock, logger: silentLogger(), probeIntervalMs: 1000 });
  const events: string[] = [];
  health.events.on('down', () => events.push('down'));
  health.events.on('up', (ms) => events.push(`up after ${ms} ms`));
  return { database, clock, health, events };
}

describe('StoreHealth', () => {
  it('a lost connection on a database that still answers is not an outage', async () => {
    const { health, events, database } = setUp();
    health.connectionLost(new Error('Connection terminated unexpectedly'));
    await settle();
    assert.equal(health.state, 'up');
    assert.equal(database.probes, 1);
    assert.deepEqual(events, []);
  });

  it('goes down when the probe fails, fails fast meanwhile, probes every interval and comes up by itself', async () => {
    const { database, clock, health, events } = setUp();
    database.up = false;
    health.connectionLost(new Error('Connection terminated unexpectedly'));
    await settle();
    assert.equal(health.state, 'down');
    assert.equal(health.downSince, clock.now());
    assert.throws(() => health.assertUp(), (err: unknown) => err instanceof StoreUnavailableError && err.retryAfterSeconds >= 5);
    assert.equal(await health.check(), false, '/healthz says down without touching the database');
    clock.advance(1000);
    await settle();
    assert.equal(database.probes, 2);
    assert.equal(health.state, 'down');
    database.up = true;
    clock.advance(1000);
    await settle();
    assert.equal(health.state, 'up');
    assert.deepEqual(events, ['down', 'up after 2000 ms']);
    assert.doesNotThrow(() => health.assertUp());
    assert.equal(await health.check(), true);
    assert.equal(clock.pending, 0, 'no probe is scheduled while up');
  });

  it('a failed /healthz query probes: the store goes down when the database does not answer', async () => {
    const { database, health } = setUp();
    database.up = false;
    assert.equal(await health.check(), false);
    await settle();
    assert.equal(health.state, 'down');
  });

  it('stops probing when closed', async () => {
    const { database, clock, health } = setUp();
    database.up = false;
    health.connectionLost(new Error('Connection terminated'));
    await settle();
    health.close();
    assert.equal(clock.pending, 0);
  });
});

describe('failureKind', () => {
  const cases: Array<[string, unknown, string]> = [
    ['a terminated backend (57P01)', Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' }), 'connection'],
    ['a server that is starting up (57P03)', Object.assign(new Error('the database system is starting up'), { code: '57P03' }), 'connection'],
    ['a connection exception (08006)', Object.assign(new Error('connection failure'), { code: '08006' }), 'connection'],
    ['a refused connection', Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }), 'connection'],
    ['a reset connection', Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' }), 'connection'],
    ['a connection that ended', new Error('Connection terminated unexpectedly'), 'connection'],
    ['a pool acquire timeout', new Error('timeout exceeded when trying to connect'), 'connection'],
    ['a statement timeout (57014)', Object.assign(new Error('canceling statement due to statement timeout'), { code: '57014' }), 'temporary'],
    ['a full disk on the server (53100)', Object.assign(new Error('could not extend file'), { code: '53100' }), 'temporary'],
    ['SQLite busy', Object.assign(new Error('database is locked'), { code: 'SQLITE_BUSY' }), 'temporary'],
    ['SQLite full', Object.assign(new Error('database or disk is full'), { code: 'SQLITE_FULL' }), 'temporary'],
    ['a SQLite I/O error', Object.assign(new Error('disk I/O error'), { code: 'SQLITE_IOERR_WRITE' }), 'temporary'],
    ['a unique violation (23505)', Object.assign(new Error('duplicate key'), { code: '23505' }), 'other'],
    ['a SQLite constraint', Object.assign(new Error('UNIQUE constraint failed'), { code: 'SQLITE_CONSTRAINT_UNIQUE' }), 'other'],
    ['a plain bug', new TypeError('x is undefined'), 'other'],
  ];
  for (const [what, err, kind] of cases) {
    it(`classifies ${what} as ${kind}`, () => assert.equal(failureKind(err), kind));
  }

  it('spreads Retry-After over 5–15 s', () => {
    assert.equal(retryAfterSeconds(() => 0), 5);
    assert.equal(retryAfterSeconds(() => 0.9999), 15);
  });
});
