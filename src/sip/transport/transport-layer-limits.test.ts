import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { connect, type Socket } from 'node:net';
import { WebSocket } from 'ws';
import { FakeClock, silentLogger, type LogFields, type Logger } from '../../lib/index.js';
import { AuthenticatedSources } from './authenticated-sources.js';
import { ConnectionLimiter } from './connection-limiter.js';
import { Collector, nextEvent, once, sipRequest, testLayer, udpPeer } from './test-peers.js';
import type { TransportLayer } from './transport-layer.js';

async function client(port: number, from = '127.0.0.1'): Promise<{ socket: Socket; received: Collector }> {
  const socket = connect({ port, host: '127.0.0.1', localAddress: from, noDelay: true });
  const received = new Collector(socket);
  await once(socket, 'connect');
  return { socket, received };
}

/** A request whose header section is about `size` octets (an X-Padding header fills it). */
function largeHeaderRequest(size: number, transport = 'TCP'): Buffer {
  const base = sipRequest('REGISTER', '', transport).toString('latin1');
  return Buffer.from(base.replace('Max-Forwards: 70\r\n', `Max-Forwards: 70\r\nX-Padding: ${'p'.repeat(size)}\r\n`), 'latin1');
}

/** Sends `data` on a fresh connection from `from` and resolves with the packet it became. */
async function deliveredFrom(layer: TransportLayer, port: number, from: string): Promise<{ socket: Socket; received: Collector; connectionId: string }> {
  const peer = await client(port, from);
  const arrived = nextEvent(layer, 'packet');
  peer.socket.write(sipRequest('REGISTER'));
  const packet = await arrived;
  assert.ok(packet.connectionId);
  return { ...peer, connectionId: packet.connectionId };
}

/** Waits (bounded) until `predicate` holds. */
async function until(predicate: () => boolean): Promise<void> {
  for (let i = 0; i < 1000 && !predicate(); i++) await new Promise((resolve) => setTimeout(resolve, 2));
  assert.ok(predicate(), 'condition not reached');
}

function recordingLogger(lines: Array<{ level: string; fields: LogFields; msg: string | undefined }>): Logger {
  const at =
    (level: string) =>
    (fields: LogFields, msg?: string): void => {
      lines.push({ level, fields, msg });
    };
  const logger: Logger = { trace: at('trace'), debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error'), child: () => logger };
  return logger;
}

describe('AuthenticatedSources', () => {
  it('counts a source (IPv6 per /64) as authenticated for an hour after its last authentication', () => {
    const clock = new FakeClock();
    const sources = new AuthenticatedSources(clock);
    sources.mark('2001:db8:1:2::10');
    assert.equal(sources.has('2001:db8:1:2::99'), true);
    assert.equal(sources.has('2001:db8:1:3::10'), false);
    assert.equal(sources.has('192.0.2.1'), false);
    clock.advance(3_600_000);
    assert.equal(sources.has('2001:db8:1:2::10'), true);
    clock.advance(1);
    assert.equal(sources.has('2001:db8:1:2::10'), false);
  });
});

describe('ConnectionLimiter', () => {
  it('gives each source its own budget (IPv6 per /64) under the global bound, and takes slots back once', () => {
    const limiter = new ConnectionLimiter({ clock: new FakeClock(), logger: silentLogger(), maxConnections: 5, maxPerSource: 2, logIntervalMs: 10_000 });
    const a1 = limiter.acquire('192.0.2.1', 'tcp');
    const a2 = limiter.acquire('192.0.2.1', 'tls');
    assert.ok(a1 && a2);
    assert.equal(limiter.acquire('192.0.2.1', 'ws'), undefined, 'a third from the same address');
    assert.ok(limiter.acquire('2001:db8:1:2::1', 'tcp'));
    assert.ok(limiter.acquire('2001:db8:1:2::ffff', 'tcp'));
    assert.equal(limiter.acquire('2001:db8:1:2:aaaa::9', 'tcp'), undefined, 'another address of the same /64');
    assert.ok(limiter.acquire('192.0.2.2', 'tcp'));
    assert.equal(limiter.total, 5);
    assert.equal(limiter.acquire('192.0.2.3', 'tcp'), undefined, 'the global bound');
    a1();
    a1();
    assert.equal(limiter.total, 4);
    assert.equal(limiter.countOf('192.0.2.1'), 1);
    assert.ok(limiter.acquire('192.0.2.3', 'tcp'));
  });

  it('logs the refusals of a source once per interval, with how many there were', () => {
    const clock = new FakeClock();
    const lines: Array<{ level: string; fields: LogFields; msg: string | undefined }> = [];
    const limiter = new ConnectionLimiter({ clock, logger: recordingLogger(lines), maxConnections: 100, maxPerSource: 1, logIntervalMs: 10_000 });
    limiter.acquire('192.0.2.1', 'tcp');
    limiter.acquire('192.0.2.2', 'tcp');
    for (let i = 0; i < 50; i++) limiter.acquire('192.0.2.1', 'tcp');
    limiter.acquire('192.0.2.2', 'tcp');
    assert.deepEqual(lines.map((l) => [l.fields['source'], l.fields['refused']]), [['192.0.2.1', 1], ['192.0.2.2', 1]]);
    clock.advance(10_000);
    limiter.acquire('192.0.2.1', 'tcp');
    assert.equal(lines.length, 3);
    assert.equal(lines[2]?.fields['refused'], 50, 'the 49 refusals not logged, and this one');
    assert.equal(lines[2]?.level, 'warn');
  });
});

describe('TransportLayer connection limits and timeouts', { timeout: 20_000 }, () => {
  let layer: TransportLayer;
  let clock: FakeClock;
  let port: number;

  before(async () => {
    ({ layer, clock } = testLayer({ maxConnectionsPerSource: 3, messageTimeoutMs: 5_000, authTimeoutMs: 60_000, maxUnauthenticatedHeaderSize: 8192 }));
    await layer.listen({ tcp: [{ host: '127.0.0.1', port: 0 }], udp: [{ host: '127.0.0.1', port: 0 }] });
    port = layer.localAddress('tcp', 4).port;
  });
  after(() => layer.close());

  it('one source cannot take every slot: its connections over the per-source limit are closed, another source still connects', async () => {
    const held = [];
    for (let i = 0; i < 3; i++) held.push(await deliveredFrom(layer, port, '127.0.0.3'));
    assert.equal(layer.connectionsFrom('127.0.0.3'), 3);
    const extra = await client(port, '127.0.0.3');
    await extra.received.waitClosed();
    const other = await deliveredFrom(layer, port, '127.0.0.4');
    assert.equal(layer.hasConnection(other.connectionId), true);
    // A slot given back can be taken again.
    const closed = nextEvent(layer, 'connectionClosed');
    held[0]?.socket.destroy();
    await closed;
    held.push(await deliveredFrom(layer, port, '127.0.0.3'));
    for (const peer of [...held, other]) peer.socket.destroy();
  });

  it('closes a connection whose message is not complete within the message timeout of its first octet', async () => {
    const peer = await client(port, '127.0.0.5');
    /** True once the octets written last were received (the connection's activity is now). */
    const receivedNow = (): boolean => layer.connections().some((c) => c.remote.address === '127.0.0.5' && c.lastActivity === clock.now());
    const request = sipRequest('REGISTER');
    clock.advance(1);
    peer.socket.write(request.subarray(0, 20));
    await until(receivedNow);
    clock.advance(4_000);
    peer.socket.write(request.subarray(20, 40));
    await until(receivedNow);
    clock.advance(999);
    assert.equal(peer.received.closed, false);
    clock.advance(1);
    await peer.received.waitClosed();
    await until(() => layer.connectionsFrom('127.0.0.5') === 0);
  });

  it('closes a connection whose source did not authenticate within the authentication timeout', async () => {
    const silent = await client(port, '127.0.0.6');
    const trusted = await deliveredFrom(layer, port, '127.0.0.7');
    layer.markAuthenticated('127.0.0.7');
    clock.advance(60_000);
    await silent.received.waitClosed();
    assert.equal(layer.hasConnection(trusted.connectionId), true, 'the authenticated source keeps its connection');
    trusted.socket.destroy();
  });

  it('refuses a header section over the unauthenticated limit with 513 and its readable lines, until the source authenticated', async () => {
    const peer = await client(port, '127.0.0.8');
    const refused = nextEvent(layer, 'refused');
    const big = largeHeaderRequest(10_000);
    peer.socket.write(big);
    const refusal = await refused;
    assert.equal(refusal.status, 513);
    assert.ok(refusal.data.length <= 8192);
    assert.ok(refusal.data.toString('latin1').startsWith(big.subarray(0, 100).toString('latin1')));
    assert.ok(refusal.data.toString('latin1').endsWith('\r\n'));
    await peer.received.waitClosed();

    layer.markAuthenticated('127.0.0.8');
    const again = await client(port, '127.0.0.8');
    const arrived = nextEvent(layer, 'packet');
    again.socket.write(big);
    assert.deepEqual((await arrived).data, big);
    again.socket.destroy();
  });

  it('applies the same header limit to datagrams', async () => {
    const udp = await udpPeer(4);
    const refused = nextEvent(layer, 'refused');
    udp.socket.send(largeHeaderRequest(10_000, 'UDP'), layer.localAddress('udp', 4).port, '127.0.0.1');
    const refusal = await refused;
    assert.equal(refusal.status, 513);
    assert.equal(refusal.source.transport, 'udp');
    await udp.close();
  });

  it('counts WebSocket connections against the same per-source limit, before the HTTP upgrade', async () => {
    const ws = testLayer({ maxConnectionsPerSource: 1 });
    await ws.layer.listen({ ws: [{ host: '127.0.0.1', port: 0 }] });
    try {
      const url = `ws://127.0.0.1:${ws.layer.localAddress('ws', 4).port}`;
      const first = new WebSocket(url, 'sip', { localAddress: '127.0.0.9' });
      first.on('error', () => undefined);
      await once(first, 'open');
      const second = new WebSocket(url, 'sip', { localAddress: '127.0.0.9' });
      const outcome = await new Promise<string>((resolve) => {
        second.once('open', () => resolve('open'));
        second.once('error', () => resolve('refused'));
      });
      assert.equal(outcome, 'refused');
      const other = new WebSocket(url, 'sip', { localAddress: '127.0.0.10' });
      other.on('error', () => undefined);
      await once(other, 'open');
      first.terminate();
      other.terminate();
    } finally {
      await ws.layer.close();
    }
  });
});
