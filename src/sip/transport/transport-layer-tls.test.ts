import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { connect as tcpConnect } from 'node:net';
import { join } from 'node:path';
import { connect, createServer, type Server, type TLSSocket } from 'node:tls';
import { Collector, nextEvent, once, sipRequest, testLayer } from './test-peers.js';
import { ensureDevCertificate, type TlsCredentialFiles } from './tls-credentials.js';
import { TransportError } from './transport-error.js';
import type { TransportLayer } from './transport-layer.js';

describe('TransportLayer over TLS (RFC 3261 §26.2)', { timeout: 20_000 }, () => {
  let dataDir: string;
  let creds: TlsCredentialFiles;
  let layer: TransportLayer;

  before(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'centrala-tls-'));
    creds = await ensureDevCertificate(dataDir);
    ({ layer } = testLayer({ tlsClient: { ca: creds.cert } }));
    await layer.listen({
      tls: [
        { host: '127.0.0.1', port: 0, cert: creds.cert, key: creds.key },
        { host: '::1', port: 0, cert: creds.cert, key: creds.key },
      ],
    });
  });
  after(async () => {
    await layer.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  for (const family of [4, 6] as const) {
    it(`accepts a TLS client over IPv${family}, frames its messages and answers on the same connection`, async () => {
      const host = family === 4 ? '127.0.0.1' : '::1';
      const socket = connect({ host, port: layer.localAddress('tls', family).port, rejectUnauthorized: false });
      const received = new Collector(socket);
      await once(socket, 'secureConnect');
      const arrived = nextEvent(layer, 'packet');
      const request = sipRequest('REGISTER', '', 'TLS');
      socket.write(request);
      const packet = await arrived;
      assert.deepEqual(packet.data, request);
      assert.deepEqual(packet.source, { transport: 'tls', address: host, port: socket.localPort, family });
      const response = 'SIP/2.0 200 OK\r\nContent-Length: 0\r\n\r\n';
      await layer.send(Buffer.from(response), packet.source, { connectionId: packet.connectionId });
      await received.waitFor((t) => t === response);
      socket.write('\r\n\r\n');
      await received.waitFor((t) => t === `${response}\r\n`);
      socket.destroy();
    });
  }

  it('ends a plain-TCP client on the TLS port without affecting others', async () => {
    const socket = tcpConnect({ host: '127.0.0.1', port: layer.localAddress('tls', 4).port });
    const received = new Collector(socket);
    await once(socket, 'connect');
    const clientPort = socket.localPort;
    socket.write(sipRequest());
    await received.waitClosed();
    assert.equal(layer.connections().some((c) => c.remote.port === clientPort), false);
  });

  describe('server-initiated connections', () => {
    let server: Server;
    let port: number;
    const accepted: TLSSocket[] = [];

    before(async () => {
      server = createServer({ cert: creds.cert, key: creds.key }, (s) => {
        s.on('error', () => undefined);
        accepted.push(s);
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
      const address = server.address();
      port = typeof address === 'object' && address ? address.port : 0;
    });
    after(async () => {
      for (const s of accepted) s.destroy();
      await new Promise((resolve) => server.close(resolve));
    });

    it('opens a verified TLS connection when none exists (peer certificate names 127.0.0.1)', async () => {
      const accept = once<TLSSocket>(server, 'secureConnection');
      const request = sipRequest('NOTIFY', '', 'TLS');
      await layer.send(request, { transport: 'tls', address: '127.0.0.1', port, family: 4 });
      const peerSide = new Collector(await accept);
      await peerSide.waitFor((t) => t === request.toString('latin1'));
      assert.equal(layer.connections().filter((c) => c.outbound && c.transport === 'tls').length, 1);
    });

    it('refuses a peer whose certificate it cannot verify, with CONNECT_FAILED', async () => {
      const { layer: strict } = testLayer();
      await assert.rejects(
        strict.send(sipRequest(), { transport: 'tls', address: '127.0.0.1', port, family: 4 }),
        (err: unknown) => err instanceof TransportError && err.code === 'CONNECT_FAILED',
      );
      await strict.close();
    });
  });
});
