import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { sql } from 'kysely';
import pg from 'pg';
import { dialectsUnderTest, forEachDatabase, TEST_PG_URL, TestDatabase } from '../../test/support/databases.js';
import { isPostgresUrl, openDatabase, SQLITE_FILE_NAME } from './database.js';
import { migrateToLatest } from './migrate.js';
import { MIGRATIONS } from './migrations/index.js';

describe('openDatabase (SQLite)', () => {
  test('creates the data directory and <dataDir>/centrala.db in WAL mode with foreign keys on', async () => {
    const root = mkdtempSync(join(tmpdir(), 'centrala-db-'));
    const dataDir = join(root, 'nested', 'data');
    try {
      const db = await openDatabase({ dataDir });
      assert.equal(db.dialect, 'sqlite');
      assert.ok(existsSync(join(dataDir, SQLITE_FILE_NAME)));
      const mode = await sql<{ journal_mode: string }>`pragma journal_mode`.execute(db.kysely);
      assert.equal(mode.rows[0]?.journal_mode, 'wal');
      const fk = await sql<{ foreign_keys: number }>`pragma foreign_keys`.execute(db.kysely);
      assert.equal(fk.rows[0]?.foreign_keys, 1);
      await db.close();
      await db.close();
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  test('only postgres:// and postgresql:// URLs select PostgreSQL', () => {
    assert.equal(isPostgresUrl('postgres://u@h/db'), true);
    assert.equal(isPostgresUrl('postgresql://u@h/db'), true);
    assert.equal(isPostgresUrl('sqlite:///x'), false);
    assert.equal(isPostgresUrl(undefined), false);
  });

  test('an unreachable PostgreSQL fails at open', async () => {
    await assert.rejects(openDatabase({ url: 'postgres://postgres@127.0.0.1:1/none', dataDir: tmpdir() }));
  });
});

forEachDatabase('migrations', (suite) => {
  test('every migration ran, in order, and running again changes nothing', async () => {
    const again = await migrateToLatest(suite.db);
    assert.deepEqual(again.results, []);
    const rows = await sql<{ name: string }>`select name from kysely_migration order by name`.execute(suite.db.kysely);
    assert.deepEqual(rows.rows.map((r) => r.name), MIGRATIONS.map(([name]) => name));
  });

  test('foreign keys are enforced', async () => {
    await assert.rejects(
      suite.db.kysely
        .insertInto('numbers')
        .values({ id: 'n1', tenant_id: 'missing', e164: '+48221234567', extension_id: null, created_at: new Date(0).toISOString() })
        .execute(),
    );
  });
});

describe('migrations on a shared PostgreSQL server', { skip: !dialectsUnderTest().includes('postgres') && 'CENTRALA_SKIP_PG=1' }, () => {
  test('migrate while other clients create and drop schemas in the same database', async () => {
    const admin = new pg.Client({ connectionString: TEST_PG_URL });
    await admin.connect();
    let churning = true;
    // Another tenant of the server: schemas with a serial column come and go (bounded by the migrations below).
    const churn = (async () => {
      for (let i = 0; churning && i < 2000; i++) {
        const name = `churn_${process.pid}_${i}`;
        await admin.query(`create schema "${name}"; create table "${name}".t (id serial primary key)`);
        await admin.query(`drop schema "${name}" cascade`);
      }
    })();
    try {
      for (let i = 0; i < 8; i++) {
        const fresh = await TestDatabase.create('postgres');
        await fresh.destroy();
      }
    } finally {
      churning = false;
      await churn;
      await admin.end();
    }
  });
});
