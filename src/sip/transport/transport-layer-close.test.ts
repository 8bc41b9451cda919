import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { connect as tcpConnect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect as tlsConnect } from 'node:tls';
import { WebSocket } from 'ws';
import { Collector, nextEvent, once, openNetworkHandles, sipRequest, tcpPeer, testLayer } from './test-peers.js';
import { ensureDevCertificate } from './tls-credentials.js';

describe('TransportLayer.close()', { timeout: 20_000 }, () => {
  it('closes every listener and connection of every transport and leaves no network handle open', async () => {
    const baseline = openNetworkHandles();
    const dataDir = await mkdtemp(join(tmpdir(), 'centrala-transport-'));
    const { cert, key } = await ensureDevCertificate(dataDir);
    const { layer } = testLayer();
    const any = { host: '127.0.0.1', port: 0 };
    await layer.listen({
      udp: [any, { host: '::1', port: 0 }],
      tcp: [any],
      tls: [{ ...any, cert, key }],
      ws: [any],
      wss: [{ ...any, cert, key }],
    });

    // One outbound TCP connection and one inbound flow on each stream transport.
    const peer = await tcpPeer('127.0.0.1');
    await layer.send(sipRequest(), { transport: 'tcp', address: '127.0.0.1', port: peer.port, family: 4 });
    const tcp = tcpConnect({ host: '127.0.0.1', port: layer.localAddress('tcp').port });
    const tls = tlsConnect({ host: '127.0.0.1', port: layer.localAddress('tls').port, rejectUnauthorized: false });
    const ws = new WebSocket(`ws://127.0.0.1:${layer.localAddress('ws').port}/`, 'sip');
    const wss = new WebSocket(`wss://127.0.0.1:${layer.localAddress('wss').port}/`, 'sip', { rejectUnauthorized: false });
    const closedStreams = [new Collector(tcp), new Collector(tls)].map((c) => c.waitClosed());
    const closedSockets = [ws, wss].map((w) => once(w, 'close'));
    for (const w of [ws, wss]) w.on('error', () => undefined);
    await Promise.all([once(tcp, 'connect'), once(tls, 'secureConnect'), once(ws, 'open'), once(wss, 'open')]);
    const packets = [];
    for (const send of [() => tcp.write(sipRequest()), () => tls.write(sipRequest()), () => ws.send(sipRequest()), () => wss.send(sipRequest())]) {
      const arrived = nextEvent(layer, 'packet');
      send();
      packets.push(await arrived);
    }
    assert.deepEqual(packets.map((p) => p.source.transport), ['tcp', 'tls', 'ws', 'wss']);
    assert.equal(layer.connections().length, 5);

    const closedIds: string[] = [];
    layer.on('connectionClosed', (id) => closedIds.push(id));
    await layer.close();
    await layer.close();
    assert.equal(closedIds.length, 5);
    assert.deepEqual(layer.connections(), []);
    await Promise.all([...closedStreams, ...closedSockets]);
    await peer.close();
    await rm(dataDir, { recursive: true, force: true });
    assert.deepEqual(openNetworkHandles().sort(), baseline.sort());
  });
});
