import type { CallFeature } from '../types.js';
import { waitingAllowed } from './waiting-allowed.js';

/** SPEC 2.2 call waiting on: a call to an extension already on an answered call rings it anyway. */
export const callWaitingFeature: CallFeature = {
  name: 'call-waiting',
  decide(ctx) {
    if (ctx.reason === 'initial' && ctx.targetOnAnsweredCall && waitingAllowed(ctx.target)) {
      return { kind: 'ringDevices', ringTimeSeconds: ctx.target.ringTimeSeconds, callWaiting: true };
    }
    return { kind: 'continue' };
  },
};
