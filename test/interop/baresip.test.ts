/**
 * baresip 1.0.0 registers to a RUNNING Centrala over UDP, TCP and TLS (self-signed certificate for
 * 127.0.0.1 and acme.test, given to baresip as its CA file); the REST API shows the device online with
 * the transport it used, and after baresip quits (it unregisters) the device is gone.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { generate } from 'selfsigned';
import { startBaresip } from '../support/baresip.js';
import {
  operatorToken,
  seedTenant,
  startCentrala,
  tempDataDir,
  type CentralaProcess,
  type SeededTenant, type DeviceJson,
} from '../support/centrala-process.js';

const DOMAIN = 'acme.test';
const PASSWORD = 'Baresip4Interop7';

describe('baresip registers over UDP, TCP and TLS', () => {
  let server: CentralaProcess;
  let tenant: SeededTenant;
  let apiToken: string;
  let caFile: string;

  const devices = (number: string): Promise<DeviceJson[]> => server.devices(tenant, number, apiToken);

  async function waitForDevices(number: string, count: number, timeoutMs = 8000): Promise<DeviceJson[]> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const list = await devices(number);
      if (list.length === count) return list;
      if (Date.now() > deadline) assert.fail(`expected ${count} device(s) of ${number}, have ${list.length}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  before(async () => {
    const dataDir = tempDataDir();
    tenant = await seedTenant(dataDir, DOMAIN, [
      { number: '200', password: PASSWORD },
      { number: '201', password: PASSWORD },
      { number: '202', password: PASSWORD },
    ]);
    apiToken = await operatorToken(dataDir);
    const pems = await generate([{ name: 'commonName', value: DOMAIN }], {
      keyType: 'ec',
      algorithm: 'sha256',
      extensions: [
        { name: 'basicConstraints', cA: true },
        { name: 'subjectAltName', altNames: [{ type: 2, value: DOMAIN }, { type: 7, ip: '127.0.0.1' }] },
      ],
    });
    const cert = join(dataDir, 'tls-cert.pem');
    const key = join(dataDir, 'tls-key.pem');
    writeFileSync(cert, pems.cert);
    writeFileSync(key, pems.private);
    caFile = cert;
    server = await startCentrala({ dataDir, tlsCert: cert, tlsKey: key });
  });

  after(async () => {
    await server?.stop();
  });

  const cases = [
    { transport: 'udp', number: '200' },
    { transport: 'tcp', number: '201' },
    { transport: 'tls', number: '202' },
  ] as const;

  for (const c of cases) {
    it(`over ${c.transport}: 200 OK, listed online with transport ${c.transport}, gone after it quits`, async () => {
      const phone = startBaresip({
        user: c.number,
        domain: DOMAIN,
        password: PASSWORD,
        transport: c.transport,
        proxyPort: c.transport === 'tls' ? server.ports.tls : server.ports.sip,
        caFile,
        regint: 600,
      });
      try {
        await phone.waitFor(/200 OK \(Centrala\) \[1 binding\]/, 10_000);
        const [device] = await waitForDevices(c.number, 1);
        assert.equal(device?.transport, c.transport);
        assert.match(device?.userAgent ?? '', /^baresip/);
        assert.ok((device?.expiresInSeconds ?? 0) > 590);
      } finally {
        await phone.stop();
      }
      await waitForDevices(c.number, 0);
    });
  }
});
