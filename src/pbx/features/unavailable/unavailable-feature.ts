import { applyForwardingRule } from '../forwarding/index.js';
import type { CallFeature } from '../types.js';

/**
 * SPEC 2.4 "unavailable": no registered device, or every device failed while ringing (timeout,
 * 408/480/503). Applies at once, without ringing first.
 */
export const unavailableFeature: CallFeature = {
  name: 'unavailable',
  decide(ctx) {
    if (ctx.reason === 'unavailable') return applyForwardingRule(ctx, 'unavailable');
    if (ctx.reason === 'initial' && ctx.registeredDevices === 0) return applyForwardingRule(ctx, 'unavailable');
    return { kind: 'continue' };
  },
};
