import { sql, type Kysely } from 'kysely';

/**
 * Call history (SPEC 3): one row per call in `call_records`, written once when the call ends, with its legs and
 * forwarding hops as JSON text; `call_record_numbers` holds every number the call involved (caller, callee,
 * answerer, leg targets, hops) so that "calls of extension N" is an index range, not a scan of JSON. Times are
 * epoch milliseconds (bigint) as in `registrations`. Records go with their tenant (ON DELETE CASCADE) but not with
 * an extension: the history outlives a deleted extension. Runs the same on SQLite and PostgreSQL.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('call_records')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
    .addColumn('call_id', 'text', (c) => c.notNull())
    .addColumn('caller_number', 'text', (c) => c.notNull())
    .addColumn('caller_name', 'text')
    .addColumn('caller_extension_id', 'text')
    .addColumn('callee', 'text', (c) => c.notNull())
    .addColumn('callee_extension_id', 'text')
    .addColumn('answered_by', 'text')
    .addColumn('legs', 'text', (c) => c.notNull().defaultTo(sql`'[]'`))
    .addColumn('hops', 'text', (c) => c.notNull().defaultTo(sql`'[]'`))
    .addColumn('started_at', 'bigint', (c) => c.notNull())
    .addColumn('answered_at', 'bigint')
    .addColumn('ended_at', 'bigint', (c) => c.notNull())
    .addColumn('disposition', 'text', (c) => c.notNull())
    .addColumn('ended_by', 'text', (c) => c.notNull())
    .addColumn('end_status', 'integer', (c) => c.notNull())
    .addColumn('end_reason', 'text', (c) => c.notNull())
    .execute();
  // Newest first within a tenant, ties broken by id: the order and the cursor key of the list.
  await db.schema
    .createIndex('call_records_tenant_started_idx')
    .on('call_records')
    .columns(['tenant_id', 'started_at', 'id'])
    .execute();

  await db.schema
    .createTable('call_record_numbers')
    .addColumn('call_record_id', 'text', (c) => c.notNull().references('call_records.id').onDelete('cascade'))
    .addColumn('tenant_id', 'text', (c) => c.notNull())
    .addColumn('number', 'text', (c) => c.notNull())
    .addColumn('started_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('call_record_numbers_pk', ['call_record_id', 'number'])
    .execute();
  await db.schema
    .createIndex('call_record_numbers_tenant_number_idx')
    .on('call_record_numbers')
    .columns(['tenant_id', 'number', 'started_at', 'call_record_id'])
    .execute();
}

/** Drops the call history tables. */
export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('call_record_numbers').execute();
  await db.schema.dropTable('call_records').execute();
}
