/**
 * Flood protection against a RUNNING Centrala started with `--sip-rate-limit 20` (bursts of 40) and listening on
 * 127.0.0.1 and ::1: a source that fires 300 OPTIONS at once gets answers to about a burst of them, the rest are
 * dropped unparsed; another source is served meanwhile; the flooding source is served again a moment later; the
 * server warns about the flood.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import dgram from 'node:dgram';
import { startCentrala, type CentralaProcess } from '../support/centrala-process.js';
import { statusOf, token } from '../support/sip-udp-client.js';

let server: CentralaProcess;

function options(host: string, localPort: number): Buffer {
  const hostPort = host.includes(':') ? `[${host}]:${localPort}` : `${host}:${localPort}`;
  return Buffer.from(
    [
      `OPTIONS sip:${host.includes(':') ? `[${host}]` : host}:${server.ports.sip} SIP/2.0`,
      `Via: SIP/2.0/UDP ${hostPort};branch=z9hG4bK${token()};rport`,
      `From: <sip:flood@${hostPort}>;tag=${token()}`,
      `To: <sip:${hostPort}>`,
      `Call-ID: ${token()}@flood`,
      'CSeq: 1 OPTIONS',
      'Max-Forwards: 70',
      'Content-Length: 0',
      '',
      '',
    ].join('\r\n'),
    'latin1',
  );
}

/** Sends `count` OPTIONS back to back from one socket on `host`; returns how many got a 200 within 1 s. */
async function fire(host: '127.0.0.1' | '::1', count: number): Promise<number> {
  const socket = dgram.createSocket(host === '::1' ? 'udp6' : 'udp4');
  let answered = 0;
  socket.on('message', (m) => {
    if (statusOf(m.toString('latin1')) === 200) answered++;
  });
  await new Promise<void>((resolve) => socket.bind(0, host, resolve));
  try {
    const port = socket.address().port;
    for (let i = 0; i < count; i++) socket.send(options(host, port), server.ports.sip, host);
    await new Promise((r) => setTimeout(r, 1000));
    return answered;
  } finally {
    socket.close();
  }
}

describe('SIP flood protection (--sip-rate-limit)', () => {
  before(async () => {
    server = await startCentrala({ extraArgs: ['--sip-host', '127.0.0.1,::1', '--sip-rate-limit', '20'] });
  });

  after(async () => {
    await server?.stop();
  });

  it('answers about a burst of a flood, keeps serving other sources, and serves the flooder again later', async () => {
    await new Promise((r) => setTimeout(r, 2500)); // the readiness probes' tokens flow back
    const flooded = await fire('127.0.0.1', 300);
    // 40 in the bucket, plus 20/s flowing in while the flood and the 1 s wait last.
    assert.ok(flooded >= 35 && flooded <= 70, `${flooded} of 300 OPTIONS answered`);
    assert.equal(await fire('::1', 5), 5, 'another source is served meanwhile');
    await new Promise((r) => setTimeout(r, 1000));
    assert.equal(await fire('127.0.0.1', 5), 5, 'the flooding source is served again once tokens flowed back');
    assert.match(server.output, /SIP flood: messages over the rate limit dropped/);
  });
});
