// Builds call detail records for call history tests: an answered internal call by default, overridable field by
// field, with a fresh id and SIP Call-ID each time.
import { randomUUID } from 'node:crypto';
import type { CallRecord } from '../../src/store/index.js';

/** A record of tenant `tenantId`: 101 calls 102, answered after 5 s, 60 s of talk, caller hung up. */
export function callRecord(tenantId: string, overrides: Partial<CallRecord> = {}): CallRecord {
  const startedAt = overrides.startedAt ?? Date.UTC(2025, 0, 10, 9, 0, 0);
  const callId = `${randomUUID()}@127.0.0.1`;
  return {
    id: randomUUID(),
    tenantId,
    callId,
    callerNumber: '101',
    callerName: 'Anna Nowak',
    callerExtensionId: null,
    callee: '102',
    calleeExtensionId: null,
    answeredBy: '102',
    legs: [{ target: '102', contact: 'sip:102@127.0.0.1:5070;transport=udp', callId: `leg-${callId}`, answered: true, finalStatus: 200 }],
    hops: [],
    startedAt,
    answeredAt: startedAt + 5_000,
    endedAt: startedAt + 65_000,
    disposition: 'answered',
    endedBy: 'caller',
    endStatus: 200,
    endReason: 'caller hung up',
    ...overrides,
  };
}

/** A record of an unanswered call: nobody answered, `disposition` as given, no answer time. */
export function unansweredCallRecord(tenantId: string, overrides: Partial<CallRecord> = {}): CallRecord {
  const base = callRecord(tenantId, overrides);
  return {
    ...base,
    answeredBy: null,
    answeredAt: null,
    endedAt: overrides.endedAt ?? base.startedAt + 30_000,
    legs: overrides.legs ?? base.legs.map((l) => ({ ...l, answered: false, finalStatus: 487 })),
    disposition: overrides.disposition ?? 'no-answer',
    endedBy: overrides.endedBy ?? 'system',
    endStatus: overrides.endStatus ?? 480,
    endReason: overrides.endReason ?? 'no answer',
  };
}
