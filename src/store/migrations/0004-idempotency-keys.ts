import type { Kysely } from 'kysely';

/**
 * Idempotency keys of the API (SPEC 3: "idempotency keys on every create"): one row per (scope, key) — the
 * scope is the caller (operator, or a tenant) — with the fingerprint of the request it was first used with and,
 * once that request succeeded, the response to replay. `status` is null while the first request runs. Rows
 * older than the retention (24 h) are deleted by the service. Times are ISO text, as in the other tables.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('idempotency_keys')
    .addColumn('scope', 'text', (c) => c.notNull())
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('fingerprint', 'text', (c) => c.notNull())
    .addColumn('status', 'integer')
    .addColumn('body', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('idempotency_keys_pk', ['scope', 'key'])
    .execute();
  await db.schema.createIndex('idempotency_keys_created_idx').on('idempotency_keys').column('created_at').execute();
}

/** Drops the idempotency keys. */
export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('idempotency_keys').execute();
}
