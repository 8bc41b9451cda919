/**
 * SIP over WebSocket (RFC 7118) against a RUNNING Centrala, as a browser phone does it: REGISTER with MD5 digest
 * over a `sip` WebSocket; the API lists the device with transport `ws`; when the browser closes the socket (tab
 * closed), the device is gone from the API at once — nothing could reach it until it registers again.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import WebSocket from 'ws';
import { operatorToken, seedTenant, startCentrala, tempDataDir, type CentralaProcess, type SeededTenant, type DeviceJson } from '../support/centrala-process.js';
import { digestAuthorization, headerValues, registerText, statusOf, token } from '../support/sip-udp-client.js';

const DOMAIN = 'browser.test';
const PASSWORD = 'Browser4Interop9x';

let server: CentralaProcess;
let tenant: SeededTenant;
let apiToken: string;

const devices = (): Promise<DeviceJson[]> => server.devices(tenant, '700', apiToken);

/** Sends `text` and resolves with the next message the server sends. */
function exchange(socket: WebSocket, text: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('no answer over the WebSocket within 3 s')), 3000);
    socket.once('message', (data: Buffer) => {
      clearTimeout(timer);
      resolve(data.toString('utf8'));
    });
    socket.send(text);
  });
}

describe('SIP over WebSocket (browser phone)', () => {
  before(async () => {
    const dataDir = tempDataDir();
    tenant = await seedTenant(dataDir, DOMAIN, [{ number: '700', password: PASSWORD }]);
    apiToken = await operatorToken(dataDir);
    server = await startCentrala({ dataDir });
  });

  after(async () => {
    await server?.stop();
  });

  it('registers with digest over ws://, shows as a ws device, and is gone as soon as the socket closes', { timeout: 20_000 }, async () => {
    const socket = new WebSocket(`ws://127.0.0.1:${server.ports.ws}`, 'sip');
    await new Promise<void>((resolve, reject) => {
      socket.once('open', () => resolve());
      socket.once('error', reject);
    });
    assert.equal(socket.protocol, 'sip');
    const callId = `${token()}@browser`;
    const base = {
      user: '700',
      domain: DOMAIN,
      localPort: 0,
      callId,
      expires: 600,
      transport: 'WS' as const,
      contact: `<sip:700@${token()}.invalid;transport=ws>`,
    };
    const challenge = await exchange(socket, registerText({ ...base, cseq: 1 }));
    assert.equal(statusOf(challenge), 401, challenge);
    const md5 = headerValues(challenge, 'WWW-Authenticate').find((v) => /algorithm=MD5/i.test(v)) ?? '';
    const authorization = digestAuthorization({ challenge: md5, username: '700', password: PASSWORD, method: 'REGISTER', uri: `sip:${DOMAIN}` });
    const ok = await exchange(socket, registerText({ ...base, cseq: 2, authorization }));
    assert.equal(statusOf(ok), 200, ok);

    const [device] = await devices();
    assert.equal(device?.transport, 'ws');
    assert.match(device?.contact ?? '', /\.invalid;transport=ws$/);

    socket.close();
    const deadline = Date.now() + 3000;
    let left = await devices();
    while (left.length > 0 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 100));
      left = await devices();
    }
    assert.deepEqual(left, [], 'the closed browser is no longer listed');
  });
});
