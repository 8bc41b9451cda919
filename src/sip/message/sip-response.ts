/** A SIP response (RFC 3261 §7.2): status code, reason phrase, headers, body. */
import { HeaderList, type HeaderInput } from './header-list.js';
import { SipMessage, headersForBody, toBody, type BodyInput, type ParsedHeaders } from './sip-message.js';
import { reasonPhrase } from './status-codes.js';

/** What {@link SipResponse.create} takes; `reason` defaults to the standard phrase of the status. */
export interface SipResponseInit {
  readonly status: number;
  readonly reason?: string;
  readonly headers?: HeaderInput | HeaderList;
  readonly body?: BodyInput;
}

/** Checks a status code (100–699) and reason phrase (no CR/LF); throws TypeError otherwise. */
function checkStatusLine(status: number, reason: string): void {
  if (!Number.isInteger(status) || status < 100 || status > 699) throw new TypeError(`invalid SIP status ${status}`);
  if (reason.includes('\r') || reason.includes('\n')) throw new TypeError('reason phrase contains CR or LF');
}

/** An immutable SIP response. */
export class SipResponse extends SipMessage {
  /** Discriminates responses from requests in a `SipRequest | SipResponse` union. */
  readonly kind = 'response' as const;
  /** Status code, 100–699. */
  readonly status: number;
  /** Reason phrase (may be empty, may be UTF-8). */
  readonly reason: string;

  /** Prefer {@link SipResponse.create}; this constructor trusts its arguments (used by the parser). */
  constructor(status: number, reason: string, headers: HeaderList, body: Uint8Array, parsed?: ParsedHeaders) {
    super(headers, body, parsed);
    this.status = status;
    this.reason = reason;
  }

  /** Builds a response; throws TypeError on an invalid status, reason or header. */
  static create(init: SipResponseInit): SipResponse {
    const reason = init.reason ?? reasonPhrase(init.status);
    checkStatusLine(init.status, reason);
    const headers = init.headers instanceof HeaderList ? init.headers : new HeaderList(init.headers ?? []);
    return new SipResponse(init.status, reason, headers, toBody(init.body));
  }

  /** `SIP/2.0 code reason`. */
  startLine(): string {
    return `SIP/2.0 ${this.status} ${this.reason}`;
  }

  /** A copy with another status (reason defaults to the standard phrase). */
  withStatus(status: number, reason: string = reasonPhrase(status)): SipResponse {
    checkStatusLine(status, reason);
    return new SipResponse(status, reason, this.headers, this.body);
  }

  /** A copy with other headers. */
  withHeaders(fn: (headers: HeaderList) => HeaderList): this {
    return new SipResponse(this.status, this.reason, fn(this.headers), this.body) as this;
  }

  /** A copy with another body (Content-Length updated, Content-Type set when given). */
  withBody(body: BodyInput, contentType?: string): this {
    const bytes = toBody(body);
    return new SipResponse(this.status, this.reason, headersForBody(this.headers, bytes, contentType), bytes) as this;
  }
}
