// Fresh databases for tests: every suite runs against SQLite (a temp directory) and PostgreSQL (a uniquely
// named schema in postgres://postgres@127.0.0.1:5432/test, dropped afterwards). PostgreSQL being unreachable
// FAILS the suite; only CENTRALA_SKIP_PG=1 leaves it out, and then a skipped test says so in the report.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import pg from 'pg';
import { migrateToLatest, openDatabase, type DatabaseOptions, type Db, type DialectName } from '../../src/store/index.js';

/** Server and database the PostgreSQL tests use (override with CENTRALA_TEST_PG_URL). */
export const TEST_PG_URL = process.env.CENTRALA_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/** The dialects under test: both, unless CENTRALA_SKIP_PG=1. */
export function dialectsUnderTest(): DialectName[] {
  return process.env.CENTRALA_SKIP_PG === '1' ? ['sqlite'] : ['sqlite', 'postgres'];
}

/** A fresh, migrated test database that can be closed and reopened (restart tests) and destroyed. */
export class TestDatabase {
  readonly dialect: DialectName;
  /** How to open this database again (same file / same schema). */
  readonly options: DatabaseOptions;
  readonly #dataDir: string;
  readonly #schema: string | undefined;
  #db: Db | undefined;

  private constructor(dialect: DialectName, options: DatabaseOptions, dataDir: string, schema: string | undefined) {
    this.dialect = dialect;
    this.options = options;
    this.#dataDir = dataDir;
    this.#schema = schema;
  }

  /** Creates the temp directory (and PostgreSQL schema), opens and migrates. */
  static async create(dialect: DialectName): Promise<TestDatabase> {
    const dataDir = mkdtempSync(join(tmpdir(), 'centrala-test-'));
    let schema: string | undefined;
    let options: DatabaseOptions = { dataDir };
    if (dialect === 'postgres') {
      await sweepOrphanSchemas();
      schema = `t_${process.pid}_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`;
      await adminQuery(`create schema "${schema}"`);
      const url = new URL(TEST_PG_URL);
      url.searchParams.set('options', `-c search_path=${schema}`);
      options = { url: url.toString(), dataDir };
    }
    const testDb = new TestDatabase(dialect, options, dataDir, schema);
    try {
      await testDb.reopen();
    } catch (err) {
      await testDb.destroy();
      throw err;
    }
    return testDb;
  }

  /** The open database. */
  get db(): Db {
    if (!this.#db) throw new Error('test database is closed');
    return this.#db;
  }

  /** Closes the database (if open) and opens it again from the same file/schema, migrating (a no-op when current). */
  async reopen(): Promise<Db> {
    await this.#db?.close();
    this.#db = undefined;
    const db = await openDatabase(this.options);
    await migrateToLatest(db);
    this.#db = db;
    return db;
  }

  /** Closes the database without reopening it. */
  async close(): Promise<void> {
    await this.#db?.close();
    this.#db = undefined;
  }

  /** Closes, drops the PostgreSQL schema and removes the temp directory. */
  async destroy(): Promise<void> {
    await this.close();
    if (this.#schema !== undefined) await adminQuery(`drop schema if exists "${this.#schema}" cascade`);
    rmSync(this.#dataDir, { recursive: true, force: true });
  }
}

let swept: Promise<void> | undefined;

/** Drops test schemas left by test processes that died before their `after` hook (once per process). */
function sweepOrphanSchemas(): Promise<void> {
  swept ??= (async () => {
    const client = new pg.Client({ connectionString: TEST_PG_URL, connectionTimeoutMillis: 5000 });
    await client.connect();
    try {
      const { rows } = await client.query<{ nspname: string }>(`select nspname from pg_namespace where nspname ~ '^t_[0-9]+_'`);
      for (const { nspname } of rows) {
        const pid = Number(nspname.split('_')[1]);
        if (pid !== process.pid && !isAlive(pid)) await client.query(`drop schema if exists "${nspname}" cascade`);
      }
    } finally {
      await client.end();
    }
  })();
  return swept;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function adminQuery(text: string): Promise<void> {
  const client = new pg.Client({ connectionString: TEST_PG_URL, connectionTimeoutMillis: 5000 });
  await client.connect();
  try {
    await client.query(text);
  } finally {
    await client.end();
  }
}

/** What a suite body of {@link forEachDatabase} receives: the suite's database, valid inside tests and hooks. */
export interface DatabaseSuite {
  readonly dialect: DialectName;
  /** The suite's test database (created in `before`, destroyed in `after`). */
  readonly test: TestDatabase;
  /** Shortcut for `test.db`. */
  readonly db: Db;
}

/**
 * Declares `describe('<name> [sqlite]')` and `describe('<name> [postgres]')`, each with a fresh migrated
 * database created before its tests and destroyed after them. With CENTRALA_SKIP_PG=1 the PostgreSQL suite is
 * replaced by one skipped test that says so (never a silent skip).
 */
export function forEachDatabase(name: string, body: (suite: DatabaseSuite) => void): void {
  for (const dialect of ['sqlite', 'postgres'] as const) {
    if (!dialectsUnderTest().includes(dialect)) {
      test(`${name} [${dialect}]`, { skip: 'PostgreSQL left out by CENTRALA_SKIP_PG=1' }, () => undefined);
      continue;
    }
    describe(`${name} [${dialect}]`, () => {
      let current: TestDatabase | undefined;
      const suite: DatabaseSuite = {
        dialect,
        get test() {
          if (!current) throw new Error('the test database exists only inside tests and hooks');
          return current;
        },
        get db() {
          return suite.test.db;
        },
      };
      before(async () => {
        current = await TestDatabase.create(dialect);
      });
      after(async () => {
        await current?.destroy();
      });
      body(suite);
    });
  }
}

/**
 * Terminates the backends whose `application_name` is `applicationName` (what a PostgreSQL restart does to them),
 * through `admin`, and returns how many. Never any other backend: the server is shared with other suites. The
 * check sits in a CASE, which PostgreSQL evaluates before its THEN; in a WHERE clause the planner may call
 * `pg_terminate_backend` before the filter on the name, on every backend of the server.
 */
export async function terminateBackends(admin: pg.Client, applicationName: string): Promise<number> {
  if (applicationName.trim() === '') throw new Error('terminateBackends needs a non-empty application_name');
  const { rows } = await admin.query<{ terminated: boolean | null }>(
    `select case when application_name = $1 and pid <> pg_backend_pid() then pg_terminate_backend(pid) else false end as terminated
     from pg_stat_activity where application_name = $1`,
    [applicationName],
  );
  return rows.filter((r) => r.terminated === true).length;
}
