import type { Kysely } from 'kysely';

/**
 * Brute-force blocks of SIP authentication (docs/registrar.md): one row per block the SIP side started, so the
 * API and the CLI can list and lift them and a restart keeps them. `source` is the source key (IPv4 address or
 * IPv6 /64), `realm` and `username` the extension tried; `tenant_id` is the tenant whose SIP domain the realm is,
 * if any (no foreign key: a block of an unknown realm is kept as well). Lifting deletes the row; rows past
 * `until` are deleted by the SIP side. Times are ISO text, as in the other tables.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('security_blocks')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('scope', 'text', (c) => c.notNull())
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('realm', 'text', (c) => c.notNull())
    .addColumn('username', 'text', (c) => c.notNull())
    .addColumn('tenant_id', 'text')
    .addColumn('failures', 'integer', (c) => c.notNull())
    .addColumn('since', 'text', (c) => c.notNull())
    .addColumn('until', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('security_blocks_until_idx').on('security_blocks').column('until').execute();
}

/** Drops the security blocks. */
export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('security_blocks').execute();
}
