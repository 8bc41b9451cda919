import { waitingAllowed } from '../call-waiting/index.js';
import { applyForwardingRule } from '../forwarding/index.js';
import type { CallFeature } from '../types.js';

/**
 * SPEC 2.2/2.4 "busy", decided by the PBX: the extension is on an answered call and call waiting is
 * off (the second caller is rejected as busy without ringing), or every device refused the call
 * while ringing (486/600, and Linphone's 603: INTEROP.md).
 */
export const busyFeature: CallFeature = {
  name: 'busy',
  decide(ctx) {
    if (ctx.reason === 'busy') return applyForwardingRule(ctx, 'busy');
    if (ctx.reason === 'initial' && ctx.targetOnAnsweredCall && !waitingAllowed(ctx.target)) {
      return applyForwardingRule(ctx, 'busy');
    }
    return { kind: 'continue' };
  },
};
