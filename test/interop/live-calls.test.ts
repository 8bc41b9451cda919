/**
 * Calls in progress through a RUNNING Centrala (sipp 3.6.1 over UDP on both sides): listed by
 * GET …/calls/active with their media, hung up by DELETE …/calls/active/{id} (both phones get the BYE, the
 * record names who ended it), tenant isolation, the `centrala call active` / `call hangup` commands against the
 * running server, and the info log lines of registrations and calls (JSON with ISO times, no credentials).
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import type { CliIo } from '../../src/cli/index.js';
import { runCli } from '../../src/main.js';
import { openServices } from '../../src/services/index.js';
import { registerSippDevice, runSipp, startSipp, tracedWith, type RunningSipp, type SippResult } from '../support/sipp.js';
import { freePort, seedTenant, startCentrala, tempDataDir, type CentralaProcess, type SeededTenant } from '../support/centrala-process.js';

const DOMAIN = 'live.test';
const OTHER_DOMAIN = 'other-live.test';
const PASSWORD = 'Live4Interop9xyzQ';
const CALLER = '300';

/** One call in progress as the API lists it. */
interface LiveCall {
  id: string;
  callId: string;
  callerNumber: string;
  callee: string;
  answeredBy: string | null;
  state: string;
  startedAt: string;
  answeredAt: string | null;
  durationSeconds: number;
  codecs: string[];
  media: { caller: { relayAddress: string; relayPort: number; device: string | null }; callee: { relayAddress: string; relayPort: number; device: string | null } };
}

let server: CentralaProcess;
let tenant: SeededTenant;
let dataDir: string;
let operator: string;
let tenantToken: string;
let otherToken: string;

/** Tokens created in the store before the server starts. */
async function tokens(dir: string, tenantId: string, otherTenantId: string): Promise<{ operator: string; tenant: string; other: string }> {
  const opened = await openServices({ dataDir: dir });
  try {
    const auth = opened.services.auth;
    return {
      operator: (await auth.createOperatorToken('live-calls test')).token,
      tenant: (await auth.createTenantToken(tenantId, 'live-calls test')).token,
      other: (await auth.createTenantToken(otherTenantId, 'live-calls test')).token,
    };
  } finally {
    await opened.close();
  }
}

/** A registered sipp device of `number` that answers one call and stays in it until a BYE. */
async function answeringDevice(number: string): Promise<RunningSipp> {
  const port = await registerSippDevice({ serverPort: server.ports.sip, user: { user: number, domain: DOMAIN, password: PASSWORD } });
  return startSipp({ scenario: 'call-uas-answer.xml', users: [], localPort: port, timeoutMs: 20_000, traceMessages: true });
}

/** A sipp caller that calls `callee` and stays in the call until the PBX sends it a BYE (or another `scenario`). */
function callUntilBye(callee: string, scenario = 'call-uac-callee-hangs-up.xml'): { callId: string; result: Promise<SippResult> } {
  const tag = randomBytes(6).toString('hex');
  const result = runSipp({
    scenario,
    host: '127.0.0.1',
    port: server.ports.sip,
    users: [{ user: CALLER, domain: DOMAIN, password: PASSWORD }],
    keys: { callee },
    authUri: `${callee}@${DOMAIN}`,
    callIdFormat: `live-${tag}-%u@%s`,
    timeoutMs: 20_000,
    traceMessages: true,
  });
  return { callId: `live-${tag}-1@127.0.0.1`, result };
}

/** The tenant's live calls (GET …/calls/active with `token`). */
async function activeCalls(token: string, tenantId = tenant.tenantId): Promise<{ status: number; items: LiveCall[] }> {
  const res = await server.api(`/api/v1/tenants/${tenantId}/calls/active`, token);
  return { status: res.status, items: res.status === 200 ? (res.body as { items: LiveCall[] }).items : [] };
}

/** Polls the live calls until the call with `callId` is in `state` (at most 10 s). */
async function liveCallIn(callId: string, state: 'ringing' | 'answered'): Promise<LiveCall> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const { status, items } = await activeCalls(operator);
    assert.equal(status, 200);
    const found = items.find((c) => c.callId === callId);
    if (found?.state === state) return found;
    if (Date.now() > deadline) assert.fail(`call ${callId} not ${state}: ${JSON.stringify(items)}\n${server.output.slice(-3000)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Polls the live calls until the call with `callId` is answered. */
function answeredCall(callId: string): Promise<LiveCall> {
  return liveCallIn(callId, 'answered');
}

/** The call history record with the caller's Call-ID (polled for up to 3 s). */
async function callRecord(callId: string): Promise<{ endedBy: string; endReason: string; disposition: string; id: string }> {
  const deadline = Date.now() + 3000;
  for (;;) {
    const res = await server.api(`/api/v1/tenants/${tenant.tenantId}/calls?limit=100`, operator);
    const found = (res.body as { items: { callId: string; endedBy: string; endReason: string; disposition: string; id: string }[] }).items.find(
      (c) => c.callId === callId,
    );
    if (found) return found;
    if (Date.now() > deadline) assert.fail(`no record of ${callId}: ${JSON.stringify(res.body)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Asserts that a sipp run completed its one call: for these scenarios that means it received the PBX's BYE. */
function assertGotBye(r: SippResult, who: string): void {
  assert.equal(r.exitCode, 0, `${who}: exit ${String(r.exitCode)}\n${r.errors}\n${r.messages.slice(-3000)}\n--- centrala\n${server.output.slice(-3000)}`);
  assert.equal(r.successful, 1, `${who}: successful calls`);
  assert.equal(tracedWith(r.messages, 'received', 'BYE').length, 1, `${who}: no BYE received`);
}

/** Runs `centrala <args>` in-process against the server's data dir and HTTP port. */
async function cli(args: string[], env: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const io: CliIo = { stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t), env, cwd: dataDir };
  const code = await runCli(args, io);
  return { code, stdout, stderr };
}

/** The server's log as parsed JSON lines (every line must parse). */
function logLines(): Record<string, unknown>[] {
  return server.output
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

describe('live calls (sipp)', () => {
  before(async () => {
    dataDir = tempDataDir();
    tenant = await seedTenant(dataDir, DOMAIN, ['300', '301', '302', '303', '304', '305'].map((number) => ({ number, password: PASSWORD })));
    const other = await seedTenant(dataDir, OTHER_DOMAIN, [{ number: '300', password: PASSWORD }]);
    ({ operator, tenant: tenantToken, other: otherToken } = await tokens(dataDir, tenant.tenantId, other.tenantId));
    server = await startCentrala({ dataDir, env: { CENTRALA_LOG_LEVEL: 'info' }, extraArgs: ['--log-format', 'json'] });
  });

  after(async () => {
    await server?.stop();
  });

  it('GET …/calls/active lists an answered call with its parties, times, codecs and relay ports; DELETE hangs it up with BYE to both phones', async () => {
    const callee = await answeringDevice('301');
    const caller = callUntilBye('301');
    const live = await answeredCall(caller.callId);
    assert.equal(live.callerNumber, CALLER);
    assert.equal(live.callee, '301');
    assert.equal(live.answeredBy, '301');
    assert.ok(Date.parse(live.startedAt) <= Date.parse(live.answeredAt ?? ''), JSON.stringify(live));
    assert.deepEqual(live.codecs, ['PCMU']);
    for (const leg of [live.media.caller, live.media.callee]) {
      assert.equal(leg.relayAddress, '127.0.0.1');
      assert.ok(leg.relayPort >= 20000 && leg.relayPort <= 29999, JSON.stringify(leg));
    }
    assert.notEqual(live.media.caller.relayPort, live.media.callee.relayPort);
    // The callee's relay port is the one in the SDP of the INVITE it received.
    const invite = tracedWith(callee.trace(), 'received', 'INVITE')[0]?.text ?? '';
    assert.match(invite, new RegExp(`^m=audio ${live.media.callee.relayPort} `, 'm'));

    // Another tenant neither sees nor can hang up this call.
    assert.deepEqual((await activeCalls(otherToken)).items, []);
    const foreign = await server.api(`/api/v1/tenants/${tenant.tenantId}/calls/active/${live.id}`, otherToken, { method: 'DELETE' });
    assert.equal(foreign.status, 404);
    assert.equal((await activeCalls(otherToken, tenant.tenantId)).status, 404);

    const hangup = await server.api(`/api/v1/tenants/${tenant.tenantId}/calls/active/${live.id}`, tenantToken, { method: 'DELETE' });
    assert.equal(hangup.status, 204, JSON.stringify(hangup.body));
    assertGotBye(await caller.result, 'caller');
    assertGotBye(await callee.result, 'callee');
    const bye = tracedWith((await callee.result).messages, 'received', 'BYE')[0]?.text ?? '';
    assert.match(bye, /^Reason: SIP;cause=200;text="hung up by the tenant's admin"/m);
    assert.deepEqual((await activeCalls(tenantToken)).items, []);

    const record = await callRecord(caller.callId);
    assert.equal(record.id, live.id);
    assert.equal(record.disposition, 'answered');
    assert.equal(record.endedBy, 'admin');
    const again = await server.api(`/api/v1/tenants/${tenant.tenantId}/calls/active/${live.id}`, operator, { method: 'DELETE' });
    assert.equal(again.status, 404);
    assert.equal((again.body as { error: { code: string } }).error.code, 'LIVE_CALL_NOT_FOUND');
  });

  it('DELETE on a call that still rings: the caller gets 480, the ringing device CANCEL, the record names the operator', async () => {
    const port = await registerSippDevice({ serverPort: server.ports.sip, user: { user: '305', domain: DOMAIN, password: PASSWORD } });
    const ringing = await startSipp({ scenario: 'call-uas-ring.xml', users: [], localPort: port, timeoutMs: 20_000, traceMessages: true });
    const caller = callUntilBye('305', 'call-uac-rejected-480.xml');
    const live = await liveCallIn(caller.callId, 'ringing');
    assert.equal(live.answeredBy, null);
    assert.equal(live.answeredAt, null);
    assert.equal(live.durationSeconds, 0);
    const hangup = await server.api(`/api/v1/tenants/${tenant.tenantId}/calls/active/${live.id}`, operator, { method: 'DELETE' });
    assert.equal(hangup.status, 204, JSON.stringify(hangup.body));
    const callerResult = await caller.result;
    assert.equal(callerResult.exitCode, 0, `caller: ${callerResult.errors}\n${callerResult.messages.slice(-2000)}`);
    const deviceResult = await ringing.result;
    assert.equal(deviceResult.exitCode, 0, `device: ${deviceResult.errors}`);
    assert.equal(tracedWith(deviceResult.messages, 'received', 'CANCEL').length, 1);
    const record = await callRecord(caller.callId);
    assert.equal(record.endedBy, 'operator');
    assert.equal(record.endReason, '480 hung up by the operator');
  });

  it('centrala call active / call hangup reach the running server: the table lists the call, hangup ends it, the minted token is revoked', async () => {
    const callee = await answeringDevice('302');
    const caller = callUntilBye('302');
    const live = await answeredCall(caller.callId);
    const common = ['--data-dir', dataDir, '--http-port', String(server.ports.http)];

    const listed = await cli(['call', 'active', DOMAIN, ...common]);
    assert.equal(listed.code, 0, listed.stderr);
    const row = listed.stdout.split('\n').find((l) => l.startsWith(live.id));
    assert.ok(row, listed.stdout);
    assert.match(row, /answered\s+300\s+302\s+302\s+\d+\s+PCMU/);
    const json = await cli(['call', 'active', DOMAIN, '--json', ...common]);
    assert.deepEqual(
      (JSON.parse(json.stdout) as LiveCall[]).map((c) => c.id),
      [live.id],
    );

    const hung = await cli(['call', 'hangup', DOMAIN, live.id, ...common]);
    assert.equal(hung.code, 0, hung.stderr);
    assert.equal(hung.stdout, `hung up call ${live.id}\n`);
    assertGotBye(await caller.result, 'caller');
    assertGotBye(await callee.result, 'callee');
    assert.equal((await callRecord(caller.callId)).endedBy, 'operator');

    const missing = await cli(['call', 'hangup', DOMAIN, live.id, ...common]);
    assert.equal(missing.code, 1);
    assert.equal(missing.stderr, 'centrala: LIVE_CALL_NOT_FOUND: No such call in progress.\n');
    // CENTRALA_TOKEN is used as given (a tenant token of another tenant sees nothing of this one).
    const foreign = await cli(['call', 'active', DOMAIN, ...common], { CENTRALA_TOKEN: otherToken });
    assert.equal(foreign.code, 1);
    assert.match(foreign.stderr, /^centrala: TENANT_NOT_FOUND/);

    const opened = await openServices({ dataDir });
    try {
      const rows = await opened.db.kysely.selectFrom('api_tokens').select(['revoked_at']).where('label', '=', 'centrala CLI (temporary)').execute();
      assert.equal(rows.length, 4, 'one token per command without CENTRALA_TOKEN');
      assert.ok(rows.every((r) => r.revoked_at !== null), 'a minted token was left valid');
    } finally {
      await opened.close();
    }
  });

  it('centrala call active says in one line that no server answers', async () => {
    const port = await freePort();
    const r = await cli(['call', 'active', DOMAIN, '--data-dir', dataDir, '--http-port', String(port)]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, new RegExp(`^centrala: no Centrala server answers at http://127\\.0\\.0\\.1:${port} \\(--http-host 0\\.0\\.0\\.0 --http-port ${port}\\): .+\\n$`));
  });

  it('logs registrations, unregistrations and calls at info as JSON lines with ISO times, tenant and extension, and no credentials', async () => {
    const unregistered = await runSipp({ scenario: 'unregister.xml', host: '127.0.0.1', port: server.ports.sip, users: [{ user: '304', domain: DOMAIN, password: PASSWORD }] });
    assert.equal(unregistered.exitCode, 0, unregistered.errors);
    const callee = await answeringDevice('303');
    const caller = callUntilBye('303');
    const live = await answeredCall(caller.callId);
    assert.equal((await server.api(`/api/v1/tenants/${tenant.tenantId}/calls/active/${live.id}`, operator, { method: 'DELETE' })).status, 204);
    await caller.result;
    await callee.result;
    await callRecord(caller.callId);

    const lines = logLines();
    for (const line of lines) {
      assert.match(String(line.time), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/, JSON.stringify(line));
      assert.match(String(line.level), /^(trace|debug|info|warn|error|fatal)$/, JSON.stringify(line));
    }
    const find = (msg: string, match: Record<string, unknown>): Record<string, unknown> => {
      const found = lines.find((l) => l.msg === msg && Object.entries(match).every(([k, v]) => l[k] === v));
      assert.ok(found, `no "${msg}" line with ${JSON.stringify(match)} in:\n${server.output.slice(-4000)}`);
      assert.equal(found.level, 'info');
      return found;
    };
    const registered = find('registered', { tenant: DOMAIN, extension: '304' });
    assert.equal(registered.userAgent, 'sipp');
    assert.equal(registered.transport, 'udp');
    assert.match(String(registered.source), /^127\.0\.0\.1:\d+$/);
    assert.equal(registered.expires, 3600);
    assert.match(String(find('unregistered', { tenant: DOMAIN, extension: '304' }).source), /^127\.0\.0\.1:\d+$/);
    find('registered', { tenant: DOMAIN, extension: '303' });
    const started = find('call started', { callId: caller.callId });
    assert.deepEqual(
      { tenant: started.tenant, caller: started.caller, callee: started.callee, call: started.call, transport: started.transport, userAgent: started.userAgent },
      { tenant: DOMAIN, caller: CALLER, callee: '303', call: live.id, transport: 'udp', userAgent: 'sipp' },
    );
    const ended = find('call ended', { callId: caller.callId });
    assert.deepEqual(
      { tenant: ended.tenant, caller: ended.caller, callee: ended.callee, answeredBy: ended.answeredBy, disposition: ended.disposition, endedBy: ended.endedBy },
      { tenant: DOMAIN, caller: CALLER, callee: '303', answeredBy: '303', disposition: 'answered', endedBy: 'operator' },
    );
    assert.equal(typeof ended.durationSeconds, 'number');

    assert.ok(!server.output.includes(PASSWORD), 'a password was logged');
    assert.doesNotMatch(server.output, /Digest |response=|Authorization/i, 'a digest or an Authorization header was logged');
  });
});
