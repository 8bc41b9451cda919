/**
 * REGISTER interop against a RUNNING Centrala (child process): sipp scenarios (MD5 digest, UDP and
 * TCP), a hand-written UDP client for SHA-256 (sipp 3.6.1 only knows MD5; baresip 1.0 refuses any
 * SHA-256 challenge), identical answers for an unknown user and a wrong password, expiry, 423,
 * unregister and a stale (replayed) nonce. Devices are checked through the REST API.
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
import {
  UdpSipClient,
  challengeParams,
  digestAuthorization,
  headerValues,
  registerText,
  statusOf,
  token,
} from '../support/sip-udp-client.js';

const DOMAIN = 'acme.test';
const PASSWORD = 'Secret4Interop9x';
const users = ['100', '101', '102', '103', '104', '105', '106'];

describe('REGISTER against a running Centrala', () => {
  let server: CentralaProcess;
  let tenant: SeededTenant;
  let apiToken: string;

  const devices = (number: string): Promise<DeviceJson[]> => server.devices(tenant, number, apiToken);

  before(async () => {
    const dataDir = tempDataDir();
    tenant = await seedTenant(dataDir, DOMAIN, users.map((number) => ({ number, password: PASSWORD })));
    apiToken = await operatorToken(dataDir);
    server = await startCentrala({ dataDir });
  });

  after(async () => {
    await server?.stop({ keepData: false });
  });

  it('sipp registers with MD5 digest over UDP; the API lists the device with transport and expiry', async () => {
    const r = await runSipp({
      scenario: 'register-auth.xml',
      host: '127.0.0.1',
      port: server.ports.sip,
      users: [{ user: '100', domain: DOMAIN, password: PASSWORD }],
      keys: { expires: '600' },
    });
    assert.equal(r.exitCode, 0, `${r.stderr}\n${r.errors}`);
    const list = await devices('100');
    assert.equal(list.length, 1);
    assert.equal(list[0]?.transport, 'udp');
    assert.equal(list[0]?.userAgent, 'sipp');
    assert.equal(list[0]?.sourceAddress, '127.0.0.1');
    assert.ok((list[0]?.expiresInSeconds ?? 0) > 590 && (list[0]?.expiresInSeconds ?? 0) <= 600);
  });

  it('sipp registers over TCP; the device shows transport tcp', async () => {
    const r = await runSipp({
      scenario: 'register-auth.xml',
      host: '127.0.0.1',
      port: server.ports.sip,
      transport: 'tcp',
      users: [{ user: '101', domain: DOMAIN, password: PASSWORD }],
      keys: { expires: '3600' },
    });
    assert.equal(r.exitCode, 0, `${r.stderr}\n${r.errors}`);
    const list = await devices('101');
    assert.equal(list[0]?.transport, 'tcp');
  });

  it('an expiry over the maximum is granted as 3600 s (the registrar MAY shorten)', async () => {
    const r = await runSipp({
      scenario: 'register-auth.xml',
      host: '127.0.0.1',
      port: server.ports.sip,
      users: [{ user: '102', domain: DOMAIN, password: PASSWORD }],
      keys: { expires: '86400' },
      traceMessages: true,
    });
    assert.equal(r.exitCode, 0, r.errors);
    assert.match(r.messages, /SIP\/2\.0 200 OK[\s\S]*Contact: <sip:102@127\.0\.0\.1:\d+;transport=UDP>;expires=3600/);
  });

  it('a 30 s registration gets 423 with Min-Expires: 60', async () => {
    const r = await runSipp({
      scenario: 'register-too-brief.xml',
      host: '127.0.0.1',
      port: server.ports.sip,
      users: [{ user: '103', domain: DOMAIN, password: PASSWORD }],
    });
    assert.equal(r.exitCode, 0, r.errors);
    assert.deepEqual(await devices('103'), []);
  });

  it('unregister (Expires: 0) removes the device', async () => {
    const r = await runSipp({
      scenario: 'unregister.xml',
      host: '127.0.0.1',
      port: server.ports.sip,
      users: [{ user: '104', domain: DOMAIN, password: PASSWORD }],
    });
    assert.equal(r.exitCode, 0, r.errors);
    assert.deepEqual(await devices('104'), []);
  });

  it('a wrong password and an unknown user get byte-identical answers (apart from nonce, tags, ids)', async () => {
    const run = (user: string, password: string) =>
      runSipp({
        scenario: 'register-refused.xml',
        host: '127.0.0.1',
        port: server.ports.sip,
        users: [{ user, domain: DOMAIN, password }],
        traceMessages: true,
      });
    const wrong = await run('105', 'Wrong4Password9x');
    const unknown = await run('999', PASSWORD);
    assert.equal(wrong.exitCode, 0, wrong.errors);
    assert.equal(unknown.exitCode, 0, unknown.errors);
    const received = (log: string): string[] =>
      log
        .split(/-{10,}.*\n/)
        .filter((block) => /UDP message received/.test(block))
        .map((block) => block.slice(block.indexOf('SIP/2.0')));
    const normalise = (msg: string, user: string): string =>
      msg
        .replaceAll(`sip:${user}@`, 'sip:USER@')
        .replace(/nonce="[^"]*"/g, 'nonce="N"')
        .replace(/tag=[^;\s>]+/g, 'tag=T')
        .replace(/branch=[^;\s]+/g, 'branch=B')
        .replace(/rport=\d+/g, 'rport=P')
        .replace(/127\.0\.0\.1:\d+/g, '127.0.0.1:P')
        .replace(/Call-ID: .*/g, 'Call-ID: C')
        .trim();
    const a = received(wrong.messages).map((m) => normalise(m, '105'));
    const b = received(unknown.messages).map((m) => normalise(m, '999'));
    assert.equal(a.length, 2);
    assert.deepEqual(a, b);
    assert.equal(statusOf(a[1] ?? ''), 401);
  });

  it('SHA-256 digest (RFC 8760) from a hand-written client: challenged SHA-256 first, registered', async () => {
    const client = new UdpSipClient();
    await client.open();
    try {
      const callId = token();
      const first = await client.request(
        server.ports.sip,
        registerText({ user: '106', domain: DOMAIN, localPort: client.port, callId, cseq: 1 }),
      );
      assert.equal(statusOf(first), 401);
      const challenges = headerValues(first, 'WWW-Authenticate');
      assert.match(challenges[0] ?? '', /algorithm=SHA-256/);
      assert.match(challenges[1] ?? '', /algorithm=MD5/);
      const authorization = digestAuthorization({
        challenge: challenges[0] ?? '',
        username: '106',
        password: PASSWORD,
        method: 'REGISTER',
        uri: `sip:${DOMAIN}`,
      });
      const ok = await client.request(
        server.ports.sip,
        registerText({ user: '106', domain: DOMAIN, localPort: client.port, callId, cseq: 2, authorization }),
      );
      assert.equal(statusOf(ok), 200, ok);
      assert.equal(headerValues(ok, 'Server')[0], 'Centrala');
      assert.match(headerValues(ok, 'Contact')[0] ?? '', /;expires=3600$/);

      // Replaying the same nonce with the same nonce-count is answered stale=true (RFC 7616 §3.3),
      // and a fresh nonce then works again.
      const replay = await client.request(
        server.ports.sip,
        registerText({ user: '106', domain: DOMAIN, localPort: client.port, callId, cseq: 3, authorization }),
      );
      assert.equal(statusOf(replay), 401);
      const stale = headerValues(replay, 'WWW-Authenticate')[0] ?? '';
      assert.equal(challengeParams(stale)['stale']?.toLowerCase(), 'true');
      const again = await client.request(
        server.ports.sip,
        registerText({
          user: '106',
          domain: DOMAIN,
          localPort: client.port,
          callId,
          cseq: 4,
          authorization: digestAuthorization({ challenge: stale, username: '106', password: PASSWORD, method: 'REGISTER', uri: `sip:${DOMAIN}` }),
        }),
      );
      assert.equal(statusOf(again), 200, again);
      assert.equal((await devices('106')).length, 1);
    } finally {
      client.close();
    }
  });
});
