/** A SIP request (RFC 3261 §7.1): method, Request-URI, headers, body. */
import { HeaderList, type HeaderInput } from './header-list.js';
import { SipMessage, headersForBody, toBody, type BodyInput, type ParsedHeaders } from './sip-message.js';
import { SipUri } from './uri.js';
import { isToken } from './tokenizer.js';

/** What {@link SipRequest.create} takes. */
export interface SipRequestInit {
  /** A method token, case-sensitive (RFC 3261 §7.1): `INVITE`, `REGISTER`, … */
  readonly method: string;
  readonly uri: SipUri | string;
  readonly headers?: HeaderInput | HeaderList;
  readonly body?: BodyInput;
}

/** An immutable SIP request. */
export class SipRequest extends SipMessage {
  /** Discriminates requests from responses in a `SipRequest | SipResponse` union. */
  readonly kind = 'request' as const;
  /** The method, case-sensitive. */
  readonly method: string;
  /** The Request-URI. */
  readonly uri: SipUri;

  /** Prefer {@link SipRequest.create}; this constructor trusts its arguments (used by the parser). */
  constructor(method: string, uri: SipUri, headers: HeaderList, body: Uint8Array, parsed?: ParsedHeaders) {
    super(headers, body, parsed);
    this.method = method;
    this.uri = uri;
  }

  /** Builds a request; throws TypeError on an invalid method, URI or header. Content-Length is written by the serializer. */
  static create(init: SipRequestInit): SipRequest {
    if (!isToken(init.method)) throw new TypeError(`SipRequest.create: invalid method ${JSON.stringify(init.method)}`);
    const uri = typeof init.uri === 'string' ? SipUri.parse(init.uri) : init.uri;
    if (uri === undefined) throw new TypeError(`SipRequest.create: invalid Request-URI ${JSON.stringify(init.uri)}`);
    const headers = init.headers instanceof HeaderList ? init.headers : new HeaderList(init.headers ?? []);
    return new SipRequest(init.method, uri, headers, toBody(init.body));
  }

  /** `METHOD Request-URI SIP/2.0`. */
  startLine(): string {
    return `${this.method} ${this.uri.toString()} SIP/2.0`;
  }

  /** A copy with another Request-URI. */
  withUri(uri: SipUri): SipRequest {
    return new SipRequest(this.method, uri, this.headers, this.body);
  }

  /** A copy with other headers. */
  withHeaders(fn: (headers: HeaderList) => HeaderList): this {
    return new SipRequest(this.method, this.uri, fn(this.headers), this.body) as this;
  }

  /** A copy with another body (Content-Length updated, Content-Type set when given). */
  withBody(body: BodyInput, contentType?: string): this {
    const bytes = toBody(body);
    return new SipRequest(this.method, this.uri, headersForBody(this.headers, bytes, contentType), bytes) as this;
  }
}
