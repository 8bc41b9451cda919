import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { connect, type Socket } from 'node:net';
import { Collector, nextEvent, nextEvents, once, sipRequest, tcpPeer, testLayer } from './test-peers.js';
import { TransportError } from './transport-error.js';
import { TRANSPORT_DEFAULTS, type TransportLayer } from './transport-layer.js';
import type { FakeClock } from '../../lib/index.js';

async function client(port: number, host = '127.0.0.1'): Promise<{ socket: Socket; received: Collector }> {
  const socket = connect({ port, host, noDelay: true });
  const received = new Collector(socket);
  await once(socket, 'connect');
  return { socket, received };
}

describe('TransportLayer over TCP (RFC 3261 §18.3 framing, RFC 5626 flows)', { timeout: 20_000 }, () => {
  let layer: TransportLayer;
  let clock: FakeClock;
  let port: number;
  let port6: number;

  before(async () => {
    ({ layer, clock } = testLayer());
    await layer.listen({ tcp: [{ host: '127.0.0.1', port: 0 }, { host: '::1', port: 0 }] });
    port = layer.localAddress('tcp', 4).port;
    port6 = layer.localAddress('tcp', 6).port;
  });
  after(() => layer.close());

  it('splits two messages written in one chunk into two packets on the same flow', async () => {
    const { socket } = await client(port);
    const m1 = sipRequest('REGISTER');
    const m2 = sipRequest('INVITE', 'v=0\r\n');
    const arrived = nextEvents(layer, 'packet', 2);
    socket.write(Buffer.concat([m1, m2]));
    const [p1, p2] = await arrived;
    assert.deepEqual(p1?.data, m1);
    assert.deepEqual(p2?.data, m2);
    assert.ok(p1?.connectionId);
    assert.equal(p1.connectionId, p2?.connectionId);
    assert.deepEqual(p1.source, { transport: 'tcp', address: '127.0.0.1', port: socket.localPort, family: 4 });
    assert.equal(p1.local.port, port);
    socket.destroy();
  });

  it('joins one message written in many small chunks', async () => {
    const { socket } = await client(port6, '::1');
    const msg = sipRequest('MESSAGE', 'hello world');
    const arrived = nextEvent(layer, 'packet');
    for (let i = 0; i < msg.length; i += 7) {
      await new Promise<void>((resolve) => socket.write(msg.subarray(i, i + 7), () => resolve()));
    }
    const packet = await arrived;
    assert.deepEqual(packet.data, msg);
    assert.equal(packet.source.family, 6);
    assert.equal(packet.source.address, '::1');
    socket.destroy();
  });

  it('answers a CRLFCRLF ping with a CRLF pong and passes nothing up (RFC 5626 §3.5.1)', async () => {
    const { socket, received } = await client(port);
    let packets = 0;
    const off = layer.on('packet', () => packets++);
    socket.write('\r\n\r\n');
    await received.waitFor((t) => t === '\r\n');
    const arrived = nextEvent(layer, 'packet');
    socket.write(sipRequest());
    await arrived;
    assert.equal(packets, 1);
    off();
    socket.destroy();
  });

  it('sends a response back on the connection the request came on, by connectionId and by address', async () => {
    const { socket, received } = await client(port);
    const arrived = nextEvent(layer, 'packet');
    socket.write(sipRequest());
    const packet = await arrived;
    const r1 = 'SIP/2.0 100 Trying\r\nContent-Length: 0\r\n\r\n';
    await layer.send(Buffer.from(r1), packet.source, { connectionId: packet.connectionId });
    const r2 = 'SIP/2.0 200 OK\r\nContent-Length: 0\r\n\r\n';
    await layer.send(Buffer.from(r2), packet.source);
    await received.waitFor((t) => t === r1 + r2);
    assert.equal(layer.connections().filter((c) => c.remote.port === socket.localPort).length, 1);
    socket.destroy();
  });

  it('opens a connection when none exists (RFC 3261 §18.2.2) and reuses it for the next message', async () => {
    const peer = await tcpPeer('127.0.0.1');
    const accepted = peer.nextSocket();
    const opened = nextEvent(layer, 'connectionOpened');
    const dest = { transport: 'tcp' as const, address: '127.0.0.1', port: peer.port, family: 4 as const };
    const first = sipRequest('NOTIFY');
    await layer.send(first, dest);
    const info = await opened;
    assert.equal(info.outbound, true);
    const remoteSide = new Collector(await accepted);
    await remoteSide.waitFor((t) => t === first.toString('latin1'));

    const second = sipRequest('NOTIFY');
    await layer.send(second, dest);
    await remoteSide.waitFor((t) => t.length === first.length + second.length);
    assert.equal(peer.accepted.length, 1);

    // What the peer sends back on that connection arrives on the same flow.
    const arrived = nextEvent(layer, 'packet');
    const reply = Buffer.from('SIP/2.0 200 OK\r\nContent-Length: 0\r\n\r\n');
    peer.accepted[0]?.write(reply);
    const packet = await arrived;
    assert.equal(packet.connectionId, info.id);
    assert.deepEqual(packet.data, reply);
    await peer.close();
  });

  it('shares one connect between sends issued at the same time', async () => {
    const peer = await tcpPeer('127.0.0.1');
    const dest = { transport: 'tcp' as const, address: '127.0.0.1', port: peer.port, family: 4 as const };
    await Promise.all([layer.send(sipRequest(), dest), layer.send(sipRequest(), dest), layer.send(sipRequest(), dest)]);
    assert.equal(layer.connections().filter((c) => c.remote.port === peer.port).length, 1);
    await peer.close();
  });

  it('rejects with CONNECT_FAILED when the peer refuses the connection', async () => {
    const peer = await tcpPeer('127.0.0.1');
    const closedPort = peer.port;
    await peer.close();
    await assert.rejects(
      layer.send(sipRequest(), { transport: 'tcp', address: '127.0.0.1', port: closedPort, family: 4 }),
      (err: unknown) => err instanceof TransportError && err.code === 'CONNECT_FAILED',
    );
  });

  it('with strictFlow, rejects with NO_CONNECTION when the flow is gone instead of rerouting (RFC 5626 §5.3)', async () => {
    await assert.rejects(
      layer.send(sipRequest(), { transport: 'tcp', address: '127.0.0.1', port: 9, family: 4 }, { connectionId: 'tcp-gone', strictFlow: true }),
      (err: unknown) => err instanceof TransportError && err.code === 'NO_CONNECTION',
    );
  });

  it('closes the connection on a message larger than 64 KiB, without crashing', async () => {
    const { socket, received } = await client(port);
    const closed = nextEvent(layer, 'connectionClosed');
    const big = sipRequest('MESSAGE', 'x'.repeat(70_000));
    socket.write(big);
    await received.waitClosed();
    assert.equal(layer.hasConnection(await closed), false);
    await assertLayerStillServes(layer, port);
  });

  it('survives garbage bytes on a connection', async () => {
    const { socket, received } = await client(port);
    const garbage = Buffer.alloc(4096);
    for (let i = 0; i < garbage.length; i++) garbage[i] = (i * 131 + 7) % 256;
    socket.write(Buffer.concat([garbage, Buffer.from('\r\n\r\nContent-Length: -5\r\n\r\n'), garbage]));
    socket.end();
    await received.waitClosed();
    await assertLayerStillServes(layer, port);
  });

  it(`closes an unbound connection idle for ${TRANSPORT_DEFAULTS.idleTimeoutMs / 60_000} minutes; a bound flow stays`, async () => {
    // Authenticated, so that the authentication timeout leaves the unbound connection to the idle sweep.
    layer.markAuthenticated('127.0.0.1');
    const a = await client(port);
    const b = await client(port);
    const arrived = nextEvents(layer, 'packet', 2);
    a.socket.write(sipRequest('REGISTER'));
    b.socket.write(sipRequest('REGISTER'));
    const packets = await arrived;
    const idOf = (s: Socket): string => {
      const p = packets.find((x) => x.source.port === s.localPort);
      assert.ok(p?.connectionId);
      return p.connectionId;
    };
    const idleId = idOf(a.socket);
    const boundId = idOf(b.socket);
    assert.equal(layer.bindConnection(boundId), true);
    assert.equal(layer.connection(boundId)?.bound, true);

    clock.advance(TRANSPORT_DEFAULTS.idleTimeoutMs - TRANSPORT_DEFAULTS.sweepIntervalMs);
    assert.equal(layer.hasConnection(idleId), true);
    clock.advance(2 * TRANSPORT_DEFAULTS.sweepIntervalMs);
    await a.received.waitClosed();
    assert.equal(layer.hasConnection(idleId), false);
    assert.equal(layer.hasConnection(boundId), true);

    layer.unbindConnection(boundId);
    clock.advance(TRANSPORT_DEFAULTS.idleTimeoutMs + TRANSPORT_DEFAULTS.sweepIntervalMs);
    await b.received.waitClosed();
    assert.equal(layer.hasConnection(boundId), false);
  });

  it('refuses to open WS connections: a WS destination without a flow rejects with NO_CONNECTION', async () => {
    await assert.rejects(
      layer.send(sipRequest(), { transport: 'ws', address: '127.0.0.1', port: 8080, family: 4 }),
      (err: unknown) => err instanceof TransportError && err.code === 'NO_CONNECTION',
    );
  });
});

async function assertLayerStillServes(layer: TransportLayer, port: number): Promise<void> {
  const { socket } = await client(port);
  const arrived = nextEvent(layer, 'packet');
  const msg = sipRequest();
  socket.write(msg);
  assert.deepEqual((await arrived).data, msg);
  socket.destroy();
}
