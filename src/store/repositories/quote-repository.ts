import type { Quote, QuoteExposure, QuoteLine } from '../../domain/index.js';
import { fromDbJson, fromDbTime, fromDbTimeOrNull, toDbTime, type Executor } from '../columns.js';
import type { QuoteRow } from '../schema.js';

/** A quote together with the hash of the change it priced. */
export interface StoredQuote {
  readonly quote: Quote;
  readonly payloadHash: string;
}

/** The one mapping of a `quotes` row to a {@link StoredQuote}. */
export function quoteFromRow(row: QuoteRow): StoredQuote {
  return {
    payloadHash: row.payload_hash,
    quote: {
      id: row.id,
      tenantId: row.tenant_id,
      kind: row.kind === 'update' ? 'update' : 'create',
      extensionId: row.extension_id,
      currency: row.currency,
      lines: fromDbJson<QuoteLine[]>(row.lines),
      totalMinor: row.total_minor,
      exposure: fromDbJson<QuoteExposure>(row.exposure),
      createdAt: fromDbTime(row.created_at),
      expiresAt: fromDbTime(row.expires_at),
      usedAt: fromDbTimeOrNull(row.used_at),
    },
  };
}

/** The one mapping of a {@link StoredQuote} to a `quotes` row. */
export function quoteToRow({ quote, payloadHash }: StoredQuote): QuoteRow {
  return {
    id: quote.id,
    tenant_id: quote.tenantId,
    kind: quote.kind,
    extension_id: quote.extensionId,
    payload_hash: payloadHash,
    lines: JSON.stringify(quote.lines),
    total_minor: quote.totalMinor,
    currency: quote.currency,
    exposure: JSON.stringify(quote.exposure),
    created_at: toDbTime(quote.createdAt),
    expires_at: toDbTime(quote.expiresAt),
    used_at: quote.usedAt === null ? null : toDbTime(quote.usedAt),
  };
}

/** Quotes table access. */
export const quoteRepository = {
  /** Stores a new quote. */
  async insert(db: Executor, stored: StoredQuote): Promise<void> {
    await db.insertInto('quotes').values(quoteToRow(stored)).execute();
  },

  /** The tenant's quote, or undefined. */
  async find(db: Executor, tenantId: string, id: string): Promise<StoredQuote | undefined> {
    const row = await db.selectFrom('quotes').selectAll().where('tenant_id', '=', tenantId).where('id', '=', id).executeTakeFirst();
    return row && quoteFromRow(row);
  },

  /** Marks an unused quote used; false when it was already used (a concurrent confirm won). */
  async markUsed(db: Executor, tenantId: string, id: string, at: Date): Promise<boolean> {
    const result = await db
      .updateTable('quotes')
      .set({ used_at: toDbTime(at) })
      .where('tenant_id', '=', tenantId)
      .where('id', '=', id)
      .where('used_at', 'is', null)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  },
};
