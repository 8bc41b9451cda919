import type { MediaRelay } from '../../media/index.js';
import type { ForwardHop } from '../features/index.js';
import type { CallDetailRecord, CallDisposition, CallEndedBy, CallLegRecord, ExtensionCallSettings } from '../ports.js';
import type { ActiveCall, ActiveCallMedia } from './call-types.js';
import type { Fork } from './fork.js';

const STATUS_DISPOSITION: Record<number, CallDisposition> = { 486: 'busy', 600: 'busy', 603: 'busy', 480: 'unavailable' };

/** The CDR disposition of a call that ends with `status` at decision point `reason`. */
export function dispositionOf(reason: string, status: number): CallDisposition {
  if (reason === 'noAnswer' || reason === 'returnAfter') return status === 486 ? 'busy' : 'no-answer';
  return STATUS_DISPOSITION[status] ?? 'failed';
}

/** How a call ended, as the CDR records it. */
export interface CallEnd {
  readonly disposition: CallDisposition;
  readonly endedBy: CallEndedBy;
  readonly endStatus: number;
  readonly endReason: string;
}

/** What a call knows about itself when it ends or is shown: the input of {@link callRecord} and {@link callSnapshot}. */
export interface CallFacts {
  readonly id: string;
  readonly tenantId: string;
  readonly callId: string;
  readonly caller: ExtensionCallSettings;
  readonly dialled: string;
  readonly calleeExtensionId: string | undefined;
  readonly answeredBy: ExtensionCallSettings | undefined;
  readonly forks: readonly Fork[];
  readonly hops: readonly ForwardHop[];
  readonly startedAt: number;
  readonly answeredAt: number | null;
}

/** The call detail record of a call that ended at `endedAt`. */
export function callRecord(facts: CallFacts, end: CallEnd, endedAt: number): CallDetailRecord {
  const legs: CallLegRecord[] = facts.forks.map((f) => ({
    target: f.target,
    contact: f.binding.contactUri,
    callId: f.callId,
    answered: f.state === 'answered',
    finalStatus: f.finalStatus,
  }));
  return {
    id: facts.id,
    tenantId: facts.tenantId,
    callId: facts.callId,
    callerNumber: facts.caller.number,
    callerName: facts.caller.name,
    callerExtensionId: facts.caller.extensionId,
    callee: facts.dialled,
    calleeExtensionId: facts.calleeExtensionId ?? null,
    answeredBy: facts.answeredBy?.number ?? null,
    legs,
    hops: facts.hops.map((h) => ({
      from: h.from,
      to: h.to.kind === 'extension' ? h.to.number : h.to.kind === 'voicemail' ? `voicemail:${h.to.extension}` : h.to.e164,
      reason: h.reason,
    })),
    startedAt: facts.startedAt,
    answeredAt: facts.answeredAt,
    endedAt,
    disposition: end.disposition,
    endedBy: end.endedBy,
    endStatus: end.endStatus,
    endReason: end.endReason,
  };
}

/** What the relay last negotiated (for the live-calls view). */
export interface NegotiatedMedia {
  readonly codecs: readonly string[];
  readonly onHold: boolean;
}

/** A snapshot of a call in progress for the live-calls view. */
export function callSnapshot(facts: CallFacts, state: ActiveCall['state'], relay: MediaRelay, negotiated: NegotiatedMedia): ActiveCall {
  const media = (leg: 'a' | 'b'): ActiveCallMedia => {
    const l = relay.leg(leg);
    const remote = l.remoteRtp;
    return {
      relayAddress: l.advertisedAddress,
      relayPort: l.rtpPort,
      device: remote ? `${remote.address.includes(':') ? `[${remote.address}]` : remote.address}:${remote.port}` : null,
    };
  };
  return {
    id: facts.id,
    tenantId: facts.tenantId,
    callId: facts.callId,
    callerNumber: facts.caller.number,
    callerName: facts.caller.name,
    callee: facts.dialled,
    answeredBy: facts.answeredBy?.number ?? null,
    state,
    startedAt: facts.startedAt,
    answeredAt: facts.answeredAt,
    codecs: negotiated.codecs,
    onHold: negotiated.onHold,
    media: { caller: media('a'), callee: media('b') },
  };
}

/** The fields of the `call ended` log line, for a call or an application's call of the tenant `sipDomain`. */
export function callEndedFields(id: string, sipDomain: string, record: CallDetailRecord): Record<string, unknown> {
  return {
    call: id,
    callId: record.callId,
    tenant: sipDomain,
    caller: record.callerNumber,
    callee: record.callee,
    answeredBy: record.answeredBy,
    disposition: record.disposition,
    endedBy: record.endedBy,
    reason: record.endReason,
    durationSeconds: record.answeredAt === null ? 0 : Math.round((record.endedAt - record.answeredAt) / 1000),
  };
}
