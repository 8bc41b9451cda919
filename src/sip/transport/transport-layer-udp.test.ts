import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { InvalidStateError } from '../../lib/index.js';
import { nextEvent, sipRequest, testLayer, udpPeer } from './test-peers.js';
import { TransportError } from './transport-error.js';
import type { TransportLayer } from './transport-layer.js';

describe('TransportLayer over UDP (RFC 3261 §18.3, one message per datagram)', { timeout: 20_000 }, () => {
  let layer: TransportLayer;
  let v4Port: number;
  let v6Port: number;

  before(async () => {
    ({ layer } = testLayer());
    await layer.listen({ udp: [{ host: '127.0.0.1', port: 0 }, { host: '::1', port: 0 }] });
    v4Port = layer.localAddress('udp', 4).port;
    v6Port = layer.localAddress('udp', 6).port;
  });
  after(() => layer.close());

  for (const family of [4, 6] as const) {
    it(`receives a datagram over IPv${family} with its source address and sends one back`, async () => {
      const peer = await udpPeer(family);
      const host = family === 4 ? '127.0.0.1' : '::1';
      const request = sipRequest('OPTIONS', '', 'UDP');
      const arrived = nextEvent(layer, 'packet');
      peer.socket.send(request, family === 4 ? v4Port : v6Port, host);
      const packet = await arrived;
      assert.deepEqual(packet.data, request);
      assert.deepEqual(packet.source, { transport: 'udp', address: host, port: peer.port, family });
      assert.equal(packet.local.port, family === 4 ? v4Port : v6Port);
      assert.equal(packet.connectionId, undefined);

      const response = Buffer.from('SIP/2.0 200 OK\r\nContent-Length: 0\r\n\r\n');
      await layer.send(response, packet.source);
      assert.deepEqual(await peer.next(), response);
      await peer.close();
    });
  }

  it('ignores a lone CRLF keep-alive datagram (RFC 5626 §4.4.1) and passes the next message', async () => {
    const peer = await udpPeer(4);
    const arrived = nextEvent(layer, 'packet');
    peer.socket.send(Buffer.from('\r\n\r\n'), v4Port, '127.0.0.1');
    const request = sipRequest('OPTIONS', '', 'UDP');
    peer.socket.send(request, v4Port, '127.0.0.1');
    assert.deepEqual((await arrived).data, request);
    await peer.close();
  });

  it('answers a STUN Binding Request with the mapped source address (RFC 5626 §4.4.2)', async () => {
    const peer = await udpPeer(4);
    const req = Buffer.alloc(20);
    req.writeUInt16BE(0x0001, 0);
    req.writeUInt32BE(0x2112a442, 4);
    Buffer.from('0102030405060708090a0b0c', 'hex').copy(req, 8);
    peer.socket.send(req, v4Port, '127.0.0.1');
    const res = await peer.next();
    assert.equal(res.readUInt16BE(0), 0x0101);
    assert.deepEqual(res.subarray(8, 20), req.subarray(8, 20));
    assert.equal(res.readUInt16BE(26) ^ 0x2112, peer.port);
    await peer.close();
  });

  it('sends from the socket the request arrived on when told its local address', async () => {
    const { layer: two } = testLayer();
    await two.listen({ udp: [{ host: '127.0.0.1', port: 0 }, { host: '127.0.0.1', port: 0 }] });
    const [, second] = two.boundAddresses();
    assert.ok(second);
    const peer = await udpPeer(4);
    const arrived = nextEvent(two, 'packet');
    peer.socket.send(sipRequest('OPTIONS', '', 'UDP'), second.port, '127.0.0.1');
    const packet = await arrived;
    assert.equal(packet.local.port, second.port);
    const answer = new Promise<number>((resolve) => peer.socket.once('message', (_m, rinfo) => resolve(rinfo.port)));
    await two.send(Buffer.from('SIP/2.0 200 OK\r\n\r\n'), packet.source, { local: packet.local });
    assert.equal(await answer, second.port);
    await peer.close();
    await two.close();
  });

  it('rejects with TransportError NO_SOCKET when no socket has the destination family', async () => {
    const { layer: v4only } = testLayer();
    await v4only.listen({ udp: [{ host: '127.0.0.1', port: 0 }] });
    await assert.rejects(
      v4only.send(Buffer.from('x'), { transport: 'udp', address: '::1', port: 5060, family: 6 }),
      (err: unknown) => err instanceof TransportError && err.code === 'NO_SOCKET',
    );
    await v4only.close();
  });

  it('rejects a destination that is not an IP literal with BAD_DESTINATION', async () => {
    await assert.rejects(
      layer.send(Buffer.from('x'), { transport: 'udp', address: 'pbx.example.com', port: 5060, family: 4 }),
      (err: unknown) => err instanceof TransportError && err.code === 'BAD_DESTINATION',
    );
  });

  it('localAddress() names the bound address, or the advertised one', async () => {
    assert.deepEqual(layer.localAddress('udp', 6), { transport: 'udp', address: '::1', port: v6Port, family: 6 });
    const { layer: natted } = testLayer();
    await natted.listen({ udp: [{ host: '127.0.0.1', port: 0, advertise: '203.0.113.7' }] });
    const local = natted.localAddress('udp');
    assert.equal(local.address, '203.0.113.7');
    assert.equal(local.port, natted.boundAddresses()[0]?.port);
    assert.throws(() => natted.localAddress('tls'), (err: unknown) => err instanceof TransportError && err.code === 'NO_SOCKET');
    await natted.close();
  });

  it('listen() rejects with LISTEN_FAILED naming the address when the port is taken, and binds nothing', async () => {
    const { layer: clash } = testLayer();
    await assert.rejects(
      clash.listen({ udp: [{ host: '127.0.0.1', port: 0 }, { host: '127.0.0.1', port: v4Port }] }),
      (err: unknown) => err instanceof TransportError && err.code === 'LISTEN_FAILED' && err.message.includes(`127.0.0.1:${v4Port}`),
    );
    assert.deepEqual(clash.boundAddresses(), []);
    await clash.close();
  });

  it('skips an optional address this machine does not have, and fails on a mandatory one', async () => {
    // 192.0.2.1 (TEST-NET-1) is never assigned locally: bind fails with EADDRNOTAVAIL, nothing is sent.
    const { layer: partial } = testLayer();
    await partial.listen({ udp: [{ host: '127.0.0.1', port: 0 }, { host: '192.0.2.1', port: 0, optional: true }] });
    assert.deepEqual(partial.boundAddresses().map((a) => a.address), ['127.0.0.1']);
    await assert.rejects(
      partial.listen({ tcp: [{ host: '192.0.2.1', port: 0 }] }),
      (err: unknown) => err instanceof TransportError && err.code === 'LISTEN_FAILED',
    );
    await partial.close();
  });

  it('localAddress() returns an advertised DNS name as is', async () => {
    const { layer: named } = testLayer();
    await named.listen({ udp: [{ host: '127.0.0.1', port: 0, advertise: 'pbx.example.com' }] });
    assert.equal(named.localAddress('udp').address, 'pbx.example.com');
    await assert.rejects(named.listen({ tcp: [{ host: '127.0.0.1', port: 0, advertise: '0.0.0.0' }] }), TransportError);
    await named.close();
  });

  it('send() after close() rejects with InvalidStateError', async () => {
    const { layer: closed } = testLayer();
    await closed.close();
    await assert.rejects(
      closed.send(Buffer.from('x'), { transport: 'udp', address: '127.0.0.1', port: 5060, family: 4 }),
      InvalidStateError,
    );
    await assert.rejects(closed.listen({}), InvalidStateError);
  });
});
