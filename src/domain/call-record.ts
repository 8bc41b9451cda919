// The call detail record: written by the PBX when a call ends, stored by the store, shown by services and the API.

/** Every final disposition of a call in the call history. */
export const CALL_DISPOSITIONS = ['answered', 'no-answer', 'busy', 'unavailable', 'failed', 'cancelled'] as const;

/** Final disposition of a call in the call history. */
export type CallDisposition = (typeof CALL_DISPOSITIONS)[number];

/**
 * Which side ended an answered call, or what ended an unanswered one: `operator` / `admin` when the platform operator
 * or the tenant's admin hung it up through the live-calls API.
 */
export type CallEndedBy = (typeof CALL_ENDED_BY)[number];

/** Every value of {@link CallEndedBy}. */
export const CALL_ENDED_BY = ['caller', 'callee', 'system', 'operator', 'admin'] as const;

/** True when `value` is a {@link CallDisposition}. */
export function isCallDisposition(value: string): value is CallDisposition {
  return (CALL_DISPOSITIONS as readonly string[]).includes(value);
}

/** True when `value` is a {@link CallEndedBy}. */
export function isCallEndedBy(value: string): value is CallEndedBy {
  return (CALL_ENDED_BY as readonly string[]).includes(value);
}

/** One outgoing leg (one device rung, or one forward target) of a call. */
export interface CallLegRecord {
  /** Extension number the leg belongs to (the forward target for forwarded legs), or an E.164 number. */
  readonly target: string;
  /** Contact URI of the device rung (empty for legs that never reached a device). */
  readonly contact: string;
  /** Call-ID of this leg's INVITE. */
  readonly callId: string;
  readonly answered: boolean;
  /** Final SIP status of the leg (200 when answered, 487 when cancelled…); null when none arrived. */
  readonly finalStatus: number | null;
}

/** One forward hop of a call (SPEC 2.4), in order. */
export interface CallHopRecord {
  /** Extension number that forwarded. */
  readonly from: string;
  /** Where to: an extension number, `voicemail:<number>`, or an E.164 number. */
  readonly to: string;
  readonly reason: 'noAnswer' | 'busy' | 'unavailable' | 'returnAfter';
}

/** One call detail record: one per call, written once when the call ends (SPEC 3, call history). */
export interface CallDetailRecord {
  /** Random id (uuid). */
  readonly id: string;
  readonly tenantId: string;
  /** Call-ID of the caller's INVITE. */
  readonly callId: string;
  /** The caller's number: its extension number, or the number it presented when it is not an extension. */
  readonly callerNumber: string;
  /** The caller's account name (display name), if known. */
  readonly callerName: string | null;
  /** Extension id of the caller, if an extension. */
  readonly callerExtensionId: string | null;
  /** The number dialled. */
  readonly callee: string;
  /** Extension id of the dialled extension, if one. */
  readonly calleeExtensionId: string | null;
  /** The extension number that finally answered, if any (after forwarding it differs from callee). */
  readonly answeredBy: string | null;
  readonly legs: readonly CallLegRecord[];
  readonly hops: readonly CallHopRecord[];
  /** Times, ms since the epoch. */
  readonly startedAt: number;
  readonly answeredAt: number | null;
  readonly endedAt: number;
  readonly disposition: CallDisposition;
  /** Who ended it. */
  readonly endedBy: CallEndedBy;
  /** SIP status that ended it (the final response to the caller, or 200 for a normal BYE). */
  readonly endStatus: number;
  /** Short text of why it ended ("caller hung up", "486 Busy Here", "return after: no answer"…). */
  readonly endReason: string;
}
