/**
 * Connection limits of a RUNNING Centrala with its default settings: one source address cannot take
 * every TCP slot (connections from 127.0.0.2 beyond the per-source limit are closed while
 * 127.0.0.3 still registers), a header trickled a byte at a time is cut off by the header timeout,
 * and a message too large or unframeable on TCP is answered (513 / 400) before the connection closes.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { startCentrala, type CentralaProcess } from '../support/centrala-process.js';
import { headerValues, registerText, statusOf, token } from '../support/sip-udp-client.js';

/** Default of --sip-max-connections-per-source. */
const PER_SOURCE = 100;
/** Default of --sip-header-timeout, in ms. */
const HEADER_TIMEOUT_MS = 5000;

/** A TCP connection from `from` that records what arrives and when it closes. */
class Peer {
  readonly socket: net.Socket;
  text = '';
  readonly closed: Promise<void>;
  isClosed = false;

  constructor(port: number, from: string) {
    this.socket = net.connect({ port, host: '127.0.0.1', localAddress: from });
    this.socket.on('data', (d: Buffer) => (this.text += d.toString('latin1')));
    this.socket.on('error', () => undefined);
    this.closed = new Promise((resolve) =>
      this.socket.once('close', () => {
        this.isClosed = true;
        resolve();
      }),
    );
  }

  connected(): Promise<void> {
    return new Promise((resolve) => {
      if (this.isClosed) resolve();
      this.socket.once('connect', () => resolve());
      void this.closed.then(resolve);
    });
  }

  /** Resolves with the first response's text; rejects after `ms`. */
  async response(ms = 5000): Promise<string> {
    const deadline = Date.now() + ms;
    while (Date.now() < deadline) {
      const end = this.text.indexOf('\r\n\r\n');
      if (end >= 0) return this.text.slice(0, end);
      if (this.isClosed) break;
      await new Promise((r) => setTimeout(r, 20));
    }
    throw new Error(`no response (closed: ${this.isClosed}); received ${JSON.stringify(this.text.slice(0, 200))}`);
  }
}

/** Resolves true when `promise` settles within `ms`, false otherwise. */
function within(promise: Promise<unknown>, ms: number): Promise<boolean> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), ms);
    void promise.then(() => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}

function invite(opts: { callId: string; headerPadding?: number; body?: string; contentLength?: boolean }): Buffer {
  const body = opts.body ?? '';
  const lines = [
    'INVITE sip:100@example.com SIP/2.0',
    `Via: SIP/2.0/TCP 127.0.0.1:5099;branch=z9hG4bK${token()};rport`,
    `From: <sip:200@example.com>;tag=${token()}`,
    'To: <sip:100@example.com>',
    `Call-ID: ${opts.callId}`,
    'CSeq: 1 INVITE',
    'Max-Forwards: 70',
    ...(opts.headerPadding ? [`X-Padding: ${'p'.repeat(opts.headerPadding)}`] : []),
    ...(opts.contentLength === false ? [] : [`Content-Length: ${Buffer.byteLength(body)}`]),
    '',
    body,
  ];
  return Buffer.from(lines.join('\r\n'), 'latin1');
}

describe('connection limits over TCP (per source, header timeout, refused messages)', { timeout: 120_000 }, () => {
  let server: CentralaProcess;
  const peers: Peer[] = [];

  before(async () => {
    server = await startCentrala();
  });

  after(async () => {
    for (const p of peers) p.socket.destroy();
    await server?.stop();
  });

  it('a flood of connections from 127.0.0.2 is held to the per-source limit and does not stop 127.0.0.3', async () => {
    const flood = Array.from({ length: PER_SOURCE + 30 }, () => new Peer(server.ports.sip, '127.0.0.2'));
    peers.push(...flood);
    await Promise.all(flood.map((p) => p.connected()));
    // The server closes every connection over the limit as soon as it accepts it.
    const deadline = Date.now() + 10_000;
    while (flood.filter((p) => p.isClosed).length < 30 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    assert.equal(flood.filter((p) => p.isClosed).length, 30, 'connections of 127.0.0.2 closed by the server');

    const other = new Peer(server.ports.sip, '127.0.0.3');
    peers.push(other);
    await other.connected();
    const port = other.socket.localPort ?? 0;
    other.socket.write(registerText({ user: '100', domain: 'example.com', localPort: port, callId: token(), cseq: 1, transport: 'TCP' }));
    const status = statusOf(await other.response());
    assert.ok(status !== undefined && status >= 200, `127.0.0.3 got ${status}`);

    // A held connection of the flooding source is still served.
    const held = flood.find((p) => !p.isClosed);
    assert.ok(held);
    held.socket.write(registerText({ user: '100', domain: 'example.com', localPort: held.socket.localPort ?? 0, callId: token(), cseq: 1, transport: 'TCP' }));
    assert.ok(statusOf(await held.response()) !== undefined);
    for (const p of flood) p.socket.destroy();
  });

  it('a header trickled one byte a second is cut off by the header timeout', async () => {
    const slow = new Peer(server.ports.sip, '127.0.0.4');
    peers.push(slow);
    await slow.connected();
    const bytes = invite({ callId: token() });
    let sent = 0;
    const trickle = setInterval(() => {
      if (!slow.isClosed && sent < bytes.length) slow.socket.write(bytes.subarray(sent, ++sent));
    }, 1000);
    try {
      assert.equal(await within(slow.closed, HEADER_TIMEOUT_MS + 4000), true, 'the server closed the connection');
      assert.ok(sent < 12, `closed after ${sent} bytes`);
    } finally {
      clearInterval(trickle);
    }
  });

  const refused: Array<{ what: string; bytes: () => Buffer; status: number }> = [
    { what: 'a message over 64 KiB (its body)', bytes: () => invite({ callId: 'big-body', body: 'v=0\r\n'.repeat(14_000) }), status: 513 },
    { what: 'a header section over the limit for a source that has not authenticated', bytes: () => invite({ callId: 'big-head', headerPadding: 20_000 }), status: 513 },
    { what: 'a message without Content-Length', bytes: () => invite({ callId: 'no-length', contentLength: false }), status: 400 },
  ];
  for (const { what, bytes, status } of refused) {
    it(`${what} is answered ${status} on its connection, which then closes`, async () => {
      const peer = new Peer(server.ports.sip, '127.0.0.5');
      peers.push(peer);
      await peer.connected();
      const data = bytes();
      peer.socket.write(data);
      const response = await peer.response();
      assert.equal(statusOf(response), status, response);
      const callId = /\r\nCall-ID: (\S+)/.exec(data.toString('latin1'))?.[1];
      assert.deepEqual(headerValues(`${response}\r\n\r\n`, 'Call-ID'), [callId]);
      assert.equal(await within(peer.closed, 5000), true, 'the connection closes after the answer');
    });
  }
});
