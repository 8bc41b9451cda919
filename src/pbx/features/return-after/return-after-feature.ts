import { defaultHandling } from '../forwarding/index.js';
import type { CallFeature } from '../types.js';

/**
 * SPEC 2.4 "return after N s": the forward target did not answer in time, so the call goes to the
 * forwarding extension's voicemail if enabled, or is disconnected (480). Never forwards again.
 */
export const returnAfterFeature: CallFeature = {
  name: 'return-after',
  decide(ctx) {
    if (ctx.reason !== 'returnAfter') return { kind: 'continue' };
    return defaultHandling(ctx, 'returnAfter');
  },
};
