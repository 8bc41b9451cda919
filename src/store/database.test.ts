import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { sql } from 'kysely';
import { forEachDatabase } from '../../test/support/databases.js';
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
