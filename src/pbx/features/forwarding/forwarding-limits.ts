import type { CallContext, ForwardDestination, ForwardHop } from '../types.js';

/** SPEC 2.4: a call is forwarded at most this many times to an extension or an external number. */
export const MAX_FORWARD_HOPS = 5;

/** Why a forward may not be made. */
export type ForwardRefusal = 'loop' | 'hopLimit';

/**
 * Hops that count against {@link MAX_FORWARD_HOPS}: forwards to extensions and external numbers.
 * A forward to a mailbox ends the call's journey and cannot loop, so it does not count.
 */
export function countedHops(hops: readonly ForwardHop[]): number {
  return hops.filter((h) => h.to.kind !== 'voicemail').length;
}

/** Extension numbers this call has already reached: every forwarder, and the current target. */
export function visitedExtensions(ctx: CallContext): ReadonlySet<string> {
  const visited = new Set<string>(ctx.hops.map((h) => h.from));
  for (const hop of ctx.hops) if (hop.to.kind === 'extension') visited.add(hop.to.number);
  visited.add(ctx.target.number);
  return visited;
}

/**
 * Whether forwarding `ctx.target` on to `to` is allowed: no extension twice in one call (no cycles),
 * at most {@link MAX_FORWARD_HOPS} counted hops. Undefined when allowed.
 */
export function forwardRefusal(ctx: CallContext, to: ForwardDestination): ForwardRefusal | undefined {
  if (to.kind === 'voicemail') return undefined;
  if (to.kind === 'extension' && visitedExtensions(ctx).has(to.number)) return 'loop';
  if (countedHops(ctx.hops) >= MAX_FORWARD_HOPS) return 'hopLimit';
  return undefined;
}

/** The hop list after `ctx.target` forwards the call to `to` for `reason`: what the next context carries. */
export function withHop(ctx: CallContext, to: ForwardDestination, reason: ForwardHop['reason']): readonly ForwardHop[] {
  return [...ctx.hops, { from: ctx.target.number, to, reason }];
}
