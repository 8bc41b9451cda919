import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Socket } from 'node:net';
import { FakeClock, silentLogger } from '../../lib/index.js';
import { SocketConnection, type FramerFactory, type FramingError } from './socket-connection.js';
import type { ConnectionSink, StreamConnection, StreamRefusal } from './stream-connection.js';
import { TransportError } from './transport-error.js';

/** A framer for these tests: messages end with "|", "!" is a framing error, "~" a ping. */
const testFramer: FramerFactory = (onPing) => {
  let buffered = '';
  return {
    get buffered() {
      return buffered.length;
    },
    push(chunk) {
      buffered += chunk.toString();
      const out: Array<Buffer | FramingError> = [];
      for (;;) {
        if (buffered.startsWith('~')) {
          onPing();
          buffered = buffered.slice(1);
          continue;
        }
        if (buffered.startsWith('!')) return [...out, { error: 'bad framing', status: 400, head: Buffer.from(buffered) }];
        const end = buffered.indexOf('|');
        if (end < 0) return out;
        out.push(Buffer.from(buffered.slice(0, end + 1)));
        buffered = buffered.slice(end + 1);
      }
    },
  };
};

function setup(clock = new FakeClock(), onMessage?: () => void) {
  const socket = new Socket();
  const writes: string[] = [];
  Object.assign(socket, {
    write: (chunk: Buffer | string, cb?: (err?: Error) => void) => {
      writes.push(chunk.toString());
      cb?.();
      return true;
    },
  });
  Object.defineProperty(socket, 'writable', { value: true });
  const ended: boolean[] = [];
  Object.assign(socket, { end: () => ended.push(true) });
  const messages: string[] = [];
  const closed: string[] = [];
  const refused: StreamRefusal[] = [];
  const sink: ConnectionSink = {
    message: (_c: StreamConnection, data: Buffer) => (onMessage ? onMessage() : messages.push(data.toString())),
    refused: (_c: StreamConnection, refusal: StreamRefusal) => refused.push(refusal),
    closed: (c: StreamConnection) => closed.push(c.id),
  };
  const addr = { address: '127.0.0.1', port: 5060, family: 4 as const, transport: 'tcp' as const };
  const conn = new SocketConnection({
    id: 'tcp-test', transport: 'tcp', remote: { ...addr, port: 40000 }, local: addr, outbound: false,
    clock, logger: silentLogger(), sink, socket, createFramer: testFramer, maxWriteBuffer: 1024, messageTimeoutMs: 5000,
  });
  return { socket, writes, messages, closed, refused, ended, conn, clock };
}

describe('SocketConnection', () => {
  it('hands every message the framer completes to the owner, across chunk boundaries', () => {
    const { socket, messages } = setup();
    for (const ch of 'one|tw') socket.emit('data', Buffer.from(ch));
    socket.emit('data', Buffer.from('o|three|'));
    assert.deepEqual(messages, ['one|', 'two|', 'three|']);
  });

  it('answers the framer\'s ping with a CRLF pong (RFC 5626 §3.5.1)', () => {
    const { socket, writes, messages } = setup();
    socket.emit('data', Buffer.from('~a|'));
    assert.deepEqual(writes, ['\r\n']);
    assert.deepEqual(messages, ['a|']);
  });

  it('on a framing error, reports the refused message for an answer, half-closes, and closes after a linger', async () => {
    const { socket, messages, closed, refused, ended, conn, clock } = setup();
    socket.emit('data', Buffer.from('a|!b|'));
    assert.deepEqual(refused, [{ status: 400, reason: 'bad framing', head: Buffer.from('!b|') }]);
    assert.deepEqual(ended, [true], 'our side ends after the answer was queued');
    socket.emit('data', Buffer.from('c|'));
    assert.equal(conn.closed, false, 'the peer may still read the answer');
    clock.advance(2000);
    assert.equal(conn.closed, true);
    await conn.close('again');
    socket.emit('data', Buffer.from('c|'));
    assert.deepEqual(messages, ['a|']);
    assert.deepEqual(closed, ['tcp-test']);
    assert.equal(conn.closed, true);
  });

  it('closes a connection whose message is not complete within the message timeout of its first octet', () => {
    const { socket, conn, clock, messages } = setup();
    socket.emit('data', Buffer.from('on'));
    clock.advance(4000);
    socket.emit('data', Buffer.from('e|tw'));
    clock.advance(4000);
    assert.equal(conn.closed, false, 'the second message started 4 s ago');
    socket.emit('data', Buffer.from('o'));
    clock.advance(999);
    assert.equal(conn.closed, false);
    clock.advance(1);
    assert.equal(conn.closed, true, 'a byte now and then does not keep a message open');
    assert.deepEqual(messages, ['one|']);
  });

  it('an idle connection between messages is left to the idle sweep', () => {
    const { socket, conn, clock } = setup();
    socket.emit('data', Buffer.from('a|'));
    clock.advance(60_000);
    assert.equal(conn.closed, false);
  });

  it('records activity on receive and send', async () => {
    const { socket, conn, clock } = setup();
    const t0 = conn.lastActivity;
    clock.advance(1000);
    socket.emit('data', Buffer.from('x|'));
    assert.equal(conn.lastActivity, t0 + 1000);
    clock.advance(500);
    await conn.send(Buffer.from('y'));
    assert.equal(conn.lastActivity, t0 + 1500);
  });

  it('counts bindings: bound until every bind is released', () => {
    const { conn } = setup();
    conn.bind();
    conn.bind();
    conn.unbind();
    assert.equal(conn.bound, true);
    conn.unbind();
    conn.unbind();
    assert.equal(conn.bound, false);
  });

  it('send() after close rejects with TransportError SEND_FAILED', async () => {
    const { conn } = setup();
    await conn.close('test');
    await assert.rejects(conn.send(Buffer.from('x')), (err: unknown) => err instanceof TransportError && err.code === 'SEND_FAILED');
  });

  it('an owner that throws on a message does not break the connection', () => {
    let calls = 0;
    const { socket, conn } = setup(new FakeClock(), () => {
      calls++;
      throw new Error('upper layer bug');
    });
    socket.emit('data', Buffer.from('a|b|'));
    assert.equal(calls, 2);
    assert.equal(conn.closed, false);
  });
});
