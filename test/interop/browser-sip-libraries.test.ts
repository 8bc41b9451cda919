/**
 * The browser SIP libraries JsSIP 3.13 and SIP.js 0.21 (here in Node with the `ws` WebSocket) against a RUNNING
 * Centrala over ws://: each registers with digest (Centrala offers them MD5 only, see docs/registrar.md), the API
 * lists the device with its user agent and transport `ws`, and unregistering removes it. (Calls from a browser
 * need DTLS-SRTP, which a later issue brings.)
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import WebSocket from 'ws';
import JsSIP from 'jssip';
import { Registerer, RegistererState, UserAgent } from 'sip.js';
import { operatorToken, seedTenant, startCentrala, tempDataDir, type CentralaProcess, type SeededTenant, type DeviceJson } from '../support/centrala-process.js';

const DOMAIN = 'jssip.test';
const PASSWORD = 'JsSip4Interop9xyz';

let server: CentralaProcess;
let tenant: SeededTenant;
let apiToken: string;

const devices = (number: string): Promise<DeviceJson[]> => server.devices(tenant, number, apiToken);

describe('browser SIP libraries over WebSocket', () => {
  before(async () => {
    // JsSIP's WebSocketInterface uses the browser's global WebSocket; Node 20 has none.
    (globalThis as { WebSocket?: unknown }).WebSocket ??= WebSocket;
    const dataDir = tempDataDir();
    tenant = await seedTenant(dataDir, DOMAIN, [
      { number: '800', password: PASSWORD },
      { number: '801', password: PASSWORD },
    ]);
    apiToken = await operatorToken(dataDir);
    server = await startCentrala({ dataDir });
  });

  after(async () => {
    await server?.stop();
  });

  it('JsSIP registers with digest, shows as a ws device with its user agent, and unregisters', { timeout: 20_000 }, async () => {
    const ua = new JsSIP.UA({
      sockets: [new JsSIP.WebSocketInterface(`ws://127.0.0.1:${server.ports.ws}`)],
      uri: `sip:800@${DOMAIN}`,
      password: PASSWORD,
      register: true,
      register_expires: 600,
    });
    try {
      const registered = new Promise<number>((resolve, reject) => {
        ua.on('registered', (e) => resolve(e.response.status_code));
        ua.on('registrationFailed', (e) => reject(new Error(`JsSIP registration failed: ${e.cause} ${String(e.response?.status_code)}`)));
      });
      ua.start();
      assert.equal(await registered, 200);
      const [device] = await devices('800');
      assert.equal(device?.transport, 'ws');
      assert.match(device?.userAgent ?? '', /^JsSIP 3\./);
      assert.match(device?.contact ?? '', /;transport=ws/);

      const unregistered = new Promise<void>((resolve) => ua.on('unregistered', () => resolve()));
      ua.unregister();
      await unregistered;
      assert.deepEqual(await devices('800'), []);
    } finally {
      ua.stop();
    }
  });

  it('SIP.js registers with digest, shows as a ws device with its user agent, and unregisters', { timeout: 20_000 }, async () => {
    const ua = new UserAgent({
      uri: UserAgent.makeURI(`sip:801@${DOMAIN}`),
      authorizationUsername: '801',
      authorizationPassword: PASSWORD,
      transportOptions: { server: `ws://127.0.0.1:${server.ports.ws}` },
      logLevel: 'error',
    });
    await ua.start();
    try {
      const registerer = new Registerer(ua, { expires: 600 });
      const reached = (state: RegistererState): Promise<void> =>
        new Promise((resolve) => {
          const listener = (s: RegistererState): void => {
            if (s !== state) return;
            registerer.stateChange.removeListener(listener);
            resolve();
          };
          registerer.stateChange.addListener(listener);
        });
      const registered = reached(RegistererState.Registered);
      await registerer.register();
      await registered;
      const [device] = await devices('801');
      assert.equal(device?.transport, 'ws');
      assert.match(device?.userAgent ?? '', /^SIP\.js\/0\./);

      const unregistered = reached(RegistererState.Unregistered);
      await registerer.unregister();
      await unregistered;
      assert.deepEqual(await devices('801'), []);
    } finally {
      await ua.stop();
    }
  });
});
