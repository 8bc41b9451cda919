import type { SipRequest } from '../message/index.js';

/** Methods of RFC 3261 and its common extensions: known, so without a handler they get 405, not 501. */
export const KNOWN_METHODS: ReadonlySet<string> = new Set([
  'INVITE', 'ACK', 'BYE', 'CANCEL', 'OPTIONS', 'REGISTER', 'PRACK', 'SUBSCRIBE', 'NOTIFY', 'PUBLISH',
  'INFO', 'REFER', 'MESSAGE', 'UPDATE',
]);

/** URI schemes the stack serves in a Request-URI (RFC 3261 §8.2.2.1). */
export const SUPPORTED_SCHEMES: ReadonlySet<string> = new Set(['sip', 'sips', 'tel']);

/** What the stack can do, for the checks and for OPTIONS/405 answers. */
export interface StackCapabilities {
  /** Methods that have a handler (Allow). */
  readonly allowed: readonly string[];
  /** Option tags the server supports (Supported; others in Require get 420). */
  readonly supported: readonly string[];
  /**
   * Methods the server processes itself (registrar, OPTIONS to the server): a Max-Forwards of 0 does
   * not stop them. Every other request would be forwarded and gets 483 (RFC 3261 §16.3 step 3).
   */
  readonly local: readonly string[];
}

/** A response the stack sends instead of calling the TU. */
export interface Rejection {
  readonly status: number;
  readonly reason?: string;
  readonly headers: [string, string][];
}

function reject(status: number, reason?: string, headers: [string, string][] = []): Rejection {
  return reason === undefined ? { status, headers } : { status, reason, headers };
}

/**
 * The UAS checks of RFC 3261 §8.2 in their order (method, then headers), plus the proxy's
 * Max-Forwards check of §16.3. Returns undefined when the request may go to its TU handler.
 * ACK is never answered, so it is never rejected here.
 */
export function checkRequest(request: SipRequest, caps: StackCapabilities): Rejection | undefined {
  const method = request.method;
  if (method === 'ACK') return undefined;
  const allow = caps.allowed.join(', ');
  // §8.1.1.5 / §20.16: the CSeq method MUST match the Request-Line method.
  const cseq = request.cseq();
  if (cseq && cseq.method !== method) {
    // RFC 4475 §3.1.2.18: for an unknown method 501 is as good as 400.
    if (!KNOWN_METHODS.has(method)) return reject(501, undefined, [['Allow', allow]]);
    return reject(400, 'CSeq Method Does Not Match Request-Line');
  }
  // §8.2.1: a method the UAS recognises but does not support gets 405 with Allow; an unknown
  // method gets 501 Not Implemented (§21.5.2).
  if (!caps.allowed.includes(method)) {
    return KNOWN_METHODS.has(method) ? reject(405, undefined, [['Allow', allow]]) : reject(501, undefined, [['Allow', allow]]);
  }
  // §8.2.2.1: a Request-URI scheme the UAS does not understand gets 416.
  if (!SUPPORTED_SCHEMES.has(request.uri.scheme.toLowerCase())) return reject(416);
  // §8.2.2.3: unknown option tags in Require get 420 listing them in Unsupported (not for CANCEL).
  if (method !== 'CANCEL') {
    const unknown = [...request.headers.getAll('Require'), ...request.headers.getAll('Proxy-Require')]
      .map((t) => t.trim())
      .filter((t) => t !== '' && !caps.supported.includes(t.toLowerCase()));
    if (unknown.length > 0) return reject(420, undefined, [['Unsupported', [...new Set(unknown)].join(', ')]]);
  }
  // §16.3 step 3: a request to be forwarded with Max-Forwards 0 gets 483; requests the server
  // processes itself (REGISTER, OPTIONS to the server) go on (§16.3: OPTIONS MAY be answered).
  if (request.maxForwards() === 0 && !caps.local.includes(method)) return reject(483);
  return undefined;
}
