/**
 * Applications against a RUNNING Centrala: baresip 1.0.0 dials the echo test `*43` and hears its own tone back,
 * dials `*44` and its recording holds the 1004 Hz test tone until Centrala hangs up; a hand-written UDP phone
 * with a real RTP socket dials a number that does not exist and gets 183 with SDP and an audible announcement,
 * then 404; and a caller who hangs up mid-app (CANCEL during the announcement, BYE during the echo) ends it
 * cleanly: the live calls are empty and the endpoint's RTP port is free again.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createSocket } from 'node:dgram';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { codec } from '../../src/media/index.js';
import { analyseRecording, writeToneWav } from '../support/audio-tones.js';
import { baresipRecording, startBaresip, type BaresipProcess } from '../support/baresip.js';
import {
  freePort,
  operatorToken,
  seedTenant,
  startCentrala,
  tempDataDir,
  type CentralaProcess,
  type SeededTenant,
} from '../support/centrala-process.js';
import { headerOf, requestText, statusOfText, uriOf, UdpSipPeer, type SipText } from '../support/sip-tcp-device.js';
import { token } from '../support/sip-udp-client.js';
import { ackNon2xx, pcmuSdp, placeCall, sendInvite, type SentInvite } from '../support/udp-caller.js';
import { UdpPeer } from '../support/udp-peer.js';

const DOMAIN = 'apps.test';
const PASSWORD = 'AppsInterop4Echo';
/** The tone the phone sends (far from the 1004 Hz test tone and not a harmonic of it). */
const PHONE_TONE = 440;
const TEST_TONE = 1004;
const RTP_BASE = 31_000 + 300 * Math.floor(Math.random() * 9);
const CENTRALA_PORTS = [RTP_BASE, RTP_BASE + 199] as const;
const PHONE_PORTS = [RTP_BASE + 200, RTP_BASE + 299] as const;

let server: CentralaProcess;
let tenant: SeededTenant;
let operator: string;
let workDir: string;

interface LiveCall {
  callId: string;
  state: string;
  callee: string;
  answeredBy: string | null;
}

async function liveCalls(): Promise<LiveCall[]> {
  const res = await server.api(`/api/v1/tenants/${tenant.tenantId}/calls/active`, operator);
  assert.equal(res.status, 200, JSON.stringify(res.body));
  return (res.body as { items: LiveCall[] }).items;
}

/** Polls until `check` holds for the live calls (at most 5 s). */
async function liveCallsUntil(check: (calls: LiveCall[]) => boolean, what: string): Promise<LiveCall[]> {
  const deadline = Date.now() + 5000;
  for (;;) {
    const calls = await liveCalls();
    if (check(calls)) return calls;
    if (Date.now() > deadline) assert.fail(`${what}: ${JSON.stringify(calls)}\n${server.output.slice(-3000)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

interface CallRecord {
  callId: string;
  callee: string;
  answeredBy: string | null;
  disposition: string;
  endedBy: string;
  endStatus: number;
}

async function recordOf(callId: string): Promise<CallRecord> {
  const deadline = Date.now() + 5000;
  for (;;) {
    const res = await server.api(`/api/v1/tenants/${tenant.tenantId}/calls?limit=200`, operator);
    assert.equal(res.status, 200, JSON.stringify(res.body));
    const found = (res.body as { items: CallRecord[] }).items.find((r) => r.callId === callId);
    if (found) return found;
    if (Date.now() > deadline) assert.fail(`no call record for ${callId}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Whether UDP `port` on 127.0.0.1 can be bound (the endpoint that had it has let it go). */
async function portFree(port: number): Promise<boolean> {
  const socket = createSocket('udp4');
  return new Promise((resolve) => {
    socket.once('error', () => resolve(false));
    socket.bind(port, '127.0.0.1', () => socket.close(() => resolve(true)));
  });
}

/** The RTP port of an SDP body. */
function sdpPort(body: string): number {
  const match = /^m=audio (\d+) /m.exec(body);
  assert.ok(match, `no m=audio line in ${body}`);
  return Number(match[1]);
}

before(async () => {
  const dataDir = tempDataDir();
  tenant = await seedTenant(dataDir, DOMAIN, [{ number: '100', password: PASSWORD }]);
  operator = await operatorToken(dataDir);
  server = await startCentrala({ dataDir, extraArgs: ['--rtp-ports', `${CENTRALA_PORTS[0]}-${CENTRALA_PORTS[1]}`] });
  workDir = mkdtempSync(join(tmpdir(), 'centrala-apps-'));
  writeToneWav(join(workDir, 'tone.wav'), PHONE_TONE, 60_000);
});

after(async () => {
  await server?.stop();
  if (workDir) rmSync(workDir, { recursive: true, force: true });
});

describe('feature codes with baresip', () => {
  /** baresip as extension 100, sending the phone tone and recording what it hears into `recordDir`. */
  async function phone(recordDir: string): Promise<BaresipProcess> {
    mkdirSync(recordDir);
    const p = startBaresip({
      user: '100',
      domain: DOMAIN,
      password: PASSWORD,
      transport: 'udp',
      proxyPort: server.ports.sip,
      audio: { sourceWav: join(workDir, 'tone.wav'), recordDir },
      audioCodecs: ['PCMU'],
      autoAnswer: false,
      rtpPorts: PHONE_PORTS,
      controlPort: await freePort(),
      quitAfterSec: 60,
    });
    await p.ready();
    await p.waitFor(/200 OK \(Centrala\) \[1 binding\]/, 10_000);
    return p;
  }

  it('*43: the phone hears its own tone back after the prompt; hanging up ends the app', async (t) => {
    const recordDir = join(workDir, 'echo');
    const p = await phone(recordDir);
    try {
      const dial = await p.command('dial', `sip:*43@${DOMAIN}`);
      assert.ok(dial.ok, `dial refused: ${dial.data}`);
      await p.waitForEvent('CALL_ESTABLISHED', 10_000, ['CALL_CLOSED']);
      const [live] = await liveCallsUntil((c) => c.length === 1 && c[0]?.state === 'answered', 'the echo test is not a live call');
      assert.equal(live?.answeredBy, 'app:echo');
      assert.equal(live?.callee, '*43');
      // The prompt takes about 3 s; then the echo.
      await new Promise((r) => setTimeout(r, 8000));
      assert.ok((await p.command('hangup')).ok);
      await p.waitForEvent('CALL_CLOSED', 5000);
      await liveCallsUntil((c) => c.length === 0, 'the echo test is still a live call after the hang-up');
      const file = baresipRecording(recordDir, 'dec');
      assert.ok(file, 'baresip recorded nothing');
      const heard = analyseRecording(file, PHONE_TONE, TEST_TONE);
      t.diagnostic(JSON.stringify(heard));
      // Its own tone for most of the echo part (≥ 3 s of about 5), not for the whole call (the prompt comes first).
      const echoedSeconds = heard.heardBlockRatio * heard.seconds;
      assert.ok(echoedSeconds >= 3, `heard its own tone for only ${echoedSeconds.toFixed(1)} s: ${JSON.stringify(heard)}`);
      assert.ok(heard.heardBlockRatio < 0.9, `the prompt was not heard first: ${JSON.stringify(heard)}`);
    } catch (err) {
      if (err instanceof Error) err.message += `\n--- centrala\n${server.output.slice(-4000)}\n--- baresip\n${p.output}`;
      throw err;
    } finally {
      await p.stop();
    }
  });

  it('*44: the recording holds the 1004 Hz test tone, then Centrala hangs up', async (t) => {
    const recordDir = join(workDir, 'clock');
    const p = await phone(recordDir);
    try {
      const dial = await p.command('dial', `sip:*44@${DOMAIN}`);
      assert.ok(dial.ok, `dial refused: ${dial.data}`);
      await p.waitForEvent('CALL_ESTABLISHED', 10_000, ['CALL_CLOSED']);
      // Time (about 3 s) + "this is a test tone" + 4 s of tone, then BYE from Centrala.
      await p.waitForEvent('CALL_CLOSED', 25_000);
      const record = (await liveCallsUntil((c) => c.length === 0, 'the clock is still a live call')).length;
      assert.equal(record, 0);
      const file = baresipRecording(recordDir, 'dec');
      assert.ok(file, 'baresip recorded nothing');
      const heard = analyseRecording(file, TEST_TONE, PHONE_TONE);
      t.diagnostic(JSON.stringify(heard));
      const toneSeconds = heard.heardBlockRatio * heard.seconds;
      assert.ok(toneSeconds >= 3.5 && toneSeconds <= 4.5, `heard the test tone for ${toneSeconds.toFixed(1)} s: ${JSON.stringify(heard)}`);
      assert.ok(heard.ownBlockRatio < 0.02, `the clock echoed the phone: ${JSON.stringify(heard)}`);
    } catch (err) {
      if (err instanceof Error) err.message += `\n--- centrala\n${server.output.slice(-4000)}\n--- baresip\n${p.output}`;
      throw err;
    } finally {
      await p.stop();
    }
  });
});

describe('refusals and hang-ups with a scripted phone', () => {
  let sip: UdpSipPeer;
  let rtp: UdpPeer;
  const account = (): { user: string; domain: string; password: string; serverPort: number } => ({
    user: '100',
    domain: DOMAIN,
    password: PASSWORD,
    serverPort: server.ports.sip,
  });

  before(async () => {
    sip = new UdpSipPeer('phone');
    await sip.open();
    rtp = await UdpPeer.open();
  });

  after(() => {
    sip.close();
    rtp.close();
  });

  function provisional(sent: SentInvite, status: number): Promise<SipText> {
    return sip.inbox.next((m) => statusOfText(m) === status && headerOf(m, 'Call-ID') === sent.callId, `${status} (Call-ID ${sent.callId})`);
  }

  it('an unknown number: 183 with SDP and an audible announcement, then 404', async () => {
    while (rtp.queued > 0) await rtp.next();
    const sent = await sendInvite(sip, account(), '555', pcmuSdp(rtp.port));
    const early = await provisional(sent, 183);
    assert.equal(headerOf(early, 'Content-Type'), 'application/sdp');
    const port = sdpPort(early.body);
    const final = await sip.inbox.nextFinal(sent.callId, sent.cseq, 'INVITE', 10_000);
    ackNon2xx(sip, final, sent.uri, server.ports.sip);
    assert.equal(final.startLine, 'SIP/2.0 404 No Such Extension');
    // What arrived on the phone's RTP socket before the 404: PCMU from the endpoint's port, with speech in it.
    const samples: number[] = [];
    let packets = 0;
    while (rtp.queued > 0) {
      const { data, port: from } = await rtp.next();
      assert.equal(from, port, 'RTP comes from the port the 183 named');
      assert.equal((data[1] ?? 0xff) & 0x7f, 0, 'PCMU payload type');
      packets++;
      for (const b of data.subarray(12)) samples.push(codec.mulawToLinear(b));
    }
    const rms = Math.sqrt(samples.reduce((s, x) => s + x * x, 0) / Math.max(1, samples.length));
    assert.ok(packets >= 50, `only ${packets} RTP packets of announcement`);
    assert.ok(rms > 300, `the announcement is silence (RMS ${rms.toFixed(0)})`);
    const record = await recordOf(sent.callId);
    assert.equal(record.endStatus, 404);
    assert.equal(record.disposition, 'failed');
    assert.ok(await portFree(port), `endpoint port ${port} still bound`);
  });

  it('CANCEL during the announcement: 487, no live call left, the endpoint port free', async () => {
    const sent = await sendInvite(sip, account(), '555', pcmuSdp(rtp.port));
    const early = await provisional(sent, 183);
    const port = sdpPort(early.body);
    sip.send(
      requestText(`CANCEL ${sent.uri} SIP/2.0`, [
        `Via: SIP/2.0/UDP 127.0.0.1:${sip.port};branch=${sent.branch};rport`,
        'Max-Forwards: 70',
        `From: ${sent.from}`,
        `To: <${sent.uri}>`,
        `Call-ID: ${sent.callId}`,
        `CSeq: ${sent.cseq} CANCEL`,
      ]),
      server.ports.sip,
    );
    const final = await sip.inbox.nextFinal(sent.callId, sent.cseq, 'INVITE');
    ackNon2xx(sip, final, sent.uri, server.ports.sip);
    assert.equal(statusOfText(final), 487);
    await liveCallsUntil((c) => c.length === 0, 'the refusal is still a live call after CANCEL');
    assert.ok(await portFree(port), `endpoint port ${port} still bound`);
    const record = await recordOf(sent.callId);
    assert.equal(record.disposition, 'cancelled');
    assert.equal(record.endedBy, 'caller');
  });

  it('BYE during the echo test: 200, no live call left, the endpoint port free, the record answered by app:echo', async () => {
    const placed = await placeCall(sip, account(), '*43', pcmuSdp(rtp.port));
    assert.equal(statusOfText(placed.final), 200, placed.final.startLine);
    const port = sdpPort(placed.final.body);
    await liveCallsUntil((c) => c.some((x) => x.callId === placed.callId && x.answeredBy === 'app:echo'), 'the echo test is not listed');
    sip.send(
      requestText(`BYE ${uriOf(headerOf(placed.final, 'Contact'))} SIP/2.0`, [
        `Via: SIP/2.0/UDP 127.0.0.1:${sip.port};branch=z9hG4bK${token()};rport`,
        'Max-Forwards: 70',
        `From: ${placed.from}`,
        `To: ${headerOf(placed.final, 'To')}`,
        `Call-ID: ${placed.callId}`,
        'CSeq: 3 BYE',
      ]),
      server.ports.sip,
    );
    const ok = await sip.inbox.nextFinal(placed.callId, 3, 'BYE');
    assert.equal(statusOfText(ok), 200);
    await liveCallsUntil((c) => c.length === 0, 'the echo test is still a live call after BYE');
    assert.ok(await portFree(port), `endpoint port ${port} still bound`);
    const record = await recordOf(placed.callId);
    assert.deepEqual(
      { callee: record.callee, answeredBy: record.answeredBy, disposition: record.disposition, endedBy: record.endedBy },
      { callee: '*43', answeredBy: 'app:echo', disposition: 'answered', endedBy: 'caller' },
    );
  });
});
