/**
 * Hand-written SIP peers for interop tests that need to see exactly which connection a message
 * arrived on: a TCP connection (raw node:net socket, Content-Length framing, RFC 3261 §18.3) and a
 * UDP socket with the same inbox API. No SIP stack of ours is involved; messages are plain text.
 */
import dgram from 'node:dgram';
import net from 'node:net';
import { statusOf } from './sip-udp-client.js';

/** Compact header forms (RFC 3261 §7.3.3) used when looking a header up. */
const COMPACT: Readonly<Record<string, string>> = {
  'call-id': 'i',
  via: 'v',
  from: 'f',
  to: 't',
  contact: 'm',
  'content-length': 'l',
  'content-type': 'c',
  cseq: 'cseq',
};

/** One SIP message received by a peer, split into its parts. */
export interface SipText {
  /** The whole message as received (latin1). */
  readonly raw: string;
  /** The request line or status line. */
  readonly startLine: string;
  /** Header fields in order (name as written, value trimmed; folded lines joined). */
  readonly headers: readonly (readonly [string, string])[];
  readonly body: string;
  /** Milliseconds since the epoch when it arrived. */
  readonly at: number;
}

/** Splits a message text into start line, headers and body. */
export function parseSipText(raw: string, at = Date.now()): SipText {
  const split = raw.indexOf('\r\n\r\n');
  const head = split >= 0 ? raw.slice(0, split) : raw;
  const body = split >= 0 ? raw.slice(split + 4) : '';
  const lines = head.replace(/\r\n[ \t]+/g, ' ').split('\r\n');
  const headers: [string, string][] = [];
  for (const line of lines.slice(1)) {
    const colon = line.indexOf(':');
    if (colon > 0) headers.push([line.slice(0, colon).trim(), line.slice(colon + 1).trim()]);
  }
  return { raw, startLine: lines[0] ?? '', headers, body, at };
}

/** Every value of header `name` (case-insensitive, compact form too) of a message. */
export function headersOf(message: SipText, name: string): string[] {
  const full = name.toLowerCase();
  const compact = COMPACT[full];
  return message.headers.filter(([n]) => n.toLowerCase() === full || n.toLowerCase() === compact).map(([, v]) => v);
}

/** The first value of header `name`, or ''. */
export function headerOf(message: SipText, name: string): string {
  return headersOf(message, name)[0] ?? '';
}

/** The method of a request, or undefined for a response. */
export function methodOf(message: SipText): string | undefined {
  return message.startLine.startsWith('SIP/2.0 ') ? undefined : message.startLine.split(' ')[0];
}

/** The status of a response, or undefined for a request. */
export function statusOfText(message: SipText): number | undefined {
  return statusOf(message.startLine);
}

/** The CSeq method of a message (`INVITE` of `CSeq: 2 INVITE`). */
export function cseqMethodOf(message: SipText): string {
  return headerOf(message, 'CSeq').split(/\s+/)[1] ?? '';
}

/** The `tag` parameter of a From/To value, or undefined. */
export function tagOf(value: string): string | undefined {
  return /;\s*tag=([^;\s>]+)/i.exec(value)?.[1];
}

/** The URI inside a name-addr (`"x" <sip:a@b>;p` → `sip:a@b`), or the value up to its parameters. */
export function uriOf(value: string): string {
  const angle = /<([^>]*)>/.exec(value);
  if (angle) return angle[1] ?? '';
  return value.split(';')[0]?.trim() ?? '';
}

/** Options of {@link responseText}. */
export interface ResponseOptions {
  /** Added to To when it has no tag yet. */
  readonly toTag?: string;
  readonly headers?: readonly string[];
  readonly body?: string;
  readonly contentType?: string;
}

/** A response to `request` (§8.2.6.2: Via, From, To, Call-ID and CSeq copied) with Content-Length. */
export function responseText(request: SipText, status: number, reason: string, opts: ResponseOptions = {}): string {
  const to = headerOf(request, 'To');
  const toValue = opts.toTag !== undefined && tagOf(to) === undefined ? `${to};tag=${opts.toTag}` : to;
  const body = opts.body ?? '';
  const lines = [
    `SIP/2.0 ${status} ${reason}`,
    ...headersOf(request, 'Via').map((v) => `Via: ${v}`),
    `From: ${headerOf(request, 'From')}`,
    `To: ${toValue}`,
    `Call-ID: ${headerOf(request, 'Call-ID')}`,
    `CSeq: ${headerOf(request, 'CSeq')}`,
    ...(opts.headers ?? []),
    ...(body.length > 0 ? [`Content-Type: ${opts.contentType ?? 'application/sdp'}`] : []),
    `Content-Length: ${Buffer.byteLength(body, 'latin1')}`,
    '',
    body,
  ];
  return lines.join('\r\n');
}

/** A request text: `lines` are the header lines (no Content-Length); the body gets its length. */
export function requestText(startLine: string, lines: readonly string[], body = '', contentType = 'application/sdp'): string {
  return [
    startLine,
    ...lines,
    ...(body.length > 0 ? [`Content-Type: ${contentType}`] : []),
    `Content-Length: ${Buffer.byteLength(body, 'latin1')}`,
    '',
    body,
  ].join('\r\n');
}

/**
 * Frames a byte stream into SIP messages by Content-Length (RFC 3261 §18.3). Leading CRLFs
 * (RFC 5626 keep-alives) are skipped.
 */
export class StreamFramer {
  #buffer = '';

  /** Adds received bytes; returns every message completed by them. */
  push(chunk: Buffer): string[] {
    this.#buffer += chunk.toString('latin1');
    const out: string[] = [];
    for (;;) {
      this.#buffer = this.#buffer.replace(/^(\r\n)+/, '');
      const end = this.#buffer.indexOf('\r\n\r\n');
      if (end < 0) return out;
      const head = this.#buffer.slice(0, end);
      const lengthLine = /\r\n(?:content-length|l)[ \t]*:[ \t]*(\d+)/i.exec(head);
      const length = lengthLine ? Number(lengthLine[1]) : 0;
      const total = end + 4 + length;
      if (this.#buffer.length < total) return out;
      out.push(this.#buffer.slice(0, total));
      this.#buffer = this.#buffer.slice(total);
    }
  }
}

/** Messages received by one peer, with bounded waits for the next one that matches. */
export class SipInbox {
  /** Every message received, in order (never consumed: for transcripts and negative checks). */
  readonly log: SipText[] = [];
  readonly #unread: SipText[] = [];
  #wake: Array<() => void> = [];

  constructor(readonly label: string) {}

  /** Stores a received message (peers call this). */
  deliver(raw: string): void {
    const message = parseSipText(raw);
    this.log.push(message);
    this.#unread.push(message);
    const wake = this.#wake;
    this.#wake = [];
    for (const f of wake) f();
  }

  /** Resolves with the first unread message that matches (and consumes it); rejects after `timeoutMs`. */
  async next(match: (m: SipText) => boolean, what: string, timeoutMs = 5000): Promise<SipText> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const i = this.#unread.findIndex(match);
      if (i >= 0) return this.#unread.splice(i, 1)[0] as SipText;
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`${this.label}: no ${what} within ${timeoutMs} ms`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.#wake.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  /** The next request with `method` (and, if given, this Call-ID). */
  nextRequest(method: string, callId?: string, timeoutMs?: number): Promise<SipText> {
    return this.next(
      (m) => methodOf(m) === method && (callId === undefined || headerOf(m, 'Call-ID') === callId),
      `${method} request${callId ? ` (Call-ID ${callId})` : ''}`,
      timeoutMs,
    );
  }

  /** The next final response (≥ 200) to `method` with this Call-ID and CSeq number. */
  nextFinal(callId: string, cseq: number, method: string, timeoutMs?: number): Promise<SipText> {
    return this.next(
      (m) =>
        (statusOfText(m) ?? 0) >= 200 &&
        headerOf(m, 'Call-ID') === callId &&
        headerOf(m, 'CSeq').replace(/\s+/g, ' ') === `${cseq} ${method}`,
      `final response to ${method} (CSeq ${cseq}, Call-ID ${callId})`,
      timeoutMs,
    );
  }

  /** One line per received message (time, start line, Call-ID, CSeq), for failure messages. */
  transcript(since = 0): string {
    return this.log
      .filter((m) => m.at >= since)
      .map((m) => `${new Date(m.at).toISOString()} ${this.label} ← ${m.startLine} | ${headerOf(m, 'Call-ID')} | ${headerOf(m, 'CSeq')}`)
      .join('\n');
  }
}

/** One TCP connection to the SIP server, from an ephemeral port of 127.0.0.1. */
export class TcpSipConnection {
  readonly inbox: SipInbox;
  readonly #socket: net.Socket;
  readonly #closed: Promise<void>;
  #isClosed = false;

  private constructor(socket: net.Socket, label: string) {
    this.#socket = socket;
    this.inbox = new SipInbox(label);
    const framer = new StreamFramer();
    socket.on('data', (chunk: Buffer) => {
      for (const raw of framer.push(chunk)) this.inbox.deliver(raw);
    });
    // Errors end in 'close'; the tests look at what arrived, not at socket errors.
    socket.on('error', () => undefined);
    this.#closed = new Promise<void>((resolve) =>
      socket.once('close', () => {
        this.#isClosed = true;
        resolve();
      }),
    );
  }

  /** Connects to 127.0.0.1:`port` (bounded by `timeoutMs`). */
  static async open(port: number, label: string, timeoutMs = 3000): Promise<TcpSipConnection> {
    const socket = net.connect({ port, host: '127.0.0.1' });
    try {
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`${label}: no TCP connection to 127.0.0.1:${port} within ${timeoutMs} ms`)), timeoutMs);
        socket.once('connect', () => {
          clearTimeout(timer);
          resolve();
        });
        socket.once('error', (err) => {
          clearTimeout(timer);
          reject(err);
        });
      });
    } catch (err) {
      socket.destroy();
      throw err;
    }
    return new TcpSipConnection(socket, label);
  }

  /** The local (ephemeral) port of this connection. */
  get localPort(): number {
    return this.#socket.localPort ?? 0;
  }

  /** True once the socket closed (either side). */
  get isClosed(): boolean {
    return this.#isClosed;
  }

  /** Writes one message. */
  send(text: string): void {
    if (this.#isClosed) throw new Error(`${this.inbox.label}: send on a closed connection`);
    this.#socket.write(Buffer.from(text, 'latin1'));
  }

  /** Closes gracefully (FIN) and waits for the close; destroys the socket after `timeoutMs`. */
  async close(timeoutMs = 2000): Promise<void> {
    if (this.#isClosed) return;
    this.#socket.end();
    const timer = setTimeout(() => this.#socket.destroy(), timeoutMs);
    await this.#closed;
    clearTimeout(timer);
  }

  /** Destroys the socket at once (cleanup). */
  destroy(): void {
    this.#socket.destroy();
  }
}

/** A UDP socket on 127.0.0.1 with an inbox (no retransmission: use it on loopback only). */
export class UdpSipPeer {
  readonly inbox: SipInbox;
  readonly #socket = dgram.createSocket('udp4');
  port = 0;

  constructor(label: string) {
    this.inbox = new SipInbox(label);
  }

  /** Binds an ephemeral port. */
  async open(): Promise<void> {
    await new Promise<void>((resolve) => this.#socket.bind(0, '127.0.0.1', resolve));
    this.port = this.#socket.address().port;
    this.#socket.on('message', (m) => this.inbox.deliver(m.toString('latin1')));
  }

  /** Sends one datagram to 127.0.0.1:`port`. */
  send(text: string, port: number): void {
    this.#socket.send(Buffer.from(text, 'latin1'), port, '127.0.0.1');
  }

  /** Closes the socket. */
  close(): void {
    try {
      this.#socket.close();
    } catch {
      // already closed
    }
  }
}
