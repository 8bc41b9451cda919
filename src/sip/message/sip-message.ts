/**
 * What requests and responses share (RFC 3261 §7): an ordered header list, a byte body, and typed
 * accessors that parse a header on first use and cache the result, as Kamailio parses only the
 * headers it needs. The parser seeds that cache with the headers it had to validate anyway.
 */
import type { CSeqValue } from './types.js';
import { HeaderList } from './header-list.js';
import { NameAddr } from './name-addr.js';
import { Via } from './via.js';
import { parseCSeq } from './cseq.js';
import { parseDeltaSeconds, parseMaxForwards } from './numeric-headers.js';
import { parseMediaType } from './media-type.js';
import { serializeMessage } from './serialize-message.js';
import { trimWsp } from './tokenizer.js';

/** Header values already parsed (by the parser, while validating); seeds the accessor cache. */
export interface ParsedHeaders {
  via?: Via[];
  from?: NameAddr | undefined;
  to?: NameAddr | undefined;
  callId?: string | undefined;
  cseq?: CSeqValue | undefined;
  contacts?: NameAddr[] | '*';
  maxForwards?: number | undefined;
  contentType?: string | undefined;
}

/** A body given as bytes or as text (encoded as UTF-8). */
export type BodyInput = Uint8Array | string;

const EMPTY_BODY = new Uint8Array(0);

/** Bytes of a body given as bytes or text. */
export function toBody(body: BodyInput | undefined): Uint8Array {
  if (body === undefined) return EMPTY_BODY;
  return typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
}

function parseNameAddrs(values: readonly string[]): NameAddr[] {
  const out: NameAddr[] = [];
  for (const value of values) {
    const parsed = NameAddr.parse(value);
    if (parsed !== undefined) out.push(parsed);
  }
  return out;
}

/** Headers set to describe a new body: Content-Length always, Content-Type when given or removed with an empty body. */
export function headersForBody(headers: HeaderList, body: Uint8Array, contentType?: string): HeaderList {
  let out = headers.with('Content-Length', String(body.length));
  if (contentType !== undefined) out = out.with('Content-Type', contentType);
  else if (body.length === 0) out = out.without('Content-Type');
  return out;
}

/** A SIP request or response: immutable; build a changed copy with `withHeaders` / `withBody`. */
export abstract class SipMessage {
  /** The header lines in order. */
  readonly headers: HeaderList;
  /** The body octets (possibly empty; multipart and binary bodies untouched). */
  readonly body: Uint8Array;
  readonly #cache: ParsedHeaders;

  protected constructor(headers: HeaderList, body: Uint8Array, parsed?: ParsedHeaders) {
    this.headers = headers;
    this.body = body;
    // The parser hands over an object it no longer uses: adopt it as the cache.
    this.#cache = parsed ?? {};
  }

  /** The start line without CRLF (`INVITE sip:bob@example.com SIP/2.0`, `SIP/2.0 200 OK`). */
  abstract startLine(): string;

  /** A copy with other headers (the body is kept). */
  abstract withHeaders(fn: (headers: HeaderList) => HeaderList): this;

  /**
   * A copy with another body: sets Content-Length, sets Content-Type when `contentType` is given,
   * and removes Content-Type when the new body is empty and no type is given.
   */
  abstract withBody(body: BodyInput, contentType?: string): this;

  /** Every Via value, top first; values that do not parse are left out (the parser has rejected them in received messages). */
  via(): Via[] {
    if (this.#cache.via === undefined) {
      const out: Via[] = [];
      for (const value of this.headers.getAll('via')) {
        const via = Via.parse(value);
        if (via !== undefined) out.push(via);
      }
      this.#cache.via = out;
    }
    return this.#cache.via;
  }

  /** The top Via (the one naming the sender of this hop), if any. */
  topVia(): Via | undefined {
    return this.via()[0];
  }

  /** The From header, parsed. */
  from(): NameAddr | undefined {
    if (!('from' in this.#cache)) {
      const value = this.headers.get('from');
      this.#cache.from = value === undefined ? undefined : NameAddr.parse(value);
    }
    return this.#cache.from;
  }

  /** The To header, parsed. */
  to(): NameAddr | undefined {
    if (!('to' in this.#cache)) {
      const value = this.headers.get('to');
      this.#cache.to = value === undefined ? undefined : NameAddr.parse(value);
    }
    return this.#cache.to;
  }

  /** The Call-ID, trimmed. */
  callId(): string | undefined {
    if (!('callId' in this.#cache)) {
      const value = this.headers.get('call-id');
      this.#cache.callId = value === undefined ? undefined : trimWsp(value);
    }
    return this.#cache.callId;
  }

  /** The CSeq number and method. */
  cseq(): CSeqValue | undefined {
    if (!('cseq' in this.#cache)) {
      const value = this.headers.get('cseq');
      this.#cache.cseq = value === undefined ? undefined : parseCSeq(value);
    }
    return this.#cache.cseq;
  }

  /** Contact values in order, or `'*'` for the REGISTER wildcard (RFC 3261 §10.2.2); [] when absent. */
  contacts(): NameAddr[] | '*' {
    if (this.#cache.contacts === undefined) {
      const values = this.headers.getAll('contact');
      this.#cache.contacts = values.length === 1 && values[0] === '*' ? '*' : parseNameAddrs(values);
    }
    return this.#cache.contacts;
  }

  /** Route values in order (RFC 3261 §20.34). */
  routes(): NameAddr[] {
    return parseNameAddrs(this.headers.getAll('route'));
  }

  /** Record-Route values in order (RFC 3261 §20.30). */
  recordRoutes(): NameAddr[] {
    return parseNameAddrs(this.headers.getAll('record-route'));
  }

  /** Max-Forwards (0–255), undefined when absent or malformed. */
  maxForwards(): number | undefined {
    if (!('maxForwards' in this.#cache)) {
      const value = this.headers.get('max-forwards');
      this.#cache.maxForwards = value === undefined ? undefined : parseMaxForwards(value);
    }
    return this.#cache.maxForwards;
  }

  /**
   * The Expires header in seconds, undefined when absent. Values above 2**32-1 read as 2**32-1
   * and malformed ones as 3600 (RFC 3261 §10.2.1.1; RFC 4475 §3.1.2.4).
   */
  expires(): number | undefined {
    const value = this.headers.get('expires');
    return value === undefined ? undefined : parseDeltaSeconds(value);
  }

  /** The lower-cased media type of the body (`application/sdp`) without parameters; see `headers.get('Content-Type')` for those. */
  contentType(): string | undefined {
    if (!('contentType' in this.#cache)) {
      const value = this.headers.get('content-type');
      this.#cache.contentType = value === undefined ? undefined : parseMediaType(value)?.mediaType;
    }
    return this.#cache.contentType;
  }

  /** The body decoded as UTF-8 (for SDP and other text bodies). */
  bodyText(): string {
    return Buffer.from(this.body.buffer, this.body.byteOffset, this.body.byteLength).toString('utf8');
  }

  /** The message as it would be sent, decoded as UTF-8 (for logs). */
  toString(): string {
    return serializeMessage(this).toString('utf8');
  }
}
