import { applyForwardingRule } from '../forwarding/index.js';
import type { CallFeature } from '../types.js';

/**
 * SPEC 2.4 "no answer": nobody answered within the ring time. SPEC 2.2: a call that goes unanswered
 * while the extension is already on a call counts as busy, not as no answer.
 */
export const noAnswerFeature: CallFeature = {
  name: 'no-answer',
  decide(ctx) {
    if (ctx.reason !== 'noAnswer') return { kind: 'continue' };
    return applyForwardingRule(ctx, ctx.targetOnAnsweredCall ? 'busy' : 'noAnswer');
  },
};
