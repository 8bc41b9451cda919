/**
 * Brute-force blocks behind one NAT (docs/registrar.md, "Brute-force protection"), against a RUNNING Centrala.
 * Three real baresip phones share 127.0.0.1, as an office behind one address does: A is extension 101 with the
 * right password, C is 102 (answers by itself), and B is a second device of 101 with a typo in its password,
 * which keeps answering challenges until it is blocked. A must stay registered and keep calling over its flow,
 * and a refresh over a registered flow is accepted, while a new flow of 101 from that address is refused for as
 * long as the block lasts. A sipp scanner on 127.0.0.2 trying many usernames is blocked as a source. Both blocks are
 * logged, listed by the API and the CLI, and lifted: through the API (at once) and through the CLI (the server
 * picks it up within a few seconds).
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { CliIo } from '../../src/cli/index.js';
import { runCli } from '../../src/main.js';
import { startBaresip, type BaresipProcess } from '../support/baresip.js';
import { runSipp, tracedWith } from '../support/sipp.js';
import {
  freePort,
  operatorToken,
  seedTenant,
  startCentrala,
  tempDataDir,
  type CentralaProcess,
  type SeededTenant,
} from '../support/centrala-process.js';
import { UdpSipClient, digestAuthorization, headerValues, registerText, statusOf, token } from '../support/sip-udp-client.js';

const DOMAIN = 'lockout.test';
const PASSWORD = 'Lockout4Office9x';
const SCANNER = '127.0.0.2';

interface BlockJson {
  readonly id: string;
  readonly scope: string;
  readonly source: string;
  readonly tenantId: string | null;
  readonly sipDomain: string;
  readonly extension: string;
  readonly since: string;
  readonly until: string;
}

/** One REGISTER of `user` from `client` answered with a digest for `password`: the final status of the authenticated attempt. */
async function registerOnce(client: UdpSipClient, port: number, user: string, password: string): Promise<number | undefined> {
  const callId = `reg-${token()}@lockout`;
  const challenged = await client.request(
    port,
    registerText({ user, domain: DOMAIN, localPort: client.port, callId, cseq: 1, expires: 600 }),
  );
  if (statusOf(challenged) !== 401) return statusOf(challenged);
  const authorization = digestAuthorization({
    challenge: headerValues(challenged, 'WWW-Authenticate')[0] ?? '',
    username: user,
    password,
    method: 'REGISTER',
    uri: `sip:${DOMAIN}`,
  });
  const answer = await client.request(
    port,
    registerText({ user, domain: DOMAIN, localPort: client.port, callId, cseq: 2, expires: 600, authorization }),
  );
  return statusOf(answer);
}

/** Runs the CLI in-process on the server's data directory. */
async function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const io: CliIo = { stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t), env: {}, cwd: process.cwd() };
  const code = await runCli(args, io);
  return { code, stdout, stderr };
}

describe('one misconfigured phone behind a NAT, and a scanner', () => {
  let server: CentralaProcess;
  let tenant: SeededTenant;
  let apiToken: string;
  const phones: BaresipProcess[] = [];
  const clients: UdpSipClient[] = [];

  const blocks = async (): Promise<BlockJson[]> => {
    const res = await server.api('/api/v1/security/blocks', apiToken);
    assert.equal(res.status, 200, JSON.stringify(res.body));
    return (res.body as { items: BlockJson[] }).items;
  };
  const client = async (host = '127.0.0.1'): Promise<UdpSipClient> => {
    const c = new UdpSipClient();
    await c.open(host);
    clients.push(c);
    return c;
  };
  const explain = (): string =>
    `\n--- phones\n${phones.map((p) => p.output.slice(-1500)).join('\n---\n')}\n--- centrala log (tail)\n${server.output.slice(-6000)}`;

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
    for (const c of clients) c.close();
    await Promise.all(phones.map((p) => p.stop()));
    await server?.stop();
  });

  it('blocks the typo device, keeps the working phone registered and calling, and blocks a scanner as a source', async () => {
    const a = startBaresip({
      user: '101', domain: DOMAIN, password: PASSWORD, transport: 'udp', proxyPort: server.ports.sip,
      quitAfterSec: 120, controlPort: await freePort(),
    });
    const c = startBaresip({
      user: '102', domain: DOMAIN, password: PASSWORD, transport: 'udp', proxyPort: server.ports.sip,
      quitAfterSec: 120, autoAnswer: true,
    });
    phones.push(a, c);
    await a.ready();
    await a.waitFor(/200 OK \(Centrala\) \[1 binding\]/);
    await c.waitFor(/200 OK \(Centrala\) \[1 binding\]/);
    // A second registered device of 101 at the same address (scripted), to show a refresh over its flow.
    const registered = await client();
    assert.equal(await registerOnce(registered, server.ports.sip, '101', PASSWORD), 200);

    // B: the same extension from the same address with a typo in the password. baresip answers each fresh
    // challenge again, so it fails ten times in a row and then gets 403.
    const b = startBaresip({
      user: '101', domain: DOMAIN, password: `${PASSWORD}typo`, transport: 'udp', proxyPort: server.ports.sip, quitAfterSec: 30,
    });
    phones.push(b);
    await b.waitFor(/403 Forbidden/, 10_000).catch((err: unknown) => {
      throw new Error(`the device with the wrong password was never blocked: ${String(err)}${explain()}`);
    });
    await b.stop();
    phones.splice(phones.indexOf(b), 1);

    // A new flow of 101 from the office address is refused even with the right password: no more guessing there.
    const newFlow = await client();
    assert.equal(await registerOnce(newFlow, server.ports.sip, '101', PASSWORD), 403);
    // 102 behind the same address is not affected.
    assert.equal(await registerOnce(await client(), server.ports.sip, '102', PASSWORD), 200);

    // Registered devices keep their registrations: a refresh over a registered flow is accepted …
    assert.equal(await registerOnce(registered, server.ports.sip, '101', PASSWORD), 200, 'a refresh over the registered flow');
    const devices = await server.devices(tenant, '101', apiToken);
    assert.equal(devices.length, 2, JSON.stringify(devices));
    // … and A calls over its flow (its INVITE is authenticated, not refused).
    await a.command('dial', `sip:102@${DOMAIN}`);
    await a.waitForEvent('CALL_ESTABLISHED', 10_000, ['CALL_CLOSED']).catch((err: unknown) => {
      throw new Error(`${err instanceof Error ? err.message : String(err)}${explain()}`);
    });
    await a.command('hangup');
    await a.waitForEvent('CALL_CLOSED', 10_000);

    // A scanner (sipp) on another address tries twelve usernames one after another: ten attempts get their 401,
    // then the source is blocked as a whole and the last two get 403.
    const scan = await runSipp({
      scenario: 'register-refused.xml',
      host: '127.0.0.1',
      port: server.ports.sip,
      localAddress: SCANNER,
      users: Array.from({ length: 12 }, (_, i) => ({ user: `${200 + i}`, domain: DOMAIN, password: 'guess12345678' })),
      calls: 12,
      rate: 50,
      limit: 1,
      traceMessages: true,
    });
    assert.deepEqual([scan.successful, scan.failed], [10, 2], `${scan.stderr}${scan.errors}${explain()}`);
    assert.equal(tracedWith(scan.messages, 'received', 403).length, 2);
    const scanner = await client(SCANNER);

    const listed = await blocks();
    const pair = listed.find((b) => b.scope === 'source-extension');
    const source = listed.find((b) => b.scope === 'source');
    assert.deepEqual(
      pair && { source: pair.source, tenantId: pair.tenantId, sipDomain: pair.sipDomain, extension: pair.extension },
      { source: '127.0.0.1', tenantId: tenant.tenantId, sipDomain: DOMAIN, extension: '101' },
    );
    assert.equal(source?.source, SCANNER);
    assert.equal(listed.length, 2, JSON.stringify(listed));
    // Each block is logged at warn with tenant, extension, source and ISO times.
    for (const b of [pair, source]) {
      assert.ok(b);
      const line = server.output.split('\n').find((l) => l.includes(b.id));
      assert.ok(line, `no log line for block ${b.id}${explain()}`);
      const logged = JSON.parse(line) as Record<string, unknown>;
      assert.equal(logged.level, 'warn');
      assert.deepEqual(
        [logged.tenant, logged.extension, logged.source, logged.until],
        [b.sipDomain, b.extension, b.source, b.until],
      );
      assert.match(String(logged.since), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    }

    // The CLI lists the same blocks from the store.
    const listedByCli = await cli(['block', 'list', '--data-dir', server.dataDir, '--json']);
    assert.equal(listedByCli.code, 0, listedByCli.stderr);
    assert.deepEqual((JSON.parse(listedByCli.stdout) as BlockJson[]).map((b) => b.id).sort(), listed.map((b) => b.id).sort());

    // Lifted through the API: in force no more, at once.
    assert.ok(source && pair);
    assert.equal((await server.api(`/api/v1/security/blocks/${source.id}`, apiToken, { method: 'DELETE' })).status, 204);
    assert.equal((await server.api(`/api/v1/security/blocks/${source.id}`, apiToken, { method: 'DELETE' })).status, 404);
    assert.equal(await registerOnce(scanner, server.ports.sip, '300', 'guess12345678'), 401, 'the scanner is heard again');

    // Lifted through the CLI (another process, on the store): the server lifts it within a few seconds.
    const cleared = await cli(['block', 'clear', pair.id, '--data-dir', server.dataDir]);
    assert.equal(cleared.code, 0, cleared.stderr);
    assert.match(cleared.stdout, /Lifted 1 block\./);
    const deadline = Date.now() + 12_000;
    let status: number | undefined;
    while ((status = await registerOnce(newFlow, server.ports.sip, '101', PASSWORD)) !== 200 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 500));
    }
    assert.equal(status, 200, `the block lifted by the CLI still applied${explain()}`);
    assert.deepEqual(await blocks(), []);
  });
});
