import type { CallFeature } from '../types.js';

/** SPEC 2.2 ring time: a call that reaches an extension rings all its devices for the ring time. */
export const ringTimeFeature: CallFeature = {
  name: 'ring-time',
  decide(ctx) {
    if (ctx.reason !== 'initial') return { kind: 'continue' };
    return { kind: 'ringDevices', ringTimeSeconds: ctx.target.ringTimeSeconds, callWaiting: false };
  },
};
