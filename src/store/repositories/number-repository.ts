import type { PhoneNumber } from '../../domain/index.js';
import { fromDbTime, toDbTime, type Executor } from '../columns.js';
import type { NumberRow } from '../schema.js';

/** A `numbers` row with the routed extension's number joined in. */
export type NumberWithRouteRow = NumberRow & { extension_number: string | null };

/** The one mapping of a `numbers` row (with its route) to a {@link PhoneNumber}. */
export function phoneNumberFromRow(row: NumberWithRouteRow): PhoneNumber {
  return {
    id: row.id,
    tenantId: row.tenant_id,
    e164: row.e164,
    extensionId: row.extension_id,
    extensionNumber: row.extension_number,
    createdAt: fromDbTime(row.created_at),
  };
}

/** The one mapping of a {@link PhoneNumber} to a `numbers` row. */
export function phoneNumberToRow(number: PhoneNumber): NumberRow {
  return {
    id: number.id,
    tenant_id: number.tenantId,
    e164: number.e164,
    extension_id: number.extensionId,
    created_at: toDbTime(number.createdAt),
  };
}

function selectWithRoute(db: Executor) {
  return db
    .selectFrom('numbers')
    .leftJoin('extensions', 'extensions.id', 'numbers.extension_id')
    .select([
      'numbers.id',
      'numbers.tenant_id',
      'numbers.e164',
      'numbers.extension_id',
      'numbers.created_at',
      'extensions.number as extension_number',
    ]);
}

/** Numbers (DIDs) table access. */
export const numberRepository = {
  /** Inserts a number (unique violation when any tenant has it). */
  async insert(db: Executor, number: PhoneNumber): Promise<void> {
    await db.insertInto('numbers').values(phoneNumberToRow(number)).execute();
  },

  /** Sets or clears the extension a number routes to. */
  async setRoute(db: Executor, tenantId: string, e164: string, extensionId: string | null): Promise<void> {
    await db.updateTable('numbers').set({ extension_id: extensionId }).where('tenant_id', '=', tenantId).where('e164', '=', e164).execute();
  },

  /** Deletes a number of the tenant. */
  async delete(db: Executor, tenantId: string, e164: string): Promise<void> {
    await db.deleteFrom('numbers').where('tenant_id', '=', tenantId).where('e164', '=', e164).execute();
  },

  /** The tenant's number, or undefined. */
  async find(db: Executor, tenantId: string, e164: string): Promise<PhoneNumber | undefined> {
    const row = await selectWithRoute(db).where('numbers.tenant_id', '=', tenantId).where('numbers.e164', '=', e164).executeTakeFirst();
    return row && phoneNumberFromRow(row);
  },

  /** The number whichever tenant has it (for platform-wide uniqueness and inbound routing), or undefined. */
  async findAnyTenant(db: Executor, e164: string): Promise<PhoneNumber | undefined> {
    const row = await selectWithRoute(db).where('numbers.e164', '=', e164).executeTakeFirst();
    return row && phoneNumberFromRow(row);
  },

  /** Up to `limit` numbers of the tenant ordered by E.164, after `after`. */
  async list(db: Executor, tenantId: string, limit: number, after: string | undefined): Promise<PhoneNumber[]> {
    let query = selectWithRoute(db).where('numbers.tenant_id', '=', tenantId).orderBy('numbers.e164').limit(limit);
    if (after !== undefined) query = query.where('numbers.e164', '>', after);
    return (await query.execute()).map(phoneNumberFromRow);
  },

  /** Every number (E.164) of the tenant. */
  async listE164(db: Executor, tenantId: string): Promise<Set<string>> {
    const rows = await db.selectFrom('numbers').select('e164').where('tenant_id', '=', tenantId).execute();
    return new Set(rows.map((r) => r.e164));
  },
};
