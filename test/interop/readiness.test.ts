/**
 * /healthz says ready only once the SIP listeners are bound: a load balancer must not send phones to a server whose
 * HTTP port is open while SIP is still starting. The start is held between the two (the registrar loads the
 * registrations first) by a lock this test takes on the registrations table of its own PostgreSQL schema.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import pg from 'pg';
import { answersOptions, freePort, startCentrala, tempDataDir, type CentralaPorts, type CentralaProcess } from '../support/centrala-process.js';
import { TEST_PG_URL, TestDatabase, dialectsUnderTest } from '../support/databases.js';

describe('readiness on /healthz', { skip: !dialectsUnderTest().includes('postgres') && 'CENTRALA_SKIP_PG=1' }, () => {
  let testDb: TestDatabase;
  let admin: pg.Client;
  let server: CentralaProcess | undefined;

  before(async () => {
    testDb = await TestDatabase.create('postgres');
    await testDb.close();
    admin = new pg.Client({ connectionString: TEST_PG_URL });
    await admin.connect();
  });

  after(async () => {
    await admin.query('rollback').catch(() => undefined);
    await admin.end();
    await server?.stop();
    await testDb.destroy();
  });

  it('answers 503 "starting" (ready: false) while the SIP listeners are not bound, then 200 "ok"', { timeout: 120_000 }, async () => {
    const schema = /search_path=(\S+)/.exec(new URL(testDb.options.url ?? '').searchParams.get('options') ?? '')?.[1] ?? '';
    await admin.query('begin');
    await admin.query(`lock table "${schema}".registrations in access exclusive mode`);
    const ports: CentralaPorts = { http: await freePort(), sip: await freePort(), tls: await freePort(), ws: await freePort() };
    const starting = startCentrala({ dataDir: tempDataDir(), ports, extraArgs: ['--database-url', testDb.options.url ?? ''] });
    void starting.then((s) => (server = s)).catch(() => undefined);

    // The HTTP port opens first (tsx compiles on start: bounded wait).
    let early: Response | undefined;
    for (const deadline = Date.now() + 90_000; early === undefined && Date.now() < deadline; ) {
      early = await fetch(`http://127.0.0.1:${ports.http}/healthz`).catch(() => undefined);
      if (early === undefined) await new Promise((r) => setTimeout(r, 100));
    }
    assert.ok(early, 'the HTTP port never opened');
    assert.equal(early.status, 503);
    assert.deepEqual(await early.json(), { status: 'starting', ready: false, store: 'up' });
    assert.equal(await answersOptions(ports.sip), false, 'SIP is indeed not listening yet');

    await admin.query('rollback');
    server = await starting;
    const ready = await fetch(`${server.baseUrl}/healthz`);
    assert.equal(ready.status, 200);
    assert.deepEqual(await ready.json(), { status: 'ok', ready: true, store: 'up' });
    assert.equal(await answersOptions(ports.sip), true);
  });
});
