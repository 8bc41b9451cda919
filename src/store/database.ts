import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect } from 'kysely';
import pg from 'pg';
import type { Database } from './schema.js';

/** The SQL dialects Centrala runs on. */
export type DialectName = 'sqlite' | 'postgres';

/** Where the store lives: a PostgreSQL URL, or else the SQLite file `<dataDir>/centrala.db`. */
export interface DatabaseOptions {
  /** `postgres://` or `postgresql://` URL; anything else (or nothing) selects SQLite. */
  url?: string;
  /** Directory of the SQLite file; created on first open. */
  dataDir: string;
}

/** An open store: the Kysely instance (also the executor repositories take) and how to close it. */
export interface Db {
  readonly kysely: Kysely<Database>;
  readonly dialect: DialectName;
  /** Closes the pool or file; idempotent. */
  close(): Promise<void>;
}

/** File name of the embedded store inside the data directory. */
export const SQLITE_FILE_NAME = 'centrala.db';

/** True when `url` selects PostgreSQL. */
export function isPostgresUrl(url: string | undefined): url is string {
  return url !== undefined && /^postgres(ql)?:\/\//i.test(url);
}

/**
 * Opens the store. SQLite: creates `dataDir`, opens `<dataDir>/centrala.db` in WAL mode with foreign keys on.
 * PostgreSQL: a pg Pool on `url` (a `?options=-c search_path=…` parameter selects a schema). Run
 * {@link migrateToLatest} before use.
 */
export async function openDatabase(options: DatabaseOptions): Promise<Db> {
  if (isPostgresUrl(options.url)) {
    const pool = new pg.Pool({ connectionString: options.url, max: 10 });
    const kysely = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
    // Fail at open, not at the first query, when the server is unreachable.
    await pool.query('select 1');
    return wrap(kysely, 'postgres');
  }
  mkdirSync(options.dataDir, { recursive: true });
  const file = new SQLite(join(options.dataDir, SQLITE_FILE_NAME));
  file.pragma('journal_mode = WAL');
  file.pragma('foreign_keys = ON');
  file.pragma('busy_timeout = 5000');
  file.pragma('synchronous = NORMAL');
  const kysely = new Kysely<Database>({ dialect: new SqliteDialect({ database: file }) });
  return wrap(kysely, 'sqlite');
}

function wrap(kysely: Kysely<Database>, dialect: DialectName): Db {
  let closing: Promise<void> | undefined;
  return {
    kysely,
    dialect,
    close: () => (closing ??= kysely.destroy()),
  };
}
