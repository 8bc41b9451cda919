/**
 * Graceful shutdown of a RUNNING Centrala with calls up: on SIGTERM every leg of every call gets a BYE (ten calls
 * between sipp phones on both sides, one between hand-written UDP phones whose callee never answers the BYE), new
 * INVITEs get 503 with Retry-After meanwhile, the process exits within --shutdown-timeout, and every call's record
 * is written. The server logs with --log-format pretty (readable lines on a pipe too).
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { openServices } from '../../src/services/index.js';
import { registerSippDevice, runSipp, startSipp, tracedWith, type SippResult } from '../support/sipp.js';
import { operatorToken, seedTenant, startCentrala, tempDataDir, type CentralaProcess, type SeededTenant } from '../support/centrala-process.js';
import { headerOf, responseText, statusOfText, UdpSipPeer } from '../support/sip-tcp-device.js';
import { answerNextCall, placeCall, registerPhone } from '../support/udp-caller.js';

const DOMAIN = 'shutdown.test';
const PASSWORD = 'Shutdown4Interop9xyz';
/** Calls between sipp phones. */
const CALLS = 10;
/** --shutdown-timeout of the server, seconds. */
const GRACE_SECONDS = 2;

let server: CentralaProcess;
let tenant: SeededTenant;
let dataDir: string;
let token: string;
const peers: UdpSipPeer[] = [];

async function peer(label: string): Promise<UdpSipPeer> {
  const p = new UdpSipPeer(label);
  await p.open();
  peers.push(p);
  return p;
}

/** Polls GET …/calls/active until `count` calls are answered (at most 15 s). */
async function answeredCalls(count: number): Promise<void> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const res = await server.api(`/api/v1/tenants/${tenant.tenantId}/calls/active`, token);
    const answered = (res.body as { items: { state: string }[] }).items.filter((c) => c.state === 'answered').length;
    if (answered >= count) return;
    if (Date.now() > deadline) assert.fail(`only ${answered} of ${count} calls answered\n${server.output.slice(-3000)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

function explain(r: SippResult): string {
  return `exit ${String(r.exitCode)}, ${r.successful} ok, ${r.failed} failed\n${r.errors.slice(-2000)}\n--- centrala\n${server.output.slice(-3000)}`;
}

describe('graceful shutdown with calls up', () => {
  before(async () => {
    dataDir = tempDataDir();
    tenant = await seedTenant(dataDir, DOMAIN, ['400', '401', '402', '403'].map((number) => ({ number, password: PASSWORD })));
    token = await operatorToken(dataDir);
    server = await startCentrala({ dataDir, extraArgs: ['--shutdown-timeout', String(GRACE_SECONDS), '--log-format', 'pretty'] });
  });

  after(async () => {
    for (const p of peers) p.close();
    await server?.stop();
  });

  it('SIGTERM: BYE on both legs of every call, 503 with Retry-After to new INVITEs meanwhile, exit within the bound, every record written', async () => {
    // Ten calls 400 → 401 between sipp phones (401 has call waiting: one device takes them all); both stay until a BYE.
    const calleePort = await registerSippDevice({ serverPort: server.ports.sip, user: { user: '401', domain: DOMAIN, password: PASSWORD } });
    const callee = await startSipp({ scenario: 'call-uas-answer.xml', users: [], localPort: calleePort, calls: CALLS, timeoutMs: 30_000, traceMessages: true });
    const tag = randomBytes(6).toString('hex');
    const callers = runSipp({
      scenario: 'call-uac-callee-hangs-up.xml',
      host: '127.0.0.1',
      port: server.ports.sip,
      users: [{ user: '400', domain: DOMAIN, password: PASSWORD }],
      keys: { callee: '401' },
      authUri: `401@${DOMAIN}`,
      callIdFormat: `shutdown-${tag}-%u@%s`,
      calls: CALLS,
      limit: CALLS,
      rate: 20,
      timeoutMs: 30_000,
      traceMessages: true,
    });
    // One more call, 403 → 402, whose callee never answers the BYE: the shutdown must not wait for it beyond the bound.
    const account = { domain: DOMAIN, password: PASSWORD, serverPort: server.ports.sip };
    const mute = await peer('402');
    await registerPhone(mute, { ...account, user: '402' });
    const caller = await peer('403');
    const answered = answerNextCall(mute, server.ports.sip, 41002);
    const placed = await placeCall(caller, { ...account, user: '403' }, '402');
    await answered;
    assert.equal(statusOfText(placed.final), 200, placed.final.startLine);
    await answeredCalls(CALLS + 1);

    const pid = server.pid;
    assert.ok(pid !== undefined);
    const signalledAt = Date.now();
    process.kill(pid, 'SIGTERM');

    // Both legs of the UDP call get the BYE; only the caller answers it.
    const muteBye = await mute.inbox.nextRequest('BYE', undefined, 5000);
    assert.match(headerOf(muteBye, 'Reason'), /^SIP;cause=503;text="server shutting down"/);
    const callerBye = await caller.inbox.nextRequest('BYE', placed.callId, 5000);
    caller.send(responseText(callerBye, 200, 'OK'), server.ports.sip);

    // Meanwhile a new INVITE is refused with 503 and Retry-After (the process waits for the mute phone's BYE).
    const prober = await peer('prober');
    const refused = await placeCall(prober, { domain: DOMAIN, serverPort: server.ports.sip, user: '403' }, '401');
    assert.equal(statusOfText(refused.final), 503, refused.final.startLine);
    assert.match(headerOf(refused.final, 'Retry-After'), /^\d+$/);

    const code = await server.exitedCode();
    const elapsed = Date.now() - signalledAt;
    assert.equal(code, 0, server.output.slice(-3000));
    assert.ok(elapsed >= GRACE_SECONDS * 1000 - 200, `exited after ${elapsed} ms: it did not wait for the BYE transactions`);
    assert.ok(elapsed < GRACE_SECONDS * 1000 + 3000, `exited only after ${elapsed} ms`);
    // --log-format pretty: readable lines, not JSON.
    assert.match(server.output, /^\[\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3}\] WARN: not every phone answered the BYE in time; closing anyway \{.*"graceMs":2000/m);
    assert.doesNotMatch(server.output, /^\{"level"/m);

    const callersResult = await callers;
    const calleeResult = await callee.result;
    assert.equal(callersResult.successful, CALLS, `callers: ${explain(callersResult)}`);
    assert.equal(calleeResult.successful, CALLS, `callee: ${explain(calleeResult)}`);
    assert.equal(tracedWith(callersResult.messages, 'received', 'BYE').length, CALLS, 'a caller got no BYE');
    assert.equal(tracedWith(calleeResult.messages, 'received', 'BYE').length, CALLS, 'a callee leg got no BYE');

    const opened = await openServices({ dataDir });
    try {
      const records = (await opened.services.calls.list(tenant.tenantId, { limit: 100 })).items;
      const ours = records.filter((r) => r.callId.startsWith(`shutdown-${tag}-`) || r.callId === placed.callId);
      assert.equal(ours.length, CALLS + 1, JSON.stringify(records.map((r) => r.callId)));
      for (const r of ours) {
        assert.equal(r.disposition, 'answered');
        assert.equal(r.endedBy, 'system');
        assert.equal(r.endReason, 'server shutting down');
      }
    } finally {
      await opened.close();
    }
  });
});
