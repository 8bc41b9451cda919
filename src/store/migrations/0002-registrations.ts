import { sql, type Kysely } from 'kysely';

/**
 * Registrations (SIP location service, RFC 3261 §10): one row per binding of an extension's
 * address-of-record. Times are epoch milliseconds (bigint) so expiry compares without time zones;
 * rows go with their extension and tenant (ON DELETE CASCADE). Runs the same on SQLite and PostgreSQL.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('registrations')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
    .addColumn('extension_id', 'text', (c) => c.notNull().references('extensions.id').onDelete('cascade'))
    .addColumn('aor', 'text', (c) => c.notNull())
    .addColumn('contact_uri', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .addColumn('q', 'double precision', (c) => c.notNull().defaultTo(1))
    .addColumn('call_id', 'text', (c) => c.notNull())
    .addColumn('cseq', 'bigint', (c) => c.notNull())
    .addColumn('instance_id', 'text')
    .addColumn('reg_id', 'integer')
    .addColumn('path', 'text', (c) => c.notNull().defaultTo(sql`'[]'`))
    .addColumn('user_agent', 'text')
    .addColumn('source_transport', 'text', (c) => c.notNull())
    .addColumn('source_address', 'text', (c) => c.notNull())
    .addColumn('source_port', 'integer', (c) => c.notNull())
    .addColumn('connection_id', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('registrations_aor_idx').on('registrations').column('aor').execute();
  await db.schema
    .createIndex('registrations_extension_idx')
    .on('registrations')
    .columns(['tenant_id', 'extension_id'])
    .execute();
  await db.schema.createIndex('registrations_expires_idx').on('registrations').column('expires_at').execute();
}

/** Drops the registrations table. */
export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('registrations').execute();
}
