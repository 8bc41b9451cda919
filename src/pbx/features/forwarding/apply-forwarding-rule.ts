import type { CallContext, Decision, ForwardDestination } from '../types.js';
import { defaultHandling } from './default-handling.js';
import { forwardRefusal } from './forwarding-limits.js';

/** The three forwarding conditions of SPEC 2.4 that have a configurable target. */
export type ForwardCondition = 'noAnswer' | 'busy' | 'unavailable';

/**
 * Applies `ctx.target`'s forwarding rule for `condition` (SPEC 2.4): none → default handling;
 * voicemail → the mailbox (default handling if voicemail is off); another extension or an external
 * number → forward with the "return after" timer, unless that would loop or exceed the hop limit,
 * in which case the default handling of this point applies.
 */
export function applyForwardingRule(ctx: CallContext, condition: ForwardCondition): Decision {
  const { forwarding, number, voicemailEnabled } = ctx.target;
  const rule = forwarding[condition];
  let to: ForwardDestination;
  switch (rule.kind) {
    case 'none':
      return defaultHandling(ctx, condition);
    case 'voicemail':
      if (!voicemailEnabled) return defaultHandling(ctx, condition);
      return { kind: 'forward', target: { kind: 'voicemail', extension: number }, reason: condition };
    case 'extension':
      to = { kind: 'extension', number: rule.number };
      break;
    case 'external':
      to = { kind: 'external', e164: rule.e164 };
      break;
  }
  const refusal = forwardRefusal(ctx, to);
  if (refusal !== undefined) return defaultHandling(ctx, condition, refusal);
  return {
    kind: 'forward',
    target: to,
    reason: condition,
    ...(forwarding.returnAfterSeconds !== null ? { returnAfterSeconds: forwarding.returnAfterSeconds } : {}),
    ...(to.kind === 'external' && forwarding.confirmExternal ? { confirm: true } : {}),
  };
}
