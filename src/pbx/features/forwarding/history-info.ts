import { escapeParamValue, sipUri } from '../caller-id/index.js';
import type { ForwardDestination, ForwardHop, ForwardReason } from '../types.js';

/**
 * RFC 4458 §3.3 "cause" values (mapped from Q.732 redirecting reasons): user busy 486, no reply 408,
 * mobile subscriber not reachable 503 (our "unavailable": no device reachable).
 */
const CAUSES: Record<ForwardReason, number> = { busy: 486, noAnswer: 408, unavailable: 503, returnAfter: 408 };

/** SIP status captured in the Reason of the entry that was retargeted (RFC 7044 §9.2). */
const RESPONSES: Record<ForwardReason, number> = { busy: 486, noAnswer: 408, unavailable: 480, returnAfter: 408 };

/** RFC 4458 cause URI parameter value for a forward reason. */
export function historyInfoCause(reason: ForwardReason): number {
  return CAUSES[reason];
}

function targetUri(to: ForwardDestination, sipDomain: string, cause: number): string {
  switch (to.kind) {
    case 'extension':
      return sipUri(to.number, sipDomain, [`cause=${cause}`]);
    case 'voicemail':
      // RFC 4458 §3.3: voicemail URI with the mailbox owner in "target" and the reason in "cause".
      return sipUri('voicemail', sipDomain, [`target=${escapeParamValue(sipUri(to.extension, sipDomain))}`, `cause=${cause}`]);
    case 'external':
      return sipUri(to.e164, sipDomain, ['user=phone', `cause=${cause}`]);
  }
}

/**
 * History-Info header values (RFC 7044) for a request sent after `hops`, in index order: the
 * dialled target as index 1, then one entry per hop whose index extends its parent's
 * (1, 1.1, 1.1.1 …, RFC 7044 §10.3) with `mp` naming the parent (the target user changed: §4.2.2
 * "mp"), the RFC 4458 cause in the new target's URI, and the response that caused the retarget as
 * an escaped Reason in the parent entry's URI (RFC 7044 §9.2).
 */
export function historyInfoValues(dialled: string, hops: readonly ForwardHop[], sipDomain: string): string[] {
  const uris = [sipUri(dialled, sipDomain)];
  const indexes = ['1'];
  hops.forEach((hop, i) => {
    const parent = indexes[i] ?? '1';
    uris[i] = `${uris[i] ?? ''}?Reason=SIP%3Bcause%3D${RESPONSES[hop.reason]}`;
    uris.push(targetUri(hop.to, sipDomain, CAUSES[hop.reason]));
    indexes.push(`${parent}.1`);
  });
  return uris.map((uri, i) => {
    const index = indexes[i] ?? '1';
    const mp = i === 0 ? '' : `;mp=${indexes[i - 1] ?? '1'}`;
    return `<${uri}>;index=${index}${mp}`;
  });
}
