import {
  isCallDisposition,
  isCallEndedBy,
  type CallDetailRecord,
  type CallDisposition,
  type CallEndedBy,
  type CallHopRecord,
  type CallLegRecord,
} from '../../domain/index.js';
import type { Db } from '../database.js';
import type { CallRecordNumbersTable, CallRecordRow } from '../schema.js';

/** One stored call detail record (the domain's, which the PBX writes through its CdrSink port). */
export type CallRecord = CallDetailRecord;
/** Final disposition of a call. */
export type CallRecordDisposition = CallDisposition;
/** Which side ended an answered call, or what ended an unanswered one. */
export type CallRecordEndedBy = CallEndedBy;
/** One outgoing leg of a call: one device rung, or one forward target. */
export type CallRecordLeg = CallLegRecord;
/** One forward hop of a call, in order. */
export type CallRecordHop = CallHopRecord;

/** Which records {@link CallRecordRepository.list} returns, and how many. */
export interface CallRecordQuery {
  /** Only calls that involved this number: caller, callee, answerer, a leg's target or a forwarding hop. */
  readonly extension?: string;
  /** Only calls started at or after this time (epoch ms). */
  readonly from?: number;
  /** Only calls started before this time (epoch ms). */
  readonly to?: number;
  /** At most this many records. */
  readonly limit: number;
  /** Only records after this sort key (the last record of the previous page): start time, then id, both descending. */
  readonly after?: readonly [startedAt: number, id: string];
}

/** Call history persistence; `write` implements the PBX's CdrSink port. */
export interface CallRecordRepository {
  /** Stores one record with the numbers it involved, in one transaction; writing the same id again changes nothing. */
  write(record: CallRecord): Promise<void>;
  /** Records of the tenant matching the query, newest first (start time, then id, descending). */
  list(tenantId: string, query: CallRecordQuery): Promise<CallRecord[]>;
  /** The tenant's record with this id, or undefined. */
  get(tenantId: string, id: string): Promise<CallRecord | undefined>;
}


function parseList<T>(text: string): T[] {
  try {
    const value: unknown = JSON.parse(text);
    return Array.isArray(value) ? (value as T[]) : [];
  } catch {
    return [];
  }
}

function epochOrNull(value: number | string | null): number | null {
  return value === null ? null : Number(value);
}

/** Maps a row to a record (the only place that does). */
export function callRecordFromRow(row: CallRecordRow): CallRecord {
  return {
    id: row.id,
    tenantId: row.tenant_id,
    callId: row.call_id,
    callerNumber: row.caller_number,
    callerName: row.caller_name,
    callerExtensionId: row.caller_extension_id,
    callee: row.callee,
    calleeExtensionId: row.callee_extension_id,
    answeredBy: row.answered_by,
    legs: parseList<CallRecordLeg>(row.legs),
    hops: parseList<CallRecordHop>(row.hops),
    startedAt: Number(row.started_at),
    answeredAt: epochOrNull(row.answered_at),
    endedAt: Number(row.ended_at),
    disposition: isCallDisposition(row.disposition) ? row.disposition : 'failed',
    endedBy: isCallEndedBy(row.ended_by) ? row.ended_by : 'system',
    endStatus: row.end_status,
    endReason: row.end_reason,
  };
}

/** Maps a record to its row (the only place that does); legs and hops keep exactly their fields. */
export function callRecordToRow(r: CallRecord): CallRecordRow {
  return {
    id: r.id,
    tenant_id: r.tenantId,
    call_id: r.callId,
    caller_number: r.callerNumber,
    caller_name: r.callerName,
    caller_extension_id: r.callerExtensionId,
    callee: r.callee,
    callee_extension_id: r.calleeExtensionId,
    answered_by: r.answeredBy,
    legs: JSON.stringify(
      r.legs.map((l) => ({ target: l.target, contact: l.contact, callId: l.callId, answered: l.answered, finalStatus: l.finalStatus })),
    ),
    hops: JSON.stringify(r.hops.map((h) => ({ from: h.from, to: h.to, reason: h.reason }))),
    started_at: r.startedAt,
    answered_at: r.answeredAt,
    ended_at: r.endedAt,
    disposition: r.disposition,
    ended_by: r.endedBy,
    end_status: r.endStatus,
    end_reason: r.endReason,
  };
}

/**
 * Every number the call involved, once each: the caller, the number dialled, the answerer, each leg's target and
 * each hop's ends (`voicemail:<n>` is the box of `n`, which is that hop's `from` already).
 */
export function involvedNumbers(r: CallRecord): string[] {
  const numbers = [r.callerNumber, r.callee, r.answeredBy, ...r.legs.map((l) => l.target), ...r.hops.flatMap((h) => [h.from, h.to])];
  const out = new Set<string>();
  for (const n of numbers) if (n !== null && n !== '' && !n.startsWith('voicemail:')) out.add(n);
  return [...out];
}

/** Creates the repository over an open, migrated store. */
export function createCallRecordRepository(db: Db): CallRecordRepository {
  const k = db.kysely;
  return {
    async write(record) {
      const row = callRecordToRow(record);
      const numbers: CallRecordNumbersTable[] = involvedNumbers(record).map((number) => ({
        call_record_id: record.id,
        tenant_id: record.tenantId,
        number,
        started_at: record.startedAt,
      }));
      await k.transaction().execute(async (tx) => {
        await tx
          .insertInto('call_records')
          .values(row)
          .onConflict((oc) => oc.column('id').doNothing())
          .execute();
        if (numbers.length === 0) return;
        await tx
          .insertInto('call_record_numbers')
          .values(numbers)
          .onConflict((oc) => oc.columns(['call_record_id', 'number']).doNothing())
          .execute();
      });
    },

    async list(tenantId, query) {
      const { extension, from, to, limit, after } = query;
      if (extension === undefined) {
        let q = k.selectFrom('call_records').selectAll().where('tenant_id', '=', tenantId);
        if (from !== undefined) q = q.where('started_at', '>=', from);
        if (to !== undefined) q = q.where('started_at', '<', to);
        if (after !== undefined) {
          const [startedAt, id] = after;
          q = q.where((eb) => eb.or([eb('started_at', '<', startedAt), eb.and([eb('started_at', '=', startedAt), eb('id', '<', id)])]));
        }
        const rows = await q.orderBy('started_at', 'desc').orderBy('id', 'desc').limit(limit).execute();
        return rows.map(callRecordFromRow);
      }
      // Driven from the numbers index (tenant, number, started_at, id): one index range, newest first.
      let q = k
        .selectFrom('call_record_numbers as n')
        .innerJoin('call_records as r', 'r.id', 'n.call_record_id')
        .selectAll('r')
        .where('n.tenant_id', '=', tenantId)
        .where('n.number', '=', extension)
        .where('r.tenant_id', '=', tenantId);
      if (from !== undefined) q = q.where('n.started_at', '>=', from);
      if (to !== undefined) q = q.where('n.started_at', '<', to);
      if (after !== undefined) {
        const [startedAt, id] = after;
        q = q.where((eb) =>
          eb.or([eb('n.started_at', '<', startedAt), eb.and([eb('n.started_at', '=', startedAt), eb('n.call_record_id', '<', id)])]),
        );
      }
      const rows = await q.orderBy('n.started_at', 'desc').orderBy('n.call_record_id', 'desc').limit(limit).execute();
      return rows.map(callRecordFromRow);
    },

    async get(tenantId, id) {
      if (typeof id !== 'string') return undefined;
      const row = await k.selectFrom('call_records').selectAll().where('tenant_id', '=', tenantId).where('id', '=', id).executeTakeFirst();
      return row && callRecordFromRow(row);
    },
  };
}
