import type { LedgerEntry } from '../../domain/index.js';
import { fromDbTime, toDbTime, type Executor } from '../columns.js';
import type { LedgerEntryRow } from '../schema.js';

/** The one mapping of a `ledger_entries` row to a {@link LedgerEntry}. */
export function ledgerEntryFromRow(row: LedgerEntryRow): LedgerEntry {
  return {
    id: row.id,
    tenantId: row.tenant_id,
    quoteId: row.quote_id,
    extensionId: row.extension_id,
    extensionNumber: row.extension_number,
    code: row.code,
    amountMinor: row.amount_minor,
    currency: row.currency,
    createdAt: fromDbTime(row.created_at),
  };
}

/** The one mapping of a {@link LedgerEntry} to a `ledger_entries` row. */
export function ledgerEntryToRow(entry: LedgerEntry): LedgerEntryRow {
  return {
    id: entry.id,
    tenant_id: entry.tenantId,
    quote_id: entry.quoteId,
    extension_id: entry.extensionId,
    extension_number: entry.extensionNumber,
    code: entry.code,
    amount_minor: entry.amountMinor,
    currency: entry.currency,
    created_at: toDbTime(entry.createdAt),
  };
}

/** Ledger table access (append-only). */
export const ledgerRepository = {
  /** Appends entries. */
  async insertMany(db: Executor, entries: readonly LedgerEntry[]): Promise<void> {
    if (entries.length === 0) return;
    await db.insertInto('ledger_entries').values(entries.map(ledgerEntryToRow)).execute();
  },

  /** Up to `limit` entries of the tenant, newest first, after the key `[createdAt ISO, id]`. */
  async list(db: Executor, tenantId: string, limit: number, after: readonly [string, string] | undefined): Promise<LedgerEntry[]> {
    let query = db
      .selectFrom('ledger_entries')
      .selectAll()
      .where('tenant_id', '=', tenantId)
      .orderBy('created_at', 'desc')
      .orderBy('id', 'desc')
      .limit(limit);
    if (after !== undefined) {
      const [createdAt, id] = after;
      query = query.where((eb) =>
        eb.or([eb('created_at', '<', createdAt), eb.and([eb('created_at', '=', createdAt), eb('id', '<', id)])]),
      );
    }
    return (await query.execute()).map(ledgerEntryFromRow);
  },
};
