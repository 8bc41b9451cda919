/**
 * Transaction identifiers for matching (RFC 3261 §17.1.3, §17.2.3) when the branch carries the
 * RFC 3261 magic cookie. Requests without it fall back to {@link matchesRfc2543}.
 */
import { randomToken } from '../../lib/index.js';
import type { SipRequest, SipResponse } from '../message/index.js';

/** RFC 3261 §8.1.1.7: every branch ID inserted by an element compliant with RFC 3261 begins with this. */
export const MAGIC_COOKIE = 'z9hG4bK';

/** A new branch ID for a client transaction: the magic cookie plus 96 random bits (§8.1.1.7). */
export function newBranch(): string {
  return MAGIC_COOKIE + randomToken(12);
}

/**
 * True when the branch was made by an RFC 3261 element. Branch values are tokens, which §7.3.1 compares
 * case-insensitively, so a cookie lower-cased by a proxy still counts; a bare cookie does not.
 */
export function hasMagicCookie(branch: string | undefined): boolean {
  return branch !== undefined && branch.length > MAGIC_COOKIE.length && branch.slice(0, MAGIC_COOKIE.length).toLowerCase() === MAGIC_COOKIE.toLowerCase();
}

/**
 * §17.1.3: a response matches a client transaction when the branch of its top Via equals the branch
 * of the request that created the transaction, and the CSeq method equals that request's method
 * (a CANCEL has the branch of its INVITE but a transaction of its own).
 */
export function clientKey(branch: string, method: string): string {
  return `${branch.toLowerCase()}|${method}`;
}

/** The client key of a response, or undefined when it has no top Via branch or no CSeq. */
export function responseClientKey(response: SipResponse): string | undefined {
  const branch = response.topVia()?.branch;
  const cseq = response.cseq();
  return branch === undefined || !cseq ? undefined : clientKey(branch, cseq.method);
}

/**
 * §17.2.3: with the magic cookie, a request matches a server transaction when the branch and the
 * sent-by of the top Via equal those of the creating request, and the method matches, except that an
 * ACK matches the INVITE transaction. `asMethod` overrides the method (§9.2: a CANCEL is matched to the
 * transaction it cancels as if it were that request). Undefined without a magic-cookie branch.
 */
export function serverKey(request: SipRequest, asMethod?: string): string | undefined {
  const via = request.topVia();
  const branch = via?.branch;
  if (!via || branch === undefined || !hasMagicCookie(branch)) return undefined;
  const method = asMethod ?? (request.method === 'ACK' ? 'INVITE' : request.method);
  const sentBy = via.port === undefined ? via.host.toLowerCase() : `${via.host.toLowerCase()}:${via.port}`;
  return `${branch.toLowerCase()}|${sentBy}|${method}`;
}
