import { DomainError, domainError, resolvePageRequest, toPage, type Page, type PageRequest } from '../domain/index.js';
import { createCallRecordRepository, type CallRecord } from '../store/index.js';
import { dateTimeFilter } from './date-time-filter.js';
import { requireTenant } from './not-found.js';
import type { ServiceContext } from './service-context.js';

/** Which calls to list: all filters optional, combined with AND; plus the page. */
export interface CallHistoryFilter extends PageRequest {
  /** Extension number (2–6 digits): calls it made, was dialled on, answered, rang on, or forwarded. */
  extension?: string;
  /** ISO 8601 date-time with a zone: calls started at or after it. */
  from?: string;
  /** ISO 8601 date-time with a zone: calls started before it. */
  to?: string;
}

/** One call of the call history as the panel and the API show it: the record with ISO times and its duration. */
export interface CallRecordView extends Omit<CallRecord, 'startedAt' | 'answeredAt' | 'endedAt'> {
  /** ISO 8601 UTC times. */
  readonly startedAt: string;
  readonly answeredAt: string | null;
  readonly endedAt: string;
  /** Seconds from answer to end (rounded to the nearest second); 0 for an unanswered call. */
  readonly durationSeconds: number;
}

/** The tenant's call history (SPEC 3: every call with its legs, disposition and times). */
export interface CallHistoryService {
  /**
   * Calls newest first (start time, then id). Throws TENANT_NOT_FOUND, EXTENSION_NUMBER_INVALID (`extension`),
   * DATE_TIME_INVALID (`from` / `to`), TIME_RANGE_INVALID (`to`), PAGE_LIMIT_INVALID, CURSOR_INVALID.
   */
  list(tenantId: string, filter?: CallHistoryFilter): Promise<Page<CallRecordView>>;
  /** One call by its record id. Throws TENANT_NOT_FOUND, CALL_NOT_FOUND. */
  get(tenantId: string, id: string): Promise<CallRecordView>;
}

/** The view of a stored record (ISO times, duration). */
export function callRecordView(r: CallRecord): CallRecordView {
  return {
    id: r.id,
    tenantId: r.tenantId,
    callId: r.callId,
    callerNumber: r.callerNumber,
    callerName: r.callerName,
    callerExtensionId: r.callerExtensionId,
    callee: r.callee,
    calleeExtensionId: r.calleeExtensionId,
    answeredBy: r.answeredBy,
    disposition: r.disposition,
    endedBy: r.endedBy,
    endStatus: r.endStatus,
    endReason: r.endReason,
    startedAt: new Date(r.startedAt).toISOString(),
    answeredAt: r.answeredAt === null ? null : new Date(r.answeredAt).toISOString(),
    endedAt: new Date(r.endedAt).toISOString(),
    durationSeconds: r.answeredAt === null ? 0 : Math.max(0, Math.round((r.endedAt - r.answeredAt) / 1000)),
    legs: r.legs,
    hops: r.hops,
  };
}

function extensionFilter(value: unknown): string | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value === 'string' && /^\d{2,6}$/.test(value)) return value;
  throw new DomainError(
    'EXTENSION_NUMBER_INVALID',
    { pl: 'Filtr extension: numer wewnętrzny to 2–6 cyfr.', en: 'Filter extension: an extension number is 2–6 digits.' },
    { field: 'extension' },
  );
}

function cursorKey(after: readonly string[] | undefined): readonly [number, string] | undefined {
  if (after === undefined) return undefined;
  const [startedAt, id] = after;
  const instant = Number(startedAt);
  if (!/^\d{1,16}$/.test(startedAt ?? '') || !Number.isSafeInteger(instant) || id === undefined || id === '') {
    throw domainError('CURSOR_INVALID', { field: 'cursor' });
  }
  return [instant, id];
}

function callNotFound(): DomainError {
  return domainError('CALL_NOT_FOUND');
}

/** Builds the call history use cases. */
export function createCallHistoryService(ctx: ServiceContext): CallHistoryService {
  const records = createCallRecordRepository(ctx.db);
  return {
    async list(tenantId, filter = {}) {
      const extension = extensionFilter(filter.extension);
      const from = dateTimeFilter(filter.from, 'from');
      const to = dateTimeFilter(filter.to, 'to');
      if (from !== undefined && to !== undefined && to <= from) {
        throw domainError('TIME_RANGE_INVALID', { field: 'to' });
      }
      const { limit, after } = resolvePageRequest(filter, 2);
      const key = cursorKey(after);
      await requireTenant(ctx.db.kysely, tenantId);
      const rows = await records.list(tenantId, {
        limit: limit + 1,
        ...(extension !== undefined ? { extension } : {}),
        ...(from !== undefined ? { from } : {}),
        ...(to !== undefined ? { to } : {}),
        ...(key !== undefined ? { after: key } : {}),
      });
      const page = toPage(rows, limit, (r) => [String(r.startedAt), r.id]);
      return { items: page.items.map(callRecordView), nextCursor: page.nextCursor };
    },

    async get(tenantId, id) {
      await requireTenant(ctx.db.kysely, tenantId);
      const record = typeof id === 'string' ? await records.get(tenantId, id) : undefined;
      if (!record) throw callNotFound();
      return callRecordView(record);
    },
  };
}
