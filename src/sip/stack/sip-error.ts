/**
 * A request handler's refusal with a status (drachtio-srf's `SipError(status, reason)`): thrown or
 * rejected by a {@link RequestHandler}, it becomes that final response instead of a 500.
 */
export class SipError extends Error {
  /** The final status to answer with (300–699). */
  readonly status: number;
  /** Reason phrase; undefined: the status table's. */
  readonly reason: string | undefined;
  /** Extra header fields of the response (Retry-After, Warning …), in order. */
  readonly headers: readonly (readonly [string, string])[];

  constructor(status: number, reason?: string, headers: readonly (readonly [string, string])[] = []) {
    if (!Number.isInteger(status) || status < 300 || status > 699) {
      throw new RangeError(`SipError: ${status} is not a final non-2xx status (300–699)`);
    }
    super(`${status}${reason !== undefined ? ` ${reason}` : ''}`);
    this.name = 'SipError';
    this.status = status;
    this.reason = reason;
    this.headers = headers;
  }
}
