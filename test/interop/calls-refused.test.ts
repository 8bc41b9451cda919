/**
 * INVITEs the call engine refuses, against a RUNNING Centrala, with a hand-written UDP caller: no credentials or
 * wrong ones (407 again, the same for an unknown user), an unknown number (404), an offer without a common codec
 * (488 with a Warning), and no offer at all (488). Every refusal after authentication leaves a 'failed' call
 * record naming the status; a refusal before it leaves none.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import {
  operatorToken,
  seedTenant,
  startCentrala,
  tempDataDir,
  type CentralaProcess,
  type SeededTenant,
} from '../support/centrala-process.js';
import { headerOf, headersOf, statusOfText, UdpSipPeer } from '../support/sip-tcp-device.js';
import { pcmuSdp, placeCall, type PlacedCall } from '../support/udp-caller.js';

const DOMAIN = 'refused.test';
const PASSWORD = 'Refused4Interop9x';

const PCMU = pcmuSdp(41000);
const G729_ONLY = PCMU.replace('RTP/AVP 0', 'RTP/AVP 18').replace('a=rtpmap:0 PCMU/8000', 'a=rtpmap:18 G729/8000');

let server: CentralaProcess;
let tenant: SeededTenant;
let apiToken: string;
let dataDir: string;
let caller: UdpSipPeer;

/** INVITE from `user` (100 by default) to `dialled`, answering the 407 with `password` when given. */
async function invite(dialled: string, opts: { user?: string; password?: string; body?: string } = {}): Promise<PlacedCall> {
  const account = { user: opts.user ?? '100', domain: DOMAIN, serverPort: server.ports.sip, ...(opts.password !== undefined ? { password: opts.password } : {}) };
  return placeCall(caller, account, dialled, opts.body ?? PCMU);
}

async function records(): Promise<{ callId: string; disposition: string; endStatus: number; endReason: string; callee: string }[]> {
  const res = await server.api(`/api/v1/tenants/${tenant.tenantId}/calls?limit=200`, apiToken);
  assert.equal(res.status, 200, JSON.stringify(res.body));
  return (res.body as { items: { callId: string; disposition: string; endStatus: number; endReason: string; callee: string }[] }).items;
}

async function recordOf(callId: string): Promise<{ disposition: string; endStatus: number; endReason: string; callee: string }> {
  const deadline = Date.now() + 5000;
  for (;;) {
    const found = (await records()).find((r) => r.callId === callId);
    if (found) return found;
    if (Date.now() > deadline) assert.fail(`no call record for ${callId}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('INVITEs the call engine refuses', () => {
  before(async () => {
    dataDir = tempDataDir();
    tenant = await seedTenant(dataDir, DOMAIN, [
      { number: '100', password: PASSWORD },
      { number: '101', password: PASSWORD },
    ]);
    apiToken = await operatorToken(dataDir);
    server = await startCentrala({ dataDir });
    caller = new UdpSipPeer('caller');
    await caller.open();
  });

  after(async () => {
    caller?.close();
    await server?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('without credentials: 407 with an MD5 Proxy-Authenticate challenge for the tenant realm', async () => {
    const { final } = await invite('101');
    assert.equal(statusOfText(final), 407);
    assert.match(headersOf(final, 'Proxy-Authenticate').join('\n'), /realm="refused\.test"/);
  });

  it('a wrong password and an unknown user get the same 407, and leave no call record', async () => {
    const wrong = await invite('101', { password: 'not-the-password-1' });
    const unknown = await invite('101', { user: '199', password: PASSWORD });
    assert.equal(statusOfText(wrong.final), 407);
    assert.equal(statusOfText(unknown.final), 407);
    assert.equal(wrong.final.startLine, unknown.final.startLine);
    const ids = (await records()).map((r) => r.callId);
    assert.ok(!ids.includes(wrong.callId) && !ids.includes(unknown.callId));
  });

  it('an extension that does not exist: 404 and a failed call record', async () => {
    const { callId, final } = await invite('188', { password: PASSWORD });
    assert.equal(statusOfText(final), 404);
    const record = await recordOf(callId);
    assert.deepEqual([record.disposition, record.endStatus, record.callee], ['failed', 404, '188']);
  });

  it('a number outside the dial plan: 404 No Such Number', async () => {
    const { callId, final } = await invite('abc', { password: PASSWORD });
    assert.equal(final.startLine, 'SIP/2.0 404 No Such Number');
    assert.equal((await recordOf(callId)).endReason, '404 No Such Number');
  });

  it('an offer without PCMU or PCMA: 488 with a Warning naming the reason, and a failed record', async () => {
    const { callId, final } = await invite('101', { password: PASSWORD, body: G729_ONLY });
    assert.equal(statusOfText(final), 488);
    assert.match(headerOf(final, 'Warning'), /^399 centrala "/);
    const record = await recordOf(callId);
    assert.deepEqual([record.disposition, record.endStatus], ['failed', 488]);
  });

  it('an INVITE without an offer: 488 SDP Offer Required', async () => {
    const { final } = await invite('101', { password: PASSWORD, body: '' });
    assert.equal(final.startLine, 'SIP/2.0 488 SDP Offer Required');
  });
});
