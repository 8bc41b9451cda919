import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import {
  DEFAULT_MIGRATION_TABLE,
  Kysely,
  PostgresDialect,
  sql,
  SqliteDialect,
  type DatabaseIntrospector,
  type DatabaseMetadata,
  type Driver,
  type SchemaMetadata,
  type SqliteDatabase,
  type SqliteStatement,
  type TableMetadata,
} from 'kysely';
import pg from 'pg';
import { LruMap, silentLogger, SystemClock, type Clock, type Logger } from '../lib/index.js';
import { GuardedDriver } from './guarded-driver.js';
import type { Database } from './schema.js';
import { failureKind } from './store-errors.js';
import { StoreHealth } from './store-health.js';

/** The SQL dialects Centrala runs on. */
export type DialectName = 'sqlite' | 'postgres';

/** Where the store lives: a PostgreSQL URL, or else the SQLite file `<dataDir>/centrala.db`. */
export interface DatabaseOptions {
  /** `postgres://` or `postgresql://` URL; anything else (or nothing) selects SQLite. */
  url?: string;
  /** Directory of the SQLite file; created on first open. */
  dataDir: string;
  /**
   * True (the default): create what is missing (directory, file; the migrations then create the tables).
   * False: open only a store Centrala initialised before, and throw {@link StoreNotInitialisedError} otherwise,
   * creating nothing.
   */
  create?: boolean;
  /** PostgreSQL connection pool (ignored for SQLite); every field has a default. */
  pool?: PoolSettings;
  /** Logs outages and lost connections; default silent. */
  logger?: Logger;
  /** Times the probes of an outage; default the system clock. */
  clock?: Clock;
}

/** Name of the table in which the migrator records the migrations run: present in every store Centrala made. */
export const MIGRATION_TABLE = DEFAULT_MIGRATION_TABLE;

/** A store that Centrala never initialised, opened with `create: false`; nothing was created. */
export class StoreNotInitialisedError extends Error {
  override readonly name = 'StoreNotInitialisedError';
  /** What was looked for: the SQLite file, or the migration table in a PostgreSQL schema. */
  readonly lookedFor: string;

  constructor(lookedFor: string) {
    super(`no Centrala database (looked for ${lookedFor})`);
    this.lookedFor = lookedFor;
  }
}

/** Settings of the PostgreSQL connection pool. */
export interface PoolSettings {
  /** Most connections open at once (default 10). */
  readonly size?: number;
  /** Longest wait for a connection, from the pool or newly made, before the request fails (default 5000 ms). */
  readonly acquireTimeoutMs?: number;
  /** Server-side `statement_timeout` of every connection (default 30 000 ms); null: none. */
  readonly statementTimeoutMs?: number | null;
  /** `application_name` the connections show in `pg_stat_activity` (default `centrala`). */
  readonly applicationName?: string;
}

/** Defaults of {@link PoolSettings}. */
export const DEFAULT_POOL_SETTINGS = {
  size: 10,
  acquireTimeoutMs: 5000,
  statementTimeoutMs: 30_000,
  applicationName: 'centrala',
} as const;

/** Time between probes while the store is down. */
export const STORE_PROBE_INTERVAL_MS = 1000;

/** An open store: the Kysely instance (also the executor repositories take) and how to close it. */
export interface Db {
  readonly kysely: Kysely<Database>;
  readonly dialect: DialectName;
  /** Whether the store answers, with `down`/`up` events (outages of PostgreSQL). */
  readonly health: StoreHealth;
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
 * PostgreSQL: a pg Pool on `url` (a `?options=-c search_path=…` parameter selects a schema) with the `pool`
 * settings. Either way every query goes through a `GuardedDriver`: availability failures become
 * `StoreUnavailableError` and {@link Db.health} follows outages. Run {@link migrateToLatest} before use.
 */
export async function openDatabase(options: DatabaseOptions): Promise<Db> {
  const create = options.create ?? true;
  const logger = options.logger ?? silentLogger();
  const clock = options.clock ?? new SystemClock();
  const healthOf = (probe: () => Promise<void>, ping: () => Promise<void>): StoreHealth =>
    new StoreHealth({ probe, ping, clock, logger, probeIntervalMs: STORE_PROBE_INTERVAL_MS });
  if (isPostgresUrl(options.url)) {
    const settings = { ...DEFAULT_POOL_SETTINGS, ...definedFields(options.pool ?? {}) };
    const connection: pg.ClientConfig = {
      connectionString: options.url,
      connectionTimeoutMillis: settings.acquireTimeoutMs,
      application_name: settings.applicationName,
      ...(settings.statementTimeoutMs !== null ? { statement_timeout: settings.statementTimeoutMs } : {}),
      // Notice a peer that vanished without a FIN (failover, network cut) on idle connections too.
      keepAlive: true,
    };
    const pool = new pg.Pool({ ...connection, max: settings.size });
    const health = healthOf(
      () => probeConnection(connection),
      async () => {
        await pool.query('select 1');
      },
    );
    watchPool(pool, health, logger);
    const kysely = new Kysely<Database>({ dialect: new CurrentSchemaPostgresDialect({ pool }, health) });
    // Fail at open, not at the first query, when the server is unreachable.
    try {
      await pool.query('select 1');
      if (!create) await requirePostgresMigrationTable(pool);
    } catch (err) {
      health.close();
      await pool.end();
      throw err;
    }
    return wrap(kysely, 'postgres', health);
  }
  const path = join(options.dataDir, SQLITE_FILE_NAME);
  if (!create && !existsSync(path)) throw new StoreNotInitialisedError(path);
  if (create) mkdirSync(options.dataDir, { recursive: true });
  const file = new SQLite(path, { fileMustExist: !create });
  if (!create && file.prepare(`select 1 from sqlite_master where type = 'table' and name = ?`).get(MIGRATION_TABLE) === undefined) {
    file.close();
    throw new StoreNotInitialisedError(`table ${MIGRATION_TABLE} in ${path}`);
  }
  file.pragma('journal_mode = WAL');
  file.pragma('foreign_keys = ON');
  file.pragma('busy_timeout = 5000');
  file.pragma('synchronous = NORMAL');
  const selectOne = async (): Promise<void> => {
    file.prepare('select 1').get();
  };
  const health = healthOf(selectOne, selectOne);
  const kysely = new Kysely<Database>({ dialect: new GuardedSqliteDialect({ database: withStatementCache(file) }, health) });
  return wrap(kysely, 'sqlite', health);
}

/** The fields of `o` that are not undefined (so that spreading it keeps the defaults). */
function definedFields<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/** Connects anew, runs `select 1` and disconnects: does the server take connections and answer? */
async function probeConnection(config: pg.ClientConfig): Promise<void> {
  const client = new pg.Client(config);
  // A failure is the probe's answer (connect or query rejects); an 'error' event must not end the process.
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.query('select 1');
  } finally {
    await client.end().catch(() => undefined);
  }
}

/**
 * pg reports a connection that fails while idle in the pool (a restart's 57P01, a reset) as an `error` event of
 * the pool, and one that fails while checked out as an `error` event of the client: unheard, either ends the
 * process. Both are logged and make the store probe; pg-pool drops the broken client itself.
 */
function watchPool(pool: pg.Pool, health: StoreHealth, logger: Logger): void {
  const lost = (err: Error): void => {
    logger.warn({ err, kind: failureKind(err) }, 'database connection lost');
    health.connectionLost(err);
  };
  pool.on('error', lost);
  pool.on('connect', (client) => {
    client.on('error', (err) => {
      // The query running on it (if any) fails with the same error and is answered by its caller.
      logger.debug({ err }, 'database connection failed while in use');
      health.connectionLost(err);
    });
  });
}

/** Throws {@link StoreNotInitialisedError} unless the current schema holds Centrala's migration table. */
async function requirePostgresMigrationTable(pool: pg.Pool): Promise<void> {
  const { rows } = await pool.query<{ schema: string | null; found: boolean }>(
    `select current_schema() as schema, exists (
       select 1 from pg_catalog.pg_class c join pg_catalog.pg_namespace n on n.oid = c.relnamespace
       where n.nspname = current_schema() and c.relname = $1 and c.relkind in ('r', 'p')) as found`,
    [MIGRATION_TABLE],
  );
  const row = rows[0];
  if (row?.found) return;
  const where = row?.schema ? `schema ${row.schema}` : 'the search_path (none of its schemas exists)';
  throw new StoreNotInitialisedError(`table ${MIGRATION_TABLE} in ${where}`);
}

/** Compiled statements kept per SQLite database (Kysely's SQL has placeholders, so a few hundred shapes at most). */
const STATEMENT_CACHE_SIZE = 500;

/**
 * Kysely prepares every query anew, and better-sqlite3 compiles SQL on each prepare(): under load the compiling
 * cost as much as running the statements. This keeps the compiled statements by SQL text (bounded, least
 * recently used dropped). Sharing one is safe: Kysely runs one query at a time on the connection, to completion.
 */
function withStatementCache(file: SQLite.Database): SqliteDatabase {
  const statements = new LruMap<string, SqliteStatement>(STATEMENT_CACHE_SIZE);
  return {
    close: () => file.close(),
    prepare(sql) {
      let statement = statements.get(sql);
      if (statement === undefined) {
        statement = file.prepare(sql);
        statements.set(sql, statement);
      }
      return statement;
    },
  };
}

/**
 * Kysely's PostgreSQL introspector reads every schema of the database and calls `has_schema_privilege` and
 * `pg_get_serial_sequence` by schema NAME, which fails ("schema … does not exist") when another client drops a
 * schema while the query runs — on a shared server, or while parallel tests drop theirs. Its one user here is
 * the migrator, which only asks whether its bookkeeping tables exist in the current schema; this dialect answers
 * that from the catalogue of the current schema alone, by OID. Columns are not listed (nothing here reads them).
 */
class CurrentSchemaPostgresDialect extends PostgresDialect {
  readonly #health: StoreHealth;

  constructor(config: ConstructorParameters<typeof PostgresDialect>[0], health: StoreHealth) {
    super(config);
    this.#health = health;
  }

  /** Every query's failure is classified (see {@link GuardedDriver}). */
  override createDriver(): Driver {
    return new GuardedDriver(super.createDriver(), this.#health);
  }

  override createIntrospector(db: Kysely<unknown>): DatabaseIntrospector {
    return new CurrentSchemaIntrospector(db);
  }
}

/** SQLite with every query's failure classified (busy, disk full … become a temporary failure). */
class GuardedSqliteDialect extends SqliteDialect {
  readonly #health: StoreHealth;

  constructor(config: ConstructorParameters<typeof SqliteDialect>[0], health: StoreHealth) {
    super(config);
    this.#health = health;
  }

  override createDriver(): Driver {
    return new GuardedDriver(super.createDriver(), this.#health);
  }
}

class CurrentSchemaIntrospector implements DatabaseIntrospector {
  constructor(private readonly db: Kysely<unknown>) {}

  async getSchemas(): Promise<SchemaMetadata[]> {
    const { rows } = await sql<{ name: string }>`select nspname as name from pg_catalog.pg_namespace`.execute(this.db);
    return rows;
  }

  async getTables(): Promise<TableMetadata[]> {
    const { rows } = await sql<{ name: string; schema: string; kind: string }>`
      select c.relname as name, n.nspname as schema, c.relkind as kind
      from pg_catalog.pg_class c join pg_catalog.pg_namespace n on n.oid = c.relnamespace
      where n.nspname = current_schema() and c.relkind in ('r', 'p', 'v')`.execute(this.db);
    return rows.map((r) => ({ name: r.name, schema: r.schema, isView: r.kind === 'v', columns: [] }));
  }

  async getMetadata(): Promise<DatabaseMetadata> {
    return { tables: await this.getTables() };
  }
}

function wrap(kysely: Kysely<Database>, dialect: DialectName, health: StoreHealth): Db {
  let closing: Promise<void> | undefined;
  return {
    kysely,
    dialect,
    health,
    close: () =>
      (closing ??= (async () => {
        health.close();
        await kysely.destroy();
      })()),
  };
}
