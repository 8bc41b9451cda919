import type { Money, Tenant } from '../../domain/index.js';
import { fromDbTime, toDbTime, type Executor } from '../columns.js';
import type { TenantRow } from '../schema.js';

/** The one mapping of a `tenants` row to a {@link Tenant}. */
export function tenantFromRow(row: TenantRow): Tenant {
  const defaultMaxRate: Money = { amountMinor: row.default_max_rate_minor, currency: row.default_max_rate_currency };
  return {
    id: row.id,
    name: row.name,
    sipDomain: row.sip_domain,
    country: row.country,
    mainNumber: row.main_number,
    defaultMaxRate,
    language: row.language === 'en' ? 'en' : 'pl',
    createdAt: fromDbTime(row.created_at),
    updatedAt: fromDbTime(row.updated_at),
  };
}

/** The one mapping of a {@link Tenant} to a `tenants` row. */
export function tenantToRow(tenant: Tenant): TenantRow {
  return {
    id: tenant.id,
    name: tenant.name,
    sip_domain: tenant.sipDomain,
    country: tenant.country,
    main_number: tenant.mainNumber,
    default_max_rate_minor: tenant.defaultMaxRate.amountMinor,
    default_max_rate_currency: tenant.defaultMaxRate.currency,
    language: tenant.language,
    created_at: toDbTime(tenant.createdAt),
    updated_at: toDbTime(tenant.updatedAt),
  };
}

/** Tenants table access. */
export const tenantRepository = {
  /** Inserts a tenant (unique violation on a taken SIP domain). */
  async insert(db: Executor, tenant: Tenant): Promise<void> {
    await db.insertInto('tenants').values(tenantToRow(tenant)).execute();
  },

  /** Replaces every column of an existing tenant. */
  async update(db: Executor, tenant: Tenant): Promise<void> {
    const { id, ...row } = tenantToRow(tenant);
    await db.updateTable('tenants').set(row).where('id', '=', id).execute();
  },

  /** The tenant with this id, or undefined. */
  async findById(db: Executor, id: string): Promise<Tenant | undefined> {
    const row = await db.selectFrom('tenants').selectAll().where('id', '=', id).executeTakeFirst();
    return row && tenantFromRow(row);
  },

  /** The tenant whose SIP domain (realm) this is, or undefined. */
  async findBySipDomain(db: Executor, sipDomain: string): Promise<Tenant | undefined> {
    const row = await db.selectFrom('tenants').selectAll().where('sip_domain', '=', sipDomain).executeTakeFirst();
    return row && tenantFromRow(row);
  },

  /** Up to `limit` tenants ordered by SIP domain, after the domain `after`. */
  async list(db: Executor, limit: number, after: string | undefined): Promise<Tenant[]> {
    let query = db.selectFrom('tenants').selectAll().orderBy('sip_domain').limit(limit);
    if (after !== undefined) query = query.where('sip_domain', '>', after);
    return (await query.execute()).map(tenantFromRow);
  },
};
