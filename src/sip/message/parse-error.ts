/** The result of parsing bytes as a SIP message, and the error a malformed one yields. */
import type { SipRequest } from './sip-request.js';
import type { SipResponse } from './sip-response.js';

/**
 * A message that could not be parsed. `status` and `reason` form the response to send (400 with
 * a reason naming the problem, 505 for another SIP version, 513 when too large); `request` is
 * set when the input was a request from which a response can be built (a Request-Line and a
 * valid top Via), otherwise the input must be dropped (RFC 4475 §3.1.2: answer 400 or discard).
 */
export class SipParseError extends Error {
  override readonly name = 'SipParseError';
  /** The status code of the response to send. */
  readonly status: number;
  /** The reason phrase naming the problem, e.g. `Missing Call-ID header`. */
  readonly reason: string;
  /** The canonical name of the header at fault, if one is. */
  readonly header: string | undefined;
  /** The request as far as it was read, to answer with `createResponse(request, status, reason)`. */
  readonly request: SipRequest | undefined;

  constructor(status: number, reason: string, options: { header?: string; request?: SipRequest } = {}) {
    super(`${status} ${reason}`);
    this.status = status;
    this.reason = reason;
    this.header = options.header;
    this.request = options.request;
  }
}

/** What {@link parseMessage} returns: never throws, so a bad packet cannot escape as an exception. */
export type ParseResult = { ok: true; message: SipRequest | SipResponse } | { ok: false; error: SipParseError };
