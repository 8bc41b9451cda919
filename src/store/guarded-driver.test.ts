// The store's failures as the rest of the server sees them: a real PostgreSQL whose backends are terminated (as a
// restart does) or whose statement runs too long, and a real SQLite that is busy or full. Availability failures
// become StoreUnavailableError, nothing crashes the process, and the pool reconnects by itself.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import SQLite from 'better-sqlite3';
import { sql } from 'kysely';
import pg from 'pg';
import { dialectsUnderTest, terminateBackends, TEST_PG_URL, TestDatabase } from '../../test/support/databases.js';
import { StoreUnavailableError } from '../lib/index.js';
import { openDatabase, SQLITE_FILE_NAME, type Db } from './database.js';

const isUnavailable = (err: unknown): boolean => err instanceof StoreUnavailableError && err.retryAfterSeconds >= 5;

/**
 * `select 1` succeeds within 3 s. Right after a termination a query may still meet another terminated connection
 * whose end has not been read yet (a temporary failure); the pool drops those and opens new ones.
 */
async function answersAgain(db: Db): Promise<void> {
  for (const deadline = Date.now() + 3000; ; ) {
    try {
      await sql`select 1`.execute(db.kysely);
      return;
    } catch (err) {
      if (!isUnavailable(err) || Date.now() > deadline) throw err;
      await new Promise((r) => setTimeout(r, 50));
    }
  }
}

describe('a PostgreSQL store that loses its connections', { skip: !dialectsUnderTest().includes('postgres') && 'CENTRALA_SKIP_PG=1' }, () => {
  // A name of this run only: the admin client terminates backends with this application_name and no others
  // (other suites share the server).
  const applicationName = `centrala-test-${process.pid}-${randomBytes(4).toString('hex')}`;
  let testDb: TestDatabase;
  let db: Db;
  let admin: pg.Client;

  /** Terminates this run's backends; returns how many. */
  const terminateOurBackends = (): Promise<number> => terminateBackends(admin, applicationName);

  /** Waits (bounded) until one of this run's backends is running a statement. */
  const waitForActiveQuery = async (): Promise<void> => {
    for (const deadline = Date.now() + 5000; Date.now() < deadline; ) {
      const { rows } = await admin.query("select 1 from pg_stat_activity where application_name = $1 and state = 'active'", [applicationName]);
      if (rows.length > 0) return;
      await new Promise((r) => setTimeout(r, 20));
    }
    throw new Error('the statement never started');
  };

  before(async () => {
    testDb = await TestDatabase.create('postgres');
    await testDb.close();
    db = await openDatabase({ ...testDb.options, pool: { applicationName, statementTimeoutMs: 300, size: 3 } });
    admin = new pg.Client({ connectionString: TEST_PG_URL });
    await admin.connect();
  });

  after(async () => {
    await admin.end();
    await db.close();
    await testDb.destroy();
  });

  test('shows its application_name to the server', async () => {
    await sql`select 1`.execute(db.kysely);
    const { rows } = await admin.query('select 1 from pg_stat_activity where application_name = $1', [applicationName]);
    assert.ok(rows.length >= 1);
  });

  test('idle connections terminated by the server (57P01) do not end the process; the next query reconnects', async () => {
    // Open a few connections so that they sit idle in the pool.
    await Promise.all([1, 2, 3].map(() => sql`select pg_sleep(0.05)`.execute(db.kysely)));
    assert.ok((await terminateOurBackends()) >= 1);
    // The pool's 'error' event and the probe run meanwhile; an unheard 'error' would have ended this process.
    await answersAgain(db);
    assert.equal(db.health.state, 'up', 'one round of terminated connections is not an outage: the probe reconnected');
  });

  test('a statement whose backend is terminated fails with StoreUnavailableError, and the store answers again', async () => {
    const running = sql`select pg_sleep(0.25)`.execute(db.kysely);
    const outcome = running.then(
      () => 'finished',
      (err: unknown) => err,
    );
    await waitForActiveQuery();
    await terminateOurBackends();
    const err = await outcome;
    assert.ok(isUnavailable(err), `got ${String(err)}`);
    assert.match((err as Error).message, /terminat/i);
    await answersAgain(db);
  });

  test('a transaction whose connection is terminated mid-way fails with StoreUnavailableError and writes nothing', async () => {
    const id = `outage-${randomBytes(4).toString('hex')}`;
    const outcome = db.kysely
      .transaction()
      .execute(async (tx) => {
        await sql`insert into kysely_migration_lock (id, is_locked) values (${id}, 0)`.execute(tx);
        await sql`select pg_sleep(0.25)`.execute(tx);
      })
      .then(
        () => 'committed',
        (err: unknown) => err,
      );
    await waitForActiveQuery();
    await terminateOurBackends();
    assert.ok(isUnavailable(await outcome));
    await answersAgain(db);
    const { rows } = await sql`select 1 from kysely_migration_lock where id = ${id}`.execute(db.kysely);
    assert.equal(rows.length, 0);
  });

  test('a statement over the statement timeout fails with StoreUnavailableError (57014) and the store stays up', async () => {
    const err = await sql`select pg_sleep(2)`.execute(db.kysely).then(
      () => undefined,
      (e: unknown) => e,
    );
    assert.ok(isUnavailable(err), `got ${String(err)}`);
    assert.equal(((err as Error).cause as { code?: string }).code, '57014');
    assert.equal(db.health.state, 'up');
  });

  test('a constraint violation is not an availability failure: it stays the driver error', async () => {
    const err = await sql`select 1/0`.execute(db.kysely).then(
      () => undefined,
      (e: unknown) => e,
    );
    assert.ok(err instanceof Error && !(err instanceof StoreUnavailableError));
  });
});

describe('a SQLite store that is busy or full', () => {
  let testDb: TestDatabase;

  before(async () => {
    testDb = await TestDatabase.create('sqlite');
  });

  after(async () => {
    await testDb.destroy();
  });

  test('a write that finds the database locked past the busy timeout (SQLITE_BUSY) fails with StoreUnavailableError', async () => {
    const db = testDb.db;
    await sql`pragma busy_timeout = 50`.execute(db.kysely);
    const other = new SQLite(join(testDb.options.dataDir, SQLITE_FILE_NAME));
    try {
      other.exec('begin exclusive');
      const err = await sql`insert into kysely_migration_lock (id, is_locked) values ('busy-test', 0)`.execute(db.kysely).then(
        () => undefined,
        (e: unknown) => e,
      );
      assert.ok(isUnavailable(err), `got ${String(err)}`);
      assert.match(((err as Error).cause as { code?: string }).code ?? '', /^SQLITE_BUSY/);
      other.exec('rollback');
    } finally {
      other.close();
      await sql`pragma busy_timeout = 5000`.execute(db.kysely);
    }
    assert.equal(db.health.state, 'up');
  });

  test('a write to a full database (SQLITE_FULL) fails with StoreUnavailableError and the store stays up', async () => {
    const db = testDb.db;
    const { rows } = await sql<{ page_count: number }>`pragma page_count`.execute(db.kysely);
    await sql.raw(`pragma max_page_count = ${rows[0]?.page_count ?? 1}`).execute(db.kysely);
    try {
      const err = await sql`create table filler (data blob)`
        .execute(db.kysely)
        .then(() => sql`insert into filler values (randomblob(1000000))`.execute(db.kysely))
        .then(
          () => undefined,
          (e: unknown) => e,
        );
      assert.ok(isUnavailable(err), `got ${String(err)}`);
      assert.match(((err as Error).cause as { code?: string }).code ?? '', /^SQLITE_FULL/);
    } finally {
      await sql`pragma max_page_count = 1073741823`.execute(db.kysely);
    }
    assert.equal(db.health.state, 'up');
    assert.equal((await sql<{ one: number }>`select 1 as one`.execute(db.kysely)).rows[0]?.one, 1);
  });
});
