import { busyFeature } from './busy/index.js';
import { callWaitingFeature } from './call-waiting/index.js';
import { noAnswerFeature } from './no-answer/index.js';
import { returnAfterFeature } from './return-after/index.js';
import { ringTimeFeature } from './ring-time/index.js';
import type { CallContext, CallFeature, Decision } from './types.js';
import { unavailableFeature } from './unavailable/index.js';

/**
 * The SPEC 2.4 policy, in order: unavailable → busy (call waiting off) → call waiting (ring anyway)
 * → ring for the ring time → no answer → return after. Each feature answers only at its own
 * decision point and says `continue` elsewhere.
 */
export const DEFAULT_CALL_FEATURES: readonly CallFeature[] = [
  unavailableFeature,
  busyFeature,
  callWaitingFeature,
  ringTimeFeature,
  noAnswerFeature,
  returnAfterFeature,
];

/** The result of a chain run: the decision and which feature made it (`default` when none did). */
export interface ChainResult {
  readonly decision: Decision;
  readonly decidedBy: string;
}

/** The outcome when every feature says `continue`: 486 at a busy point, 480 anywhere else. */
export function defaultOutcome(ctx: CallContext): Decision {
  return ctx.reason === 'busy'
    ? { kind: 'reject', status: 486, reason: 'Busy Here' }
    : { kind: 'reject', status: 480, reason: 'Temporarily Unavailable' };
}

/** Runs `features` in order (drachtio's `use()`/`next()`): the first decision wins. */
export function runChainDetailed(features: readonly CallFeature[], ctx: CallContext): ChainResult {
  for (const feature of features) {
    const action = feature.decide(ctx);
    if (action.kind !== 'continue') return { decision: action, decidedBy: feature.name };
  }
  return { decision: defaultOutcome(ctx), decidedBy: 'default' };
}

/** Runs `features` in order and returns the first decision, or {@link defaultOutcome}. */
export function runChain(features: readonly CallFeature[], ctx: CallContext): Decision {
  return runChainDetailed(features, ctx).decision;
}
