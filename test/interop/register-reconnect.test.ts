/**
 * A TCP phone that reconnects from new ports (docs/registrar.md, "flows"), against a RUNNING Centrala. The phone
 * writes its connection's port into its Contact and has no +sip.instance, so every reconnect is a Contact the
 * registrar has not seen. Its new flow must take over the binding of the closed connection: it keeps getting 200
 * however often it reconnects and ends with one binding. Distinct live phones still count against the limit of 5
 * contacts: a 6th live connection with the same Contact user gets 503.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  operatorToken,
  seedTenant,
  startCentrala,
  tempDataDir,
  type CentralaProcess,
  type SeededTenant,
} from '../support/centrala-process.js';
import { digestAuthorization, registerText, token } from '../support/sip-udp-client.js';
import { TcpSipConnection, headersOf, statusOfText, type SipText } from '../support/sip-tcp-device.js';

const DOMAIN = 'reconnect-reg.test';
const PASSWORD = 'Reconnect4Register9x';

/** REGISTERs `user` over `conn` (401, then MD5 digest) with the connection's port in the Contact; returns the final answer. */
async function registerOver(conn: TcpSipConnection, user: string, callId: string, cseq: { n: number }, expires = 600): Promise<SipText> {
  const send = (authorization?: string): number => {
    cseq.n += 1;
    conn.send(
      registerText({
        user,
        domain: DOMAIN,
        localPort: conn.localPort,
        callId,
        cseq: cseq.n,
        expires,
        contact: `<sip:${user}@127.0.0.1:${conn.localPort};transport=tcp>`,
        transport: 'TCP',
        ...(authorization !== undefined ? { authorization } : {}),
        extraHeaders: ['User-Agent: centrala-interop-tcp-phone'],
      }),
    );
    return cseq.n;
  };
  const challenged = await conn.inbox.nextFinal(callId, send(), 'REGISTER');
  assert.equal(statusOfText(challenged), 401, `REGISTER without credentials: ${challenged.startLine}`);
  const authorization = digestAuthorization({
    challenge: headersOf(challenged, 'WWW-Authenticate')[0] ?? '',
    username: user,
    password: PASSWORD,
    method: 'REGISTER',
    uri: `sip:${DOMAIN}`,
  });
  return conn.inbox.nextFinal(callId, send(authorization), 'REGISTER');
}

describe('a TCP phone reconnecting from new ports', () => {
  let server: CentralaProcess;
  let tenant: SeededTenant;
  let apiToken: string;
  const open: TcpSipConnection[] = [];

  before(async () => {
    const dataDir = tempDataDir();
    tenant = await seedTenant(dataDir, DOMAIN, [
      { number: '101', password: PASSWORD },
      { number: '102', password: PASSWORD },
    ]);
    apiToken = await operatorToken(dataDir);
    server = await startCentrala({ dataDir });
  });

  after(async () => {
    for (const c of open) c.destroy();
    await server?.stop();
  });

  it('keeps getting 200 on each of 7 reconnects and ends with one binding, on the last connection', async () => {
    const callId = `reg-${token()}@127.0.0.1`;
    const cseq = { n: 0 };
    let lastPort = 0;
    for (let i = 0; i < 7; i++) {
      const conn = await TcpSipConnection.open(server.ports.sip, `101/tcp#${i + 1}`);
      open.push(conn);
      const ok = await registerOver(conn, '101', callId, cseq);
      assert.equal(statusOfText(ok), 200, `REGISTER over connection #${i + 1}: ${ok.startLine}\n${server.output.slice(-4000)}`);
      assert.equal(headersOf(ok, 'Contact').length, 1, `connection #${i + 1}: the 200 lists one contact`);
      lastPort = conn.localPort;
      await conn.close();
    }
    const devices = await server.devices(tenant, '101', apiToken);
    assert.equal(devices.length, 1, JSON.stringify(devices));
    assert.equal(devices[0]?.sourcePort, lastPort);
  });

  it('still refuses a 6th distinct live phone of the extension with 503 and Retry-After', async () => {
    const phones: TcpSipConnection[] = [];
    for (let i = 0; i < 6; i++) {
      const conn = await TcpSipConnection.open(server.ports.sip, `102/tcp-phone${i + 1}`);
      open.push(conn);
      phones.push(conn);
    }
    for (const [i, conn] of phones.entries()) {
      const answer = await registerOver(conn, '102', `reg-${token()}@127.0.0.1`, { n: 0 });
      if (i < 5) assert.equal(statusOfText(answer), 200, `phone ${i + 1}: ${answer.startLine}`);
      else {
        assert.equal(statusOfText(answer), 503, `phone 6: ${answer.startLine}`);
        assert.match(headersOf(answer, 'Retry-After')[0] ?? '', /^\d+$/);
      }
    }
    assert.equal((await server.devices(tenant, '102', apiToken)).length, 5);
  });
});
