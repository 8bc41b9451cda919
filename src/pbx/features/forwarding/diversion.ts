import { nameAddr, sipUri } from '../caller-id/index.js';
import type { ForwardHop, ForwardReason } from '../types.js';

const REASONS: Record<ForwardReason, string> = {
  busy: 'user-busy',
  noAnswer: 'no-answer',
  unavailable: 'unavailable',
  // The call comes back because the forward target did not answer in time.
  returnAfter: 'no-answer',
};

/** RFC 5806 §3 diversion-reason token for a forward reason. */
export function diversionReason(reason: ForwardReason): string {
  return REASONS[reason];
}

/**
 * Diversion header values (RFC 5806) for a request sent after `hops`, one per hop, most recent
 * first (RFC 5806 §3: each diverting entity adds its entry at the top). Each names the extension
 * that forwarded, why, and `counter=1`. Empty when there are no hops.
 */
export function diversionValues(hops: readonly ForwardHop[], sipDomain: string): string[] {
  return hops
    .map((hop) => `${nameAddr(sipUri(hop.from, sipDomain))};reason=${diversionReason(hop.reason)};counter=1`)
    .reverse();
}
