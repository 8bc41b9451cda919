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
import { digestAuthorization, token } from '../support/sip-udp-client.js';
import { headerOf, headersOf, requestText, statusOfText, UdpSipPeer, type SipText } from '../support/sip-tcp-device.js';

const DOMAIN = 'refused.test';
const PASSWORD = 'Refused4Interop9x';

const PCMU = ['v=0', 'o=- 1 1 IN IP4 127.0.0.1', 's=-', 'c=IN IP4 127.0.0.1', 't=0 0', 'm=audio 41000 RTP/AVP 0', 'a=rtpmap:0 PCMU/8000', ''].join('\r\n');
const G729_ONLY = PCMU.replace('RTP/AVP 0', 'RTP/AVP 18').replace('a=rtpmap:0 PCMU/8000', 'a=rtpmap:18 G729/8000');

let server: CentralaProcess;
let tenant: SeededTenant;
let apiToken: string;
let dataDir: string;
let caller: UdpSipPeer;

interface Attempt {
  readonly callId: string;
  readonly final: SipText;
}

/** INVITE from `user` to `dialled`; answers a 407 with digest for `password` (once) and returns the final response. */
async function invite(dialled: string, opts: { user?: string; password?: string; body?: string } = {}): Promise<Attempt> {
  const user = opts.user ?? '100';
  const callId = `refused-${token()}@127.0.0.1`;
  const from = `<sip:${user}@${DOMAIN}>;tag=${token()}`;
  const uri = `sip:${dialled}@${DOMAIN}`;
  const body = opts.body ?? PCMU;
  const send = (cseq: number, branch: string, auth?: string): void =>
    caller.send(
      requestText(
        `INVITE ${uri} SIP/2.0`,
        [
          `Via: SIP/2.0/UDP 127.0.0.1:${caller.port};branch=${branch};rport`,
          'Max-Forwards: 70',
          `From: ${from}`,
          `To: <${uri}>`,
          `Call-ID: ${callId}`,
          `CSeq: ${cseq} INVITE`,
          `Contact: <sip:${user}@127.0.0.1:${caller.port}>`,
          'User-Agent: centrala-interop-peer',
          ...(auth !== undefined ? [`Proxy-Authorization: ${auth}`] : []),
        ],
        body,
        'application/sdp',
      ),
      server.ports.sip,
    );
  const ack = (final: SipText, cseq: number, branch: string): void =>
    caller.send(
      requestText(`ACK ${uri} SIP/2.0`, [
        `Via: SIP/2.0/UDP 127.0.0.1:${caller.port};branch=${branch};rport`,
        'Max-Forwards: 70',
        `From: ${from}`,
        `To: ${headerOf(final, 'To')}`,
        `Call-ID: ${callId}`,
        `CSeq: ${cseq} ACK`,
      ]),
      server.ports.sip,
    );
  const first = `z9hG4bK${token()}`;
  send(1, first);
  const challenged = await caller.inbox.nextFinal(callId, 1, 'INVITE');
  ack(challenged, 1, first);
  if (opts.password === undefined || statusOfText(challenged) !== 407) return { callId, final: challenged };
  const challenge = headersOf(challenged, 'Proxy-Authenticate').find((v) => /algorithm=MD5/i.test(v)) ?? '';
  const second = `z9hG4bK${token()}`;
  send(2, second, digestAuthorization({ challenge, username: user, password: opts.password, method: 'INVITE', uri }));
  const final = await caller.inbox.nextFinal(callId, 2, 'INVITE');
  ack(final, 2, second);
  return { callId, final };
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
