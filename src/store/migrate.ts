import { Migrator, sql, type Migration, type MigrationProvider, type MigrationResultSet } from 'kysely';
import type { Db } from './database.js';
import { MIGRATIONS } from './migrations/index.js';

/** Serves the statically imported migrations of `migrations/index.ts` (no file-system scanning at run time). */
export class StaticMigrationProvider implements MigrationProvider {
  readonly #migrations: ReadonlyArray<readonly [string, Migration]>;

  constructor(migrations: ReadonlyArray<readonly [string, Migration]> = MIGRATIONS) {
    this.#migrations = migrations;
  }

  async getMigrations(): Promise<Record<string, Migration>> {
    return Object.fromEntries(this.#migrations);
  }
}

/** Runs every pending migration; throws (naming the failed migration) if one fails. */
export async function migrateToLatest(db: Db): Promise<MigrationResultSet> {
  // Kysely looks for its bookkeeping tables in every schema unless told which one: with several schemas in one
  // PostgreSQL database (tests, shared servers) it would find another schema's tables and skip creating its own.
  const migrationTableSchema =
    db.dialect === 'postgres' ? (await sql<{ schema: string }>`select current_schema() as schema`.execute(db.kysely)).rows[0]?.schema : undefined;
  const migrator = new Migrator({
    db: db.kysely,
    provider: new StaticMigrationProvider(),
    ...(migrationTableSchema ? { migrationTableSchema } : {}),
  });
  const result = await migrator.migrateToLatest();
  if (result.error) {
    const failed = result.results?.find((r) => r.status === 'Error')?.migrationName;
    const cause = result.error instanceof Error ? result.error.message : String(result.error);
    // No failed migration: the migrator's own bookkeeping (its tables, its lock) failed before any ran.
    const what = failed === undefined ? 'database migrations could not start' : `database migration ${failed} failed`;
    throw new Error(`${what}: ${cause}`, { cause: result.error });
  }
  return result;
}
