/**
 * A tiny hand-written SIP client for interop tests: sends raw datagrams / TCP segments to a running
 * Centrala and collects what comes back. No SIP stack of ours is involved, so it tests the server
 * as a foreign peer would.
 */
import { createHash, randomBytes } from 'node:crypto';
import dgram from 'node:dgram';
import net from 'node:net';
import tls from 'node:tls';

/** Sends one UDP datagram and returns every datagram received within `waitMs` (or until `until` says stop). */
export async function udpExchange(
  port: number,
  data: Buffer | string,
  opts: { waitMs?: number; until?: (received: string[]) => boolean; host?: string } = {},
): Promise<string[]> {
  const socket = dgram.createSocket('udp4');
  const received: string[] = [];
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  try {
    return await new Promise<string[]>((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        resolve(received);
      };
      const timer = setTimeout(done, opts.waitMs ?? 1500);
      socket.on('message', (msg) => {
        received.push(msg.toString('latin1'));
        if (opts.until?.(received)) done();
      });
      socket.send(typeof data === 'string' ? Buffer.from(data, 'latin1') : data, port, opts.host ?? '127.0.0.1');
    });
  } finally {
    socket.close();
  }
}

/**
 * Sends bytes over a fresh TCP connection (TLS with `tls`, accepting the server's development
 * certificate) and collects the replies for `waitMs` (or until `until`).
 */
export async function tcpExchange(
  port: number,
  data: Buffer | string,
  opts: { waitMs?: number; until?: (received: string) => boolean; tls?: boolean } = {},
): Promise<string> {
  const socket = opts.tls
    ? tls.connect({ port, host: '127.0.0.1', rejectUnauthorized: false })
    : net.connect(port, '127.0.0.1');
  let received = '';
  try {
    await new Promise<void>((resolve, reject) => {
      socket.once(opts.tls ? 'secureConnect' : 'connect', resolve);
      socket.once('error', reject);
    });
    return await new Promise<string>((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        resolve(received);
      };
      const timer = setTimeout(done, opts.waitMs ?? 1500);
      socket.on('data', (d) => {
        received += d.toString('latin1');
        if (opts.until?.(received)) done();
      });
      socket.on('close', done);
      socket.on('error', done);
      socket.write(typeof data === 'string' ? Buffer.from(data, 'latin1') : data);
    });
  } finally {
    socket.destroy();
  }
}

/** The status code of a response text, or undefined. */
export function statusOf(message: string): number | undefined {
  const m = /^SIP\/2\.0 (\d{3})/.exec(message);
  return m ? Number(m[1]) : undefined;
}

/** Every value of header `name` (case-insensitive, whole lines) in a message text. */
export function headerValues(message: string, name: string): string[] {
  const head = message.split('\r\n\r\n')[0] ?? '';
  return head
    .split('\r\n')
    .slice(1)
    .filter((l) => l.toLowerCase().startsWith(`${name.toLowerCase()}:`))
    .map((l) => l.slice(name.length + 1).trim());
}

/** A random token for branches, tags and Call-IDs. */
export function token(): string {
  return randomBytes(8).toString('hex');
}

/** Parameters of a digest challenge (quoted values unquoted). */
export function challengeParams(value: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of value.replace(/^Digest\s+/i, '').matchAll(/([a-zA-Z-]+)=("([^"]*)"|[^,\s]+)/g)) {
    out[(m[1] ?? '').toLowerCase()] = m[3] ?? m[2] ?? '';
  }
  return out;
}

/** Computes an Authorization value for a challenge (RFC 7616 / RFC 8760, qop=auth). */
export function digestAuthorization(opts: {
  challenge: string;
  username: string;
  password: string;
  method: string;
  uri: string;
  nc?: number;
}): string {
  const c = challengeParams(opts.challenge);
  const algorithm = (c['algorithm'] ?? 'MD5').toUpperCase();
  const h = (s: string): string => createHash(algorithm === 'SHA-256' ? 'sha256' : 'md5').update(s).digest('hex');
  const realm = c['realm'] ?? '';
  const nonce = c['nonce'] ?? '';
  const ha1 = h(`${opts.username}:${realm}:${opts.password}`);
  const ha2 = h(`${opts.method}:${opts.uri}`);
  const nc = (opts.nc ?? 1).toString(16).padStart(8, '0');
  const cnonce = token();
  const qop = c['qop'] !== undefined ? 'auth' : undefined;
  const response = qop ? h(`${ha1}:${nonce}:${nc}:${cnonce}:${qop}:${ha2}`) : h(`${ha1}:${nonce}:${ha2}`);
  let v = `Digest username="${opts.username}", realm="${realm}", nonce="${nonce}", uri="${opts.uri}", response="${response}", algorithm=${algorithm}`;
  if (qop) v += `, qop=${qop}, nc=${nc}, cnonce="${cnonce}"`;
  if (c['opaque'] !== undefined) v += `, opaque="${c['opaque']}"`;
  return v;
}

/** Builds a REGISTER text. */
export function registerText(opts: {
  user: string;
  domain: string;
  localPort: number;
  callId: string;
  cseq: number;
  expires?: number;
  contact?: string;
  authorization?: string;
  transport?: 'UDP' | 'TCP' | 'WS';
  extraHeaders?: string[];
}): string {
  const lines = [
    `REGISTER sip:${opts.domain} SIP/2.0`,
    `Via: SIP/2.0/${opts.transport ?? 'UDP'} 127.0.0.1:${opts.localPort};branch=z9hG4bK${token()};rport`,
    `From: <sip:${opts.user}@${opts.domain}>;tag=${token()}`,
    `To: <sip:${opts.user}@${opts.domain}>`,
    `Call-ID: ${opts.callId}`,
    `CSeq: ${opts.cseq} REGISTER`,
    `Contact: ${opts.contact ?? `<sip:${opts.user}@127.0.0.1:${opts.localPort}>`}`,
    'Max-Forwards: 70',
    `Expires: ${opts.expires ?? 3600}`,
    ...(opts.authorization ? [`Authorization: ${opts.authorization}`] : []),
    ...(opts.extraHeaders ?? []),
    'Content-Length: 0',
    '',
    '',
  ];
  return lines.join('\r\n');
}

/** A bound UDP socket that sends requests and waits for the final response of each (retransmits on T1). */
export class UdpSipClient {
  readonly #socket = dgram.createSocket('udp4');
  readonly #inbox: string[] = [];
  #waiters: Array<() => void> = [];
  port = 0;

  /** Binds to an ephemeral port on `host` (default 127.0.0.1; any 127.x.y.z loopback address works on Linux). */
  async open(host = '127.0.0.1'): Promise<void> {
    await new Promise<void>((resolve) => this.#socket.bind(0, host, resolve));
    this.port = this.#socket.address().port;
    this.#socket.on('message', (m) => {
      this.#inbox.push(m.toString('latin1'));
      const w = this.#waiters;
      this.#waiters = [];
      for (const f of w) f();
    });
  }

  /** Sends `text` to the server and resolves with the first final response with this CSeq/Call-ID. */
  async request(serverPort: number, text: string, timeoutMs = 4000): Promise<string> {
    const callId = /\r\nCall-ID: ([^\r]+)/i.exec(text)?.[1] ?? '';
    const cseq = /\r\nCSeq: ([^\r]+)/i.exec(text)?.[1] ?? '';
    const match = (m: string): boolean =>
      (statusOf(m) ?? 0) >= 200 && m.includes(`Call-ID: ${callId}`) && m.includes(`CSeq: ${cseq}`);
    const started = Date.now();
    let resend = 500;
    let lastSent = Date.now();
    this.#socket.send(Buffer.from(text, 'latin1'), serverPort, '127.0.0.1');
    for (;;) {
      const i = this.#inbox.findIndex(match);
      if (i >= 0) return this.#inbox.splice(i, 1)[0] ?? '';
      if (Date.now() - started > timeoutMs) throw new Error(`no final response to ${text.split('\r\n')[0]}`);
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, 100);
        this.#waiters.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
      if (Date.now() - lastSent >= resend) {
        this.#socket.send(Buffer.from(text, 'latin1'), serverPort, '127.0.0.1');
        lastSent = Date.now();
        resend = Math.min(resend * 2, 4000);
      }
    }
  }

  /** Closes the socket. */
  close(): void {
    this.#socket.close();
  }
}
