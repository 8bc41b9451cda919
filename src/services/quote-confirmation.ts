import { DomainError, domainError, type LedgerEntry } from '../domain/index.js';
import { uuid } from '../lib/index.js';
import { ledgerRepository, quoteRepository, type Executor } from '../store/index.js';
import { canonicalHash } from './canonical-hash.js';
import type { PreparedChange } from './extension-change.js';

function stale(reason: 'used' | 'expired' | 'changed' | 'price-changed'): DomainError {
  const pl: Record<typeof reason, string> = {
    used: 'Ta wycena została już wykorzystana.',
    expired: 'Wycena wygasła.',
    changed: 'Zmiana różni się od wycenionej.',
    'price-changed': 'Koszt zmiany jest inny niż w wycenie.',
  };
  const en: Record<typeof reason, string> = {
    used: 'This quote was already used.',
    expired: 'The quote expired.',
    changed: 'The change differs from the one quoted.',
    'price-changed': 'The cost of the change differs from the quote.',
  };
  return new DomainError('QUOTE_STALE', { pl: `${pl[reason]} Poproś o nową wycenę.`, en: `${en[reason]} Request a new quote.` }, {
    field: 'quoteId',
    details: { reason },
  });
}

/**
 * Checks the quote a save is confirmed with (SPEC 2.6: only a confirmed save creates the account) and marks it
 * used. A save that costs money needs one (QUOTE_REQUIRED); a quote is stale (QUOTE_STALE) when used, expired,
 * quoted for another change / price list (payload hash), or when the change would now cost something else
 * (e.g. the month day moved on). Returns the id of the quote used, or null for a free save without one.
 */
export async function confirmQuote(db: Executor, prepared: PreparedChange, quoteId: string | undefined, now: Date): Promise<string | null> {
  const tenantId = prepared.tenant.id;
  if (quoteId === undefined) {
    if (prepared.priced.totalMinor > 0) {
      throw domainError('QUOTE_REQUIRED', { field: 'quoteId', details: { totalMinor: prepared.priced.totalMinor, currency: prepared.priced.currency } });
    }
    return null;
  }
  const stored = typeof quoteId === 'string' ? await quoteRepository.find(db, tenantId, quoteId) : undefined;
  if (!stored) {
    throw domainError('QUOTE_NOT_FOUND', { field: 'quoteId' });
  }
  const { quote } = stored;
  if (quote.usedAt !== null) throw stale('used');
  if (now.getTime() >= quote.expiresAt.getTime()) throw stale('expired');
  if (quote.kind !== prepared.kind || quote.extensionId !== (prepared.current?.id ?? null) || stored.payloadHash !== prepared.payloadHash) {
    throw stale('changed');
  }
  if (quote.totalMinor !== prepared.priced.totalMinor || canonicalHash(quote.lines) !== canonicalHash(prepared.priced.lines)) {
    throw stale('price-changed');
  }
  if (!(await quoteRepository.markUsed(db, tenantId, quote.id, now))) throw stale('used');
  return quote.id;
}

/** Writes one ledger entry per charged quote line (zero amounts skipped) and returns them. */
export async function chargeLedger(
  db: Executor,
  prepared: PreparedChange,
  extension: { id: string; number: string },
  quoteId: string | null,
  now: Date,
): Promise<LedgerEntry[]> {
  const entries: LedgerEntry[] = prepared.priced.lines
    .filter((line) => line.amountMinor > 0)
    .map((line) => ({
      id: uuid(),
      tenantId: prepared.tenant.id,
      quoteId,
      extensionId: extension.id,
      extensionNumber: extension.number,
      code: line.code,
      amountMinor: line.amountMinor,
      currency: prepared.priced.currency,
      createdAt: now,
    }));
  await ledgerRepository.insertMany(db, entries);
  return entries;
}
