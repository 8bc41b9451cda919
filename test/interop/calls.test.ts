/**
 * Calls between extensions through a RUNNING Centrala, driven by sipp 3.6.1 (UDP). Callers authenticate their
 * INVITE through 407 (MD5 digest). A callee device is a sipp that registers (register-auth.xml, with auth) from a
 * fixed local port and then runs a server-mode scenario on that same port, so the PBX's INVITE reaches it.
 * Every extension is used by one test only (a finished sipp leaves its binding behind). Each test checks the sipp
 * exit codes and counters, what the devices received (From, Diversion, History-Info, SDP) and the call history
 * record (disposition) of the call.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { registerSippDevice, runSipp, startSipp, tracedWith, type RunningSipp, type SippResult } from '../support/sipp.js';
import {
  operatorToken,
  seedTenant,
  startCentrala,
  tempDataDir,
  type CentralaProcess,
  type SeedExtension,
  type SeededTenant,
} from '../support/centrala-process.js';
import { headerValues } from '../support/sip-udp-client.js';

const DOMAIN = 'calls.test';
const PASSWORD = 'Calls4Interop9xyz';
/** The two callers (extensions that only place calls; they need no registration). */
const CALLER = '200';
const SECOND_CALLER = '209';

/** Every extension of the file with the settings its test needs (ring time 5 s is the shortest allowed). */
const EXTENSIONS: readonly SeedExtension[] = [
  { number: CALLER, password: PASSWORD, name: 'Anna Caller' },
  { number: SECOND_CALLER, password: PASSWORD, name: 'Bartek Caller' },
  // basic calls
  { number: '211', password: PASSWORD },
  { number: '212', password: PASSWORD },
  { number: '213', password: PASSWORD },
  { number: '214', password: PASSWORD },
  { number: '215', password: PASSWORD },
  // ring time, no answer, return after
  { number: '221', password: PASSWORD, ringTimeSeconds: 5 },
  { number: '222', password: PASSWORD, ringTimeSeconds: 5, forwarding: { noAnswer: '223', returnAfterSeconds: 5 } },
  { number: '223', password: PASSWORD },
  // busy and call waiting
  { number: '231', password: PASSWORD, callWaiting: false },
  { number: '232', password: PASSWORD, callWaiting: false, forwarding: { busy: '233' } },
  { number: '233', password: PASSWORD },
  { number: '234', password: PASSWORD, callWaiting: true },
  // unavailable
  { number: '241', password: PASSWORD },
  { number: '242', password: PASSWORD, forwarding: { unavailable: '243' } },
  { number: '243', password: PASSWORD },
  // forwarding loop 251 → 252 → 251
  { number: '251', password: PASSWORD, ringTimeSeconds: 5, forwarding: { noAnswer: '252' } },
  { number: '252', password: PASSWORD, forwarding: { unavailable: '251' } },
];

/** What the call history API returns for one call (the fields these tests look at). */
interface CallRecord {
  callId: string;
  callerNumber: string;
  callee: string;
  answeredBy: string | null;
  disposition: string;
  endedBy: string;
  endStatus: number;
  legs: { target: string; answered: boolean; finalStatus: number | null }[];
  hops: { from: string; to: string; reason: string }[];
}

/** A caller's sipp run with the Call-ID it used. */
interface CallRun extends SippResult {
  readonly callId: string;
}

let server: CentralaProcess;
let tenant: SeededTenant;
let apiToken: string;

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** sipp's errors plus the tail of Centrala's log, for assertion messages. */
function explain(...runs: SippResult[]): string {
  const sipp = runs.map((r) => `--- sipp exit ${String(r.exitCode)}\n${r.stderr}${r.errors}\n--- messages (tail)\n${r.messages.slice(-4000)}`).join('\n');
  return `${sipp}\n--- centrala (tail)\n${server.output.slice(-3000)}`;
}

/** A registered device of `number` running `scenario` in server mode for `calls` calls. */
async function device(number: string, scenario: string, opts: { calls?: number; pauseMs?: number; timeoutMs?: number } = {}): Promise<RunningSipp> {
  const port = await registerSippDevice({ serverPort: server.ports.sip, user: { user: number, domain: DOMAIN, password: PASSWORD } });
  return startSipp({
    scenario,
    users: [],
    localPort: port,
    calls: opts.calls ?? 1,
    pauseMs: opts.pauseMs,
    timeoutMs: opts.timeoutMs ?? 20_000,
    traceMessages: true,
  });
}

/** Places one call from `caller` to `callee` with a caller scenario. */
async function call(scenario: string, callee: string, opts: { caller?: string; pauseMs?: number; timeoutMs?: number } = {}): Promise<CallRun> {
  const tag = randomBytes(6).toString('hex');
  const r = await runSipp({
    scenario,
    host: '127.0.0.1',
    port: server.ports.sip,
    users: [{ user: opts.caller ?? CALLER, domain: DOMAIN, password: PASSWORD }],
    keys: { callee },
    authUri: `${callee}@${DOMAIN}`,
    callIdFormat: `call-${tag}-%u@%s`,
    pauseMs: opts.pauseMs,
    timeoutMs: opts.timeoutMs ?? 20_000,
    traceMessages: true,
  });
  return { ...r, callId: `call-${tag}-1@127.0.0.1` };
}

/** The call history record of the caller's Call-ID (written when the call ends; polled for up to 3 s). */
async function callRecord(callId: string, extension: string): Promise<CallRecord> {
  const deadline = Date.now() + 3000;
  for (;;) {
    const res = await server.api(`/api/v1/tenants/${tenant.tenantId}/calls?extension=${extension}&limit=100`, apiToken);
    assert.equal(res.status, 200, `GET calls: ${JSON.stringify(res.body)}`);
    const found = (res.body as { items: CallRecord[] }).items.find((c) => c.callId === callId);
    if (found) return found;
    if (Date.now() > deadline) assert.fail(`no call record for ${callId} (extension ${extension}): ${JSON.stringify(res.body)}`);
    await sleep(100);
  }
}

/** Asserts a sipp run completed its one call (exit 0, one successful call, none failed). */
function assertCompleted(r: SippResult, what: string, calls = 1): void {
  assert.equal(r.exitCode, 0, `${what}: ${explain(r)}`);
  assert.equal(r.successful, calls, `${what}: successful calls\n${explain(r)}`);
  assert.equal(r.failed, 0, `${what}: failed calls\n${explain(r)}`);
}

/** The INVITEs a device received (the first is the initial one). */
function invitesReceived(r: SippResult): string[] {
  return tracedWith(r.messages, 'received', 'INVITE').map((m) => m.text);
}

/** Milliseconds from the authenticated INVITE the caller sent to the final response `status` it received. */
function setupTime(r: SippResult, status: number): number {
  const invites = tracedWith(r.messages, 'sent', 'INVITE');
  const authed = invites.find((m) => /Proxy-Authorization:/i.test(m.text));
  const final = tracedWith(r.messages, 'received', status)[0];
  assert.ok(authed && final, `no authenticated INVITE / ${status} in the caller's trace\n${r.messages.slice(-3000)}`);
  return final.at - authed.at;
}

function sdpConnection(message: string): { address: string; port: number } {
  const address = /^c=IN IP4 (\S+)/m.exec(message)?.[1] ?? '';
  const port = Number(/^m=audio (\d+)/m.exec(message)?.[1] ?? NaN);
  return { address, port };
}

describe('calls between extensions (sipp)', () => {
  before(async () => {
    const dataDir = tempDataDir();
    tenant = await seedTenant(dataDir, DOMAIN, EXTENSIONS);
    apiToken = await operatorToken(dataDir);
    server = await startCentrala({ dataDir });
  });

  after(async () => {
    await server?.stop();
  });

  describe('answer, hang up, cancel, hold', () => {
    it('the callee answers and the caller hangs up: one INVITE per device with the caller identity and relay SDP', async () => {
      const callee = await device('211', 'call-uas-answer.xml');
      const caller = await call('call-uac-caller-hangs-up.xml', '211', { pauseMs: 500 });
      const dev = await callee.result;
      assertCompleted(caller, 'caller');
      assertCompleted(dev, 'callee device');

      const [invite] = invitesReceived(dev);
      assert.ok(invite !== undefined, 'the device got no INVITE');
      assert.match(headerValues(invite, 'From')[0] ?? '', /^"Anna Caller" <sip:200@calls\.test>;tag=/);
      assert.match(headerValues(invite, 'To')[0] ?? '', /<sip:211@calls\.test>/);
      // Both legs' SDP point to the relay on 127.0.0.1, not to the other device.
      const offerToCallee = sdpConnection(invite);
      const callerOffer = sdpConnection(tracedWith(caller.messages, 'sent', 'INVITE')[0]?.text ?? '');
      assert.equal(offerToCallee.address, '127.0.0.1');
      assert.notEqual(offerToCallee.port, callerOffer.port, 'the callee was offered the caller media port: no relay');
      const answer = tracedWith(caller.messages, 'received', 200)[0]?.text ?? '';
      assert.equal(sdpConnection(answer).address, '127.0.0.1');
      assert.notEqual(sdpConnection(answer).port, sdpConnection(tracedWith(dev.messages, 'sent', 200)[0]?.text ?? '').port);
      // The BYE reached the device.
      assert.equal(tracedWith(dev.messages, 'received', 'BYE').length, 1);

      const record = await callRecord(caller.callId, '211');
      assert.equal(record.disposition, 'answered');
      assert.equal(record.endedBy, 'caller');
      assert.equal(record.answeredBy, '211');
      assert.equal(record.callerNumber, CALLER);
    });

    it('the callee hangs up: the caller gets the BYE', async () => {
      const callee = await device('212', 'call-uas-hangs-up.xml', { pauseMs: 500 });
      const caller = await call('call-uac-callee-hangs-up.xml', '212');
      const dev = await callee.result;
      assertCompleted(caller, 'caller');
      assertCompleted(dev, 'callee device');
      const record = await callRecord(caller.callId, '212');
      assert.equal(record.disposition, 'answered');
      assert.equal(record.endedBy, 'callee');
    });

    it('CANCEL before the answer: 200 and 487 to the caller, the ringing device gets CANCEL', async () => {
      const callee = await device('213', 'call-uas-ring.xml');
      const caller = await call('call-uac-cancel.xml', '213', { pauseMs: 300 });
      const dev = await callee.result;
      assertCompleted(caller, 'caller');
      assertCompleted(dev, 'callee device');
      assert.equal(tracedWith(dev.messages, 'received', 'CANCEL').length, 1);
      const record = await callRecord(caller.callId, '213');
      assert.equal(record.disposition, 'cancelled');
      assert.equal(record.endedBy, 'caller');
    });

    it('hold and resume: re-INVITEs (a=sendonly, then a=sendrecv) are relayed and answered', async () => {
      const callee = await device('214', 'call-uas-answer.xml');
      const caller = await call('call-uac-hold-resume.xml', '214');
      const dev = await callee.result;
      assertCompleted(caller, 'caller');
      assertCompleted(dev, 'callee device');
      const invites = invitesReceived(dev);
      assert.equal(invites.length, 3, 'the device should get the INVITE, the hold and the resume re-INVITE');
      assert.match(invites[1] ?? '', /^a=sendonly/m);
      assert.doesNotMatch(invites[2] ?? '', /^a=(sendonly|recvonly|inactive)/m);
      // The answer to the hold came back to the caller as recvonly (or inactive); the resume answer is not on hold.
      const answers = tracedWith(caller.messages, 'received', 200).filter((m) => /^CSeq: \d+ INVITE/m.test(m.text));
      assert.match(answers[1]?.text ?? '', /^a=(recvonly|inactive)/m);
      assert.doesNotMatch(answers[2]?.text ?? '', /^a=(sendonly|recvonly|inactive)/m);
      const record = await callRecord(caller.callId, '214');
      assert.equal(record.disposition, 'answered');
    });

    it('two devices on one extension both ring; the first to answer wins and the other gets CANCEL', async () => {
      const answering = await device('215', 'call-uas-answer.xml');
      const ringing = await device('215', 'call-uas-ring.xml');
      assert.notEqual(answering.port, ringing.port);
      const caller = await call('call-uac-caller-hangs-up.xml', '215', { pauseMs: 500 });
      const [won, lost] = await Promise.all([answering.result, ringing.result]);
      assertCompleted(caller, 'caller');
      assertCompleted(won, 'answering device');
      assertCompleted(lost, 'ringing device');
      assert.equal(invitesReceived(lost).length, 1);
      assert.equal(tracedWith(lost.messages, 'received', 'CANCEL').length, 1);
      const record = await callRecord(caller.callId, '215');
      assert.equal(record.disposition, 'answered');
      assert.equal(record.legs.length, 2, JSON.stringify(record.legs));
      assert.deepEqual(record.legs.map((l) => l.answered).sort(), [false, true]);
      assert.equal(record.legs.find((l) => !l.answered)?.finalStatus, 487);
    });
  });

  describe('ring time and no answer', () => {
    it('ring time 5 s without a no-answer rule: the device is cancelled and the caller gets 480 after about 5 s', async () => {
      const callee = await device('221', 'call-uas-ring.xml');
      const caller = await call('call-uac-rejected-480.xml', '221');
      const dev = await callee.result;
      assertCompleted(caller, 'caller');
      assertCompleted(dev, 'callee device');
      const ms = setupTime(caller, 480);
      assert.ok(ms >= 4800 && ms < 7000, `480 after ${ms} ms, expected about 5000`);
      const record = await callRecord(caller.callId, '221');
      assert.equal(record.disposition, 'no-answer');
    });

    it('no answer forwards to another extension (Diversion, History-Info); return after 5 s ends the call with 480', async () => {
      const first = await device('222', 'call-uas-ring.xml');
      const target = await device('223', 'call-uas-ring.xml');
      const caller = await call('call-uac-rejected-480.xml', '222', { timeoutMs: 25_000 });
      const [firstDev, targetDev] = await Promise.all([first.result, target.result]);
      assertCompleted(caller, 'caller');
      assertCompleted(firstDev, 'first device');
      assertCompleted(targetDev, 'forward target device');
      const ms = setupTime(caller, 480);
      assert.ok(ms >= 9600 && ms < 13_000, `480 after ${ms} ms, expected about 10000 (ring 5 s + return after 5 s)`);

      const [invite] = invitesReceived(targetDev);
      assert.ok(invite !== undefined);
      assert.match(headerValues(invite, 'Diversion').join(','), /<sip:222@calls\.test>;reason=no-answer/);
      const history = headerValues(invite, 'History-Info').join(',');
      assert.match(history, /<sip:222@calls\.test[^>]*>;index=1\b/);
      assert.match(history, /<sip:223@calls\.test[^>]*>;index=1\.1/);
      assert.match(headerValues(invite, 'From')[0] ?? '', /sip:200@calls\.test/, 'the forward keeps the caller identity');

      const record = await callRecord(caller.callId, '222');
      assert.equal(record.disposition, 'no-answer');
      assert.deepEqual(record.hops.map((h) => [h.from, h.to, h.reason]).slice(0, 1), [['222', '223', 'noAnswer']]);
    });
  });

  describe('busy and call waiting', () => {
    /** Puts `dev` (a device of `number`) on an answered call from CALLER lasting `holdMs`; resolves once it is answered. */
    async function busyWith(dev: RunningSipp, number: string, holdMs: number): Promise<{ first: Promise<CallRun> }> {
      const first = call('call-uac-caller-hangs-up.xml', number, { pauseMs: holdMs });
      const deadline = Date.now() + 5000;
      // Answered: the device sent its 200 and got the ACK.
      while (tracedWith(dev.trace(), 'received', 'ACK').length === 0) {
        if (Date.now() > deadline) assert.fail(`the first call to ${number} was not answered within 5 s\n${explain(await first)}`);
        await sleep(50);
      }
      return { first };
    }

    it('call waiting off: a second caller gets 486 Busy Here while the extension is on a call', async () => {
      const callee = await device('231', 'call-uas-answer.xml');
      const { first } = await busyWith(callee, '231', 2500);
      const second = await call('call-uac-rejected-486.xml', '231', { caller: SECOND_CALLER });
      const [firstCall, dev] = await Promise.all([first, callee.result]);
      assertCompleted(second, 'second caller');
      assertCompleted(firstCall, 'first caller');
      assertCompleted(dev, 'callee device');
      assert.equal(invitesReceived(dev).length, 1, 'the busy extension must not ring');
      assert.equal((await callRecord(second.callId, '231')).disposition, 'busy');
      assert.equal((await callRecord(firstCall.callId, '231')).disposition, 'answered');
    });

    it('call waiting off with a busy rule: the second call rings the busy-forward target (Diversion user-busy)', async () => {
      const callee = await device('232', 'call-uas-answer.xml');
      const target = await device('233', 'call-uas-answer.xml');
      const { first } = await busyWith(callee, '232', 3000);
      const second = await call('call-uac-caller-hangs-up.xml', '232', { caller: SECOND_CALLER, pauseMs: 300 });
      const [firstCall, dev, targetDev] = await Promise.all([first, callee.result, target.result]);
      assertCompleted(second, 'second caller');
      assertCompleted(firstCall, 'first caller');
      assertCompleted(dev, 'busy device');
      assertCompleted(targetDev, 'busy-forward target device');
      assert.equal(invitesReceived(dev).length, 1, 'the busy extension must not ring');
      const [invite] = invitesReceived(targetDev);
      assert.match(headerValues(invite ?? '', 'Diversion').join(','), /<sip:232@calls\.test>;reason=user-busy/);
      const record = await callRecord(second.callId, '232');
      assert.equal(record.disposition, 'answered');
      assert.equal(record.answeredBy, '233');
      assert.deepEqual(record.hops.map((h) => [h.from, h.to, h.reason]), [['232', '233', 'busy']]);
    });

    it('call waiting on: a second call rings the extension that is on a call', async () => {
      const callee = await device('234', 'call-uas-answer.xml', { calls: 2 });
      const { first } = await busyWith(callee, '234', 2500);
      const second = await call('call-uac-cancel.xml', '234', { caller: SECOND_CALLER, pauseMs: 300 });
      const [firstCall, dev] = await Promise.all([first, callee.result]);
      assertCompleted(second, 'second caller (rang, then cancelled)');
      assertCompleted(firstCall, 'first caller');
      assertCompleted(dev, 'callee device', 2);
      assert.equal(invitesReceived(dev).length, 2, 'the second call must ring the device');
      assert.equal(tracedWith(dev.messages, 'received', 'CANCEL').length, 1);
      assert.equal((await callRecord(second.callId, '234')).disposition, 'cancelled');
    });
  });

  describe('unavailable', () => {
    it('no registered device: 480 at once', async () => {
      const caller = await call('call-uac-rejected-480.xml', '241');
      assertCompleted(caller, 'caller');
      assert.ok(setupTime(caller, 480) < 2000, 'unavailable applies at once, without ringing');
      assert.equal((await callRecord(caller.callId, '241')).disposition, 'unavailable');
    });

    it('the unavailable rule forwards to another extension, which rings with Diversion and History-Info and answers', async () => {
      const target = await device('243', 'call-uas-answer.xml');
      const caller = await call('call-uac-caller-hangs-up.xml', '242', { pauseMs: 300 });
      const dev = await target.result;
      assertCompleted(caller, 'caller');
      assertCompleted(dev, 'forward target device');
      const [invite] = invitesReceived(dev);
      assert.ok(invite !== undefined);
      assert.match(headerValues(invite, 'Diversion').join(','), /<sip:242@calls\.test>;reason=unavailable/);
      const history = headerValues(invite, 'History-Info').join(',');
      assert.match(history, /<sip:242@calls\.test[^>]*>;index=1\b/);
      assert.match(history, /<sip:243@calls\.test[^>]*>;index=1\.1/);
      const record = await callRecord(caller.callId, '242');
      assert.equal(record.disposition, 'answered');
      assert.equal(record.answeredBy, '243');
      assert.deepEqual(record.hops.map((h) => [h.from, h.to, h.reason]), [['242', '243', 'unavailable']]);
    });
  });

  describe('forwarding loop', () => {
    it('251 → 252 → 251 is refused: 251 rings once, then the default handling ends the call with 480', async () => {
      const callee = await device('251', 'call-uas-ring.xml');
      const caller = await call('call-uac-rejected-480.xml', '251');
      const dev = await callee.result;
      assertCompleted(caller, 'caller');
      assertCompleted(dev, 'device of 251');
      assert.equal(invitesReceived(dev).length, 1, '251 must ring once only');
      const ms = setupTime(caller, 480);
      assert.ok(ms >= 4800 && ms < 7000, `480 after ${ms} ms, expected about 5000 (one ring time)`);
      const record = await callRecord(caller.callId, '251');
      // The forward 252 → 251 is refused, so 252's own default handling (unavailable: 480) ends the call.
      assert.deepEqual(record.hops.map((h) => [h.from, h.to, h.reason]), [['251', '252', 'noAnswer']]);
      assert.equal(record.disposition, 'unavailable');
      assert.equal(record.endStatus, 480);
    });
  });
});
