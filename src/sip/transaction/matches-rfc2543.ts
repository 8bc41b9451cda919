import type { SipRequest, ViaValue } from '../message/index.js';

/** What {@link matchesRfc2543} needs to know about a server transaction besides its request. */
export interface Rfc2543MatchOptions {
  /** To tag of the final response the server transaction sent (what an ACK must carry). */
  readonly finalToTag?: string | undefined;
  /** Match `request` as if it had this method (§9.2: CANCEL looks for the transaction it cancels). */
  readonly asMethod?: string;
}

/**
 * RFC 3261 §17.2.3, fallback for requests whose top Via has no magic-cookie branch (RFC 2543 peers):
 *
 * - an INVITE (or any non-ACK request) matches when Request-URI, To tag, From tag, Call-ID, CSeq
 *   (number and method) and the top Via equal those of the request that created the transaction;
 * - an ACK matches an INVITE transaction when Request-URI, From tag, Call-ID, CSeq number and top Via
 *   match, and the ACK's To tag equals the To tag of the response the server transaction sent.
 */
export function matchesRfc2543(original: SipRequest, request: SipRequest, options: Rfc2543MatchOptions = {}): boolean {
  const isAck = options.asMethod === undefined && request.method === 'ACK';
  const method = options.asMethod ?? request.method;
  if (isAck ? original.method !== 'INVITE' : original.method !== method) return false;
  const callId = request.callId();
  if (callId === undefined || callId !== original.callId()) return false;
  const cseq = request.cseq();
  const originalCSeq = original.cseq();
  if (!cseq || !originalCSeq || cseq.seq !== originalCSeq.seq) return false;
  if (!isAck && options.asMethod === undefined && cseq.method !== originalCSeq.method) return false;
  if (request.from()?.tag !== original.from()?.tag) return false;
  const toTag = request.to()?.tag;
  if (isAck) {
    if (options.finalToTag === undefined || toTag !== options.finalToTag) return false;
  } else if (toTag !== original.to()?.tag) {
    return false;
  }
  if (!request.uri.equals(original.uri)) return false;
  const via = request.topVia();
  const originalVia = original.topVia();
  return via !== undefined && originalVia !== undefined && sameVia(via, originalVia);
}

/**
 * Via equality for matching (§20.42 with §7.3.1: transport, host and parameter names and values
 * compare case-insensitively, the port numerically).
 */
export function sameVia(a: ViaValue, b: ViaValue): boolean {
  if (a.protocol.toUpperCase() !== b.protocol.toUpperCase()) return false;
  if (a.transport.toUpperCase() !== b.transport.toUpperCase()) return false;
  if (a.host.toLowerCase() !== b.host.toLowerCase() || a.port !== b.port) return false;
  if (a.params.size !== b.params.size) return false;
  for (const [name, value] of a.params) {
    const other = b.params.get(name);
    if (other === undefined) return false;
    if ((value === null) !== (other === null)) return false;
    if (value !== null && other !== null && value.toLowerCase() !== other.toLowerCase()) return false;
  }
  return true;
}
