import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { buildListenConfig } from './listen-config.js';

describe('buildListenConfig', () => {
  it('puts UDP and TCP on the SIP port of every host, IPv6 optional next to IPv4', () => {
    const config = buildListenConfig({ hosts: ['0.0.0.0', '::'], port: 5060 });
    assert.deepEqual(config.udp, [
      { host: '0.0.0.0', port: 5060 },
      { host: '::', port: 5060, optional: true },
    ]);
    assert.deepEqual(config.tcp, config.udp);
    assert.deepEqual(config.tls, []);
    assert.deepEqual(config.ws, []);
    assert.deepEqual(config.wss, []);
  });

  it('keeps an IPv6-only host mandatory', () => {
    assert.deepEqual(buildListenConfig({ hosts: ['::'], port: 5070 }).udp, [{ host: '::', port: 5070 }]);
  });

  it('adds TLS, WS and WSS with the credentials and the advertised address', () => {
    const tls = { cert: 'CERT', key: 'KEY' };
    const config = buildListenConfig({ hosts: ['127.0.0.1'], port: 5060, tlsPort: 5061, wsPort: 8088, wssPort: 8089, tls, advertise: 'pbx.example.com' });
    assert.deepEqual(config.tls, [{ host: '127.0.0.1', port: 5061, advertise: 'pbx.example.com', cert: 'CERT', key: 'KEY' }]);
    assert.deepEqual(config.ws, [{ host: '127.0.0.1', port: 8088, advertise: 'pbx.example.com' }]);
    assert.equal(config.wss?.[0]?.port, 8089);
  });

  it('refuses TLS or WSS without a certificate', () => {
    assert.throws(() => buildListenConfig({ hosts: ['0.0.0.0'], port: 5060, tlsPort: 5061 }), /TLS port 5061 needs/);
    assert.throws(() => buildListenConfig({ hosts: ['0.0.0.0'], port: 5060, wssPort: 8089 }), /WSS port 8089 needs/);
  });
});
