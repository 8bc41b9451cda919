/**
 * Cuts a TCP/TLS byte stream into SIP messages (RFC 3261 §18.3): the header section ends at the
 * first empty line, and Content-Length — mandatory on streams — gives the body's length. CRLF
 * keep-alives between messages (RFC 5626 §3.5.1) are skipped and reported.
 *
 * Errors come out as {@link FramerError} items in the same array as the messages:
 * - `fatal: false` — a message whose total size exceeds the limit while its Content-Length is
 *   known: its octets are discarded as they arrive and framing resumes after it (resync). The
 *   caller may answer 513 or close.
 * - `fatal: true` — the stream cannot be framed any more (no Content-Length, an invalid or
 *   conflicting one, or a header section over the limit): the caller MUST close the connection.
 *   The framer then ignores everything pushed to it.
 * Each error carries `head`, the complete lines of the header section read so far (at most the
 * header limit), so that the caller can answer when the start line and top Via are in it.
 */
import { MAX_MESSAGE_SIZE } from './parse-message.js';
import { parseContentLength } from './numeric-headers.js';
import { isWsp, trimWsp } from './tokenizer.js';

/** A framing problem; `status` is the response code that fits it (400, 513). */
export interface FramerError {
  readonly error: string;
  readonly status: number;
  /** True when the connection must be closed: nothing more can be framed on it. */
  readonly fatal: boolean;
  /** The whole lines of the message's header section that were read (a copy), to answer from. */
  readonly head: Buffer;
}

/** What {@link StreamFramer.push} yields: whole messages, or errors. */
export type FramerItem = Buffer | FramerError;

/** A CRLF keep-alive seen between messages: `ping` = CRLFCRLF (answer with CRLF), `pong` = a single CRLF. */
export type KeepAliveKind = 'ping' | 'pong';

/** Options of {@link StreamFramer}. */
export interface StreamFramerOptions {
  /** Called for each keep-alive between messages; answer a `ping` with CRLF (RFC 5626 §4.4.1). */
  readonly onKeepAlive?: (kind: KeepAliveKind) => void;
  /** Largest message (header section and body) accepted, in octets; defaults to 64 KiB. */
  readonly maxMessageSize?: number;
  /**
   * Largest header section accepted, asked for each message (it may change, e.g. once the peer
   * authenticated); the message size limit when absent or larger.
   */
  readonly maxHeaderSize?: () => number;
}

const CR = 13;
const LF = 10;
const HEADER_END = Buffer.from('\r\n\r\n');
const MIN_CAPACITY = 4096;

type LengthResult = { length: number } | { error: string };

/** Finds the Content-Length (or `l`) of a header section, undoing folding. */
function contentLengthOf(head: string): LengthResult {
  let found: string | undefined;
  const lines = head.split('\n');
  for (let i = 1; i < lines.length; i++) {
    let line = lines[i] ?? '';
    const colon = line.indexOf(':');
    if (colon < 0 || isWsp(line.charCodeAt(0))) continue;
    const name = trimWsp(line.slice(0, colon)).toLowerCase();
    if (name !== 'content-length' && name !== 'l') continue;
    while (i + 1 < lines.length && isWsp((lines[i + 1] ?? '').charCodeAt(0))) line += ' ' + (lines[++i] ?? '');
    const value = trimWsp(line.slice(colon + 1).replaceAll('\r', ''));
    if (found !== undefined && found !== value) return { error: 'Conflicting Content-Length headers' };
    found = value;
  }
  // RFC 3261 §18.3: the Content-Length header field MUST be used with stream-oriented transports.
  if (found === undefined) return { error: 'Missing Content-Length header' };
  const length = parseContentLength(found);
  return length === undefined ? { error: 'Invalid Content-Length header' } : { length };
}

/** Frames one connection's inbound byte stream. Not reusable across connections. */
export class StreamFramer {
  readonly #onKeepAlive: ((kind: KeepAliveKind) => void) | undefined;
  readonly #max: number;
  readonly #maxHeader: (() => number) | undefined;
  #buf = Buffer.alloc(0);
  #start = 0;
  #end = 0;
  /** Octets of the current header section already searched for the empty line. */
  #scanned = 0;
  /** Total length of the current message once its header section is read, else -1. */
  #needed = -1;
  /** Octets still to discard of an oversized message. */
  #skip = 0;
  #failed = false;

  constructor(options: StreamFramerOptions = {}) {
    this.#onKeepAlive = options.onKeepAlive;
    this.#max = options.maxMessageSize ?? MAX_MESSAGE_SIZE;
    this.#maxHeader = options.maxHeaderSize;
  }

  /** Octets received but not yet returned as a message. */
  get buffered(): number {
    return this.#end - this.#start;
  }

  /** True after a fatal error: the connection must be closed. */
  get failed(): boolean {
    return this.#failed;
  }

  /** Feeds received octets; returns the messages (and errors) completed by them, in order. */
  push(chunk: Uint8Array): FramerItem[] {
    const out: FramerItem[] = [];
    if (this.#failed) return out;
    this.#append(chunk);
    for (;;) {
      if (this.#skip > 0) {
        const n = Math.min(this.#skip, this.buffered);
        this.#start += n;
        this.#skip -= n;
        if (this.#skip > 0) break;
      }
      if (this.#needed < 0) {
        if (this.#scanned === 0 && this.#skipKeepAlive()) continue;
        if (this.buffered === 0 || this.#atAmbiguousNewline()) break;
        const error = this.#readHead();
        if (error !== undefined) {
          out.push(error);
          if (error.fatal) break;
          continue;
        }
        if (this.#needed < 0) break;
      }
      if (this.buffered < this.#needed) break;
      out.push(Buffer.from(this.#buf.subarray(this.#start, this.#start + this.#needed)));
      this.#start += this.#needed;
      this.#needed = -1;
      this.#scanned = 0;
    }
    if (this.#start === this.#end) {
      this.#start = this.#end = 0;
      // Do not keep a large buffer alive on an idle connection after a big message.
      if (this.#buf.length > 2 * MIN_CAPACITY) this.#buf = Buffer.alloc(0);
    }
    return out;
  }

  #append(chunk: Uint8Array): void {
    const used = this.#end - this.#start;
    if (this.#end + chunk.length > this.#buf.length) {
      const size = Math.max(MIN_CAPACITY, 2 * (used + chunk.length));
      const next = Buffer.allocUnsafe(size);
      this.#buf.copy(next, 0, this.#start, this.#end);
      this.#buf = next;
      this.#start = 0;
      this.#end = used;
    }
    this.#buf.set(chunk, this.#end);
    this.#end += chunk.length;
  }

  /**
   * At a message boundary, consumes one keep-alive: CRLFCRLF is a ping, a CRLF not followed by
   * another is a pong; a stray LF is ignored (RFC 3261 §7.5). Returns whether it consumed any.
   */
  #skipKeepAlive(): boolean {
    const b = this.#buf;
    const s = this.#start;
    const n = this.buffered;
    if (n === 0) return false;
    if (b[s] === LF) {
      this.#start += 1;
      return true;
    }
    if (b[s] !== CR || n < 2) return false;
    if (b[s + 1] !== LF) {
      this.#start += 1;
      return true;
    }
    if (n >= 4 && b[s + 2] === CR && b[s + 3] === LF) {
      this.#start += 4;
      this.#onKeepAlive?.('ping');
      return true;
    }
    if (n >= 3 && b[s + 2] !== CR) {
      this.#start += 2;
      this.#onKeepAlive?.('pong');
      return true;
    }
    if (n >= 4) {
      // CR LF CR x: the CRLF was a pong and the lone CR is noise handled on the next round.
      this.#start += 2;
      this.#onKeepAlive?.('pong');
      return true;
    }
    return false;
  }

  /** True while the buffer holds only the start of a keep-alive (`CR`, `CRLF`, `CRLFCR`): wait for more. */
  #atAmbiguousNewline(): boolean {
    return this.#scanned === 0 && this.#buf[this.#start] === CR && this.buffered < 4;
  }

  /** Searches for the end of the header section; sets `#needed` when found. */
  #readHead(): FramerError | undefined {
    const from = this.#start + Math.max(0, this.#scanned - 3);
    const view = this.#buf.subarray(0, this.#end);
    const at = view.indexOf(HEADER_END, from);
    const headerLimit = Math.min(this.#max, this.#maxHeader?.() ?? this.#max);
    if (at < 0) {
      this.#scanned = this.buffered;
      if (this.#scanned > headerLimit) return this.#fail('Header section too large', 513, this.#headLines(headerLimit));
      return undefined;
    }
    const headLength = at + 4 - this.#start;
    if (headLength > headerLimit) return this.#fail('Header section too large', 513, this.#headLines(headerLimit));
    const result = contentLengthOf(this.#buf.toString('latin1', this.#start, at));
    if ('error' in result) return this.#fail(result.error, 400, this.#headLines(headLength));
    const total = headLength + result.length;
    if (total > this.#max) {
      // Resync: discard this message's octets as they arrive and frame the next one.
      const head = this.#headLines(headLength);
      this.#skip = total;
      this.#scanned = 0;
      return { error: 'Message too large', status: 513, fatal: false, head };
    }
    this.#needed = total;
    return undefined;
  }

  /** A copy of the current message's first `limit` octets, cut after its last complete line. */
  #headLines(limit: number): Buffer {
    const head = this.#buf.subarray(this.#start, Math.min(this.#end, this.#start + limit));
    const lastLine = head.lastIndexOf('\n');
    return Buffer.from(head.subarray(0, lastLine + 1));
  }

  #fail(error: string, status: number, head: Buffer): FramerError {
    this.#failed = true;
    this.#start = this.#end = 0;
    this.#buf = Buffer.alloc(0);
    return { error, status, fatal: true, head };
  }
}
