import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WebSocket, type RawData } from 'ws';
import { nextEvent, once, sipRequest, testLayer } from './test-peers.js';
import { ensureDevCertificate } from './tls-credentials.js';
import type { TransportLayer } from './transport-layer.js';
import { selectSipSubprotocol } from './websocket-listener.js';

/** A WebSocket client that queues the messages it receives. */
async function wsClient(url: string, protocols: string | string[] = 'sip'): Promise<{ ws: WebSocket; next(): Promise<{ data: Buffer; binary: boolean }> }> {
  const ws = new WebSocket(url, protocols, { rejectUnauthorized: false });
  const queue: Array<{ data: Buffer; binary: boolean }> = [];
  const waiting: Array<(m: { data: Buffer; binary: boolean }) => void> = [];
  ws.on('message', (raw: RawData, binary: boolean) => {
    const m = { data: Buffer.isBuffer(raw) ? raw : Buffer.from(raw as ArrayBuffer), binary };
    const w = waiting.shift();
    if (w) w(m);
    else queue.push(m);
  });
  ws.on('error', () => undefined);
  await once(ws, 'open');
  return {
    ws,
    next: () => {
      const m = queue.shift();
      return m ? Promise.resolve(m) : new Promise((resolve) => waiting.push(resolve));
    },
  };
}

async function closeClient(ws: WebSocket): Promise<void> {
  if (ws.readyState === ws.CLOSED) return;
  const closed = once(ws, 'close');
  ws.terminate();
  await closed;
}

describe('selectSipSubprotocol (RFC 7118 §4.1)', () => {
  it('finds "sip" among the offered subprotocols and keeps the client spelling', () => {
    assert.equal(selectSipSubprotocol('sip'), 'sip');
    assert.equal(selectSipSubprotocol('chat, SIP'), 'SIP');
    assert.equal(selectSipSubprotocol('chat, sips'), undefined);
    assert.equal(selectSipSubprotocol(undefined), undefined);
  });
});

describe('TransportLayer over WebSocket (RFC 7118)', { timeout: 20_000 }, () => {
  let layer: TransportLayer;
  let dataDir: string;
  let wsUrl: string;
  let wssUrl: string;

  before(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'centrala-ws-'));
    const { cert, key } = await ensureDevCertificate(dataDir);
    ({ layer } = testLayer());
    await layer.listen({ ws: [{ host: '127.0.0.1', port: 0 }], wss: [{ host: '::1', port: 0, cert, key }] });
    wsUrl = `ws://127.0.0.1:${layer.localAddress('ws').port}/`;
    wssUrl = `wss://[::1]:${layer.localAddress('wss').port}/ws`;
  });
  after(async () => {
    await layer.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('negotiates the "sip" subprotocol and takes each WebSocket message as one SIP message', async () => {
    const { ws, next } = await wsClient(wsUrl);
    assert.equal(ws.protocol, 'sip');
    const arrived = nextEvent(layer, 'packet');
    const request = sipRequest('REGISTER', '', 'WS');
    ws.send(request.toString('utf8'));
    const packet = await arrived;
    assert.deepEqual(packet.data, request);
    assert.equal(packet.source.transport, 'ws');
    assert.equal(packet.source.port, Number((ws as unknown as { _socket: { localPort: number } })._socket.localPort));

    const response = 'SIP/2.0 200 OK\r\nContent-Length: 0\r\n\r\n';
    await layer.send(Buffer.from(response), packet.source, { connectionId: packet.connectionId });
    const got = await next();
    assert.equal(got.data.toString(), response);
    assert.equal(got.binary, false, 'valid UTF-8 goes in a text frame');

    // Without a connectionId the layer finds the flow by the peer's address.
    await layer.send(Buffer.from(response), packet.source);
    assert.equal((await next()).data.toString(), response);
    await closeClient(ws);
  });

  it('accepts a SIP message in a binary frame and sends non-UTF-8 bytes in a binary frame', async () => {
    const { ws, next } = await wsClient(wsUrl);
    const arrived = nextEvent(layer, 'packet');
    const request = sipRequest('MESSAGE', 'caf\u00e9', 'WS');
    ws.send(request, { binary: true });
    const packet = await arrived;
    assert.deepEqual(packet.data, request);
    const latin1 = Buffer.from('SIP/2.0 200 OK\r\nX-Note: caf\xe9\r\nContent-Length: 0\r\n\r\n', 'latin1');
    await layer.send(latin1, packet.source, { connectionId: packet.connectionId });
    const got = await next();
    assert.equal(got.binary, true);
    assert.deepEqual(got.data, latin1);
    await closeClient(ws);
  });

  it('answers a CRLFCRLF keep-alive message with CRLF and passes nothing up', async () => {
    const { ws, next } = await wsClient(wsUrl);
    let packets = 0;
    const off = layer.on('packet', () => packets++);
    ws.send('\r\n\r\n');
    assert.equal((await next()).data.toString(), '\r\n');
    assert.equal(packets, 0);
    off();
    await closeClient(ws);
  });

  it('picks "sip" when the client offers several subprotocols', async () => {
    const { ws } = await wsClient(wsUrl, ['chat', 'sip']);
    assert.equal(ws.protocol, 'sip');
    await closeClient(ws);
  });

  for (const protocols of [[], ['chat']]) {
    it(`refuses a handshake offering ${JSON.stringify(protocols)} instead of "sip" with 400 (RFC 7118 §4.1)`, async () => {
      let opened = 0;
      const off = layer.on('connectionOpened', () => opened++);
      const ws = new WebSocket(wsUrl, protocols);
      ws.on('error', () => undefined);
      const status = await new Promise<number | undefined>((resolve) => {
        ws.on('unexpected-response', (_req, res: IncomingMessage) => {
          res.resume();
          resolve(res.statusCode);
        });
      });
      assert.equal(status, 400);
      await closeClient(ws);
      off();
      assert.equal(opened, 0);
    });
  }

  it('answers plain HTTP on the WebSocket port with 426 Upgrade Required', async () => {
    const status = await new Promise<number | undefined>((resolve, reject) => {
      const req = httpRequest(wsUrl.replace('ws:', 'http:'), (res) => {
        res.resume();
        resolve(res.statusCode);
      });
      req.on('error', reject);
      req.end();
    });
    assert.equal(status, 426);
  });

  it('closes a connection whose message exceeds 64 KiB with 1009 and keeps serving', async () => {
    const { ws } = await wsClient(wsUrl);
    const closed = once<number>(ws, 'close');
    ws.send(sipRequest('MESSAGE', 'x'.repeat(70_000), 'WS'));
    assert.equal(await closed, 1009);
    const again = await wsClient(wsUrl);
    const arrived = nextEvent(layer, 'packet');
    again.ws.send(sipRequest());
    await arrived;
    await closeClient(again.ws);
  });

  it('serves secure WebSocket over IPv6', async () => {
    const { ws, next } = await wsClient(wssUrl);
    assert.equal(ws.protocol, 'sip');
    const arrived = nextEvent(layer, 'packet');
    ws.send(sipRequest('REGISTER', '', 'WSS').toString());
    const packet = await arrived;
    assert.equal(packet.source.transport, 'wss');
    assert.equal(packet.source.family, 6);
    assert.equal(packet.local.address, '::1');
    await layer.send(Buffer.from('SIP/2.0 200 OK\r\n\r\n'), packet.source, { connectionId: packet.connectionId });
    assert.equal((await next()).data.toString(), 'SIP/2.0 200 OK\r\n\r\n');
    await closeClient(ws);
  });

  it('reports connectionClosed when the browser goes away', async () => {
    const { ws } = await wsClient(wsUrl);
    const arrived = nextEvent(layer, 'packet');
    ws.send(sipRequest());
    const { connectionId } = await arrived;
    assert.ok(connectionId);
    const closed = nextEvent(layer, 'connectionClosed');
    ws.close(1000);
    assert.equal(await closed, connectionId);
    assert.equal(layer.hasConnection(connectionId), false);
  });
});
