import type { CallContext, Decision, ForwardReason } from '../types.js';
import type { ForwardRefusal } from './forwarding-limits.js';

const SIGNAL: Record<ForwardReason, { status: 480 | 486; reason: string }> = {
  busy: { status: 486, reason: 'Busy Here' },
  unavailable: { status: 480, reason: 'Temporarily Unavailable' },
  noAnswer: { status: 480, reason: 'No Answer' },
  returnAfter: { status: 480, reason: 'No Answer' },
};

const REFUSAL_NOTE: Record<ForwardRefusal, string> = {
  loop: 'forwarding loop',
  hopLimit: 'too many forwards',
};

/**
 * SPEC 2.4 "nothing (default handling)": the target's own voicemail if enabled, else busy (486) or
 * unavailable / no answer (480) signalling to the caller. `refusal` notes a forward that was not made.
 */
export function defaultHandling(ctx: CallContext, reason: ForwardReason, refusal?: ForwardRefusal): Decision {
  if (ctx.target.voicemailEnabled) {
    return { kind: 'forward', target: { kind: 'voicemail', extension: ctx.target.number }, reason };
  }
  const signal = SIGNAL[reason];
  return {
    kind: 'reject',
    status: signal.status,
    reason: refusal === undefined ? signal.reason : `${signal.reason} (${REFUSAL_NOTE[refusal]})`,
  };
}
