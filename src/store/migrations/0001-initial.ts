import type { Kysely } from 'kysely';

// Portable column types only (text, integer), so that this file runs identically on SQLite and PostgreSQL.
// Times are ISO-8601 UTC text, booleans 0/1 integers, money integer minor units, nested settings JSON text.

/** Creates tenants, numbers, extensions, price list, quotes, ledger, tokens, admins and sessions. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('tenants')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('sip_domain', 'text', (c) => c.notNull().unique())
    .addColumn('country', 'text', (c) => c.notNull())
    .addColumn('main_number', 'text')
    .addColumn('default_max_rate_minor', 'integer', (c) => c.notNull())
    .addColumn('default_max_rate_currency', 'text', (c) => c.notNull())
    .addColumn('language', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('extensions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
    .addColumn('number', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('ha1_md5', 'text', (c) => c.notNull())
    .addColumn('ha1_sha256', 'text', (c) => c.notNull())
    .addColumn('caller_id', 'text', (c) => c.notNull())
    .addColumn('internal_caller_id', 'text', (c) => c.notNull())
    .addColumn('sms_sender', 'text')
    .addColumn('ring_time_seconds', 'integer', (c) => c.notNull())
    .addColumn('call_waiting', 'integer', (c) => c.notNull())
    .addColumn('voicemail_enabled', 'integer', (c) => c.notNull())
    .addColumn('voicemail_pin_hash', 'text')
    .addColumn('voicemail_email', 'text')
    .addColumn('voicemail_greeting', 'text', (c) => c.notNull())
    .addColumn('greeting_no_answer', 'integer', (c) => c.notNull())
    .addColumn('greeting_busy', 'integer', (c) => c.notNull())
    .addColumn('forwarding', 'text', (c) => c.notNull())
    .addColumn('encryption', 'integer', (c) => c.notNull())
    .addColumn('international_level', 'text', (c) => c.notNull())
    .addColumn('allow_premium', 'integer', (c) => c.notNull())
    .addColumn('max_rate_minor', 'integer')
    .addColumn('outgoing_pin_hash', 'text')
    .addColumn('monitoring', 'integer', (c) => c.notNull())
    .addColumn('fax', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('extensions_tenant_number_unique', ['tenant_id', 'number'])
    .execute();

  await db.schema
    .createTable('numbers')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
    .addColumn('e164', 'text', (c) => c.notNull().unique())
    .addColumn('extension_id', 'text', (c) => c.references('extensions.id').onDelete('set null'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('numbers_tenant_idx').on('numbers').columns(['tenant_id', 'e164']).execute();

  await db.schema
    .createTable('price_list')
    .addColumn('version', 'integer', (c) => c.primaryKey())
    .addColumn('currency', 'text', (c) => c.notNull())
    .addColumn('extension_monthly_minor', 'integer', (c) => c.notNull())
    .addColumn('voicemail_monthly_minor', 'integer', (c) => c.notNull())
    .addColumn('monitoring_monthly_minor', 'integer', (c) => c.notNull())
    .addColumn('fax_monthly_minor', 'integer', (c) => c.notNull())
    .addColumn('encryption_monthly_minor', 'integer', (c) => c.notNull())
    .addColumn('activation_minor', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('quotes')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('extension_id', 'text', (c) => c.references('extensions.id').onDelete('set null'))
    .addColumn('payload_hash', 'text', (c) => c.notNull())
    .addColumn('lines', 'text', (c) => c.notNull())
    .addColumn('total_minor', 'integer', (c) => c.notNull())
    .addColumn('currency', 'text', (c) => c.notNull())
    .addColumn('exposure', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .addColumn('used_at', 'text')
    .execute();

  await db.schema
    .createTable('ledger_entries')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
    .addColumn('quote_id', 'text', (c) => c.references('quotes.id').onDelete('set null'))
    .addColumn('extension_id', 'text', (c) => c.references('extensions.id').onDelete('set null'))
    .addColumn('extension_number', 'text')
    .addColumn('code', 'text', (c) => c.notNull())
    .addColumn('amount_minor', 'integer', (c) => c.notNull())
    .addColumn('currency', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('ledger_tenant_idx').on('ledger_entries').columns(['tenant_id', 'created_at', 'id']).execute();

  await db.schema
    .createTable('api_tokens')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('tenant_id', 'text', (c) => c.references('tenants.id').onDelete('cascade'))
    .addColumn('label', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('revoked_at', 'text')
    .execute();

  await db.schema
    .createTable('admins')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
    .addColumn('email', 'text', (c) => c.notNull().unique())
    .addColumn('password_hash', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('sessions')
    .addColumn('id_hash', 'text', (c) => c.primaryKey())
    .addColumn('admin_id', 'text', (c) => c.notNull().references('admins.id').onDelete('cascade'))
    .addColumn('csrf_token', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .execute();
}

/** Drops everything 0001 created. */
export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of ['sessions', 'admins', 'api_tokens', 'ledger_entries', 'quotes', 'price_list', 'numbers', 'extensions', 'tenants']) {
    await db.schema.dropTable(table).execute();
  }
}
