/**
 * The app runner over a real SIP stack and media engine on 127.0.0.1, driven by a hand-written UDP phone: how an
 * application's call ends (CANCEL in early media, BYE during the echo, the app returning or throwing), that every
 * end closes the endpoint and returns its ports, and the in-dialog requests an app leg answers itself.
 */
import { after, afterEach, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { SystemClock, silentLogger } from '../../lib/index.js';
import { MediaEngine, type PlayResult } from '../../media/index.js';
import { SipStack, TransportLayer, type IncomingRequest } from '../../sip/index.js';
import { headerOf, requestText, responseText, statusOfText, tagOf, uriOf, UdpSipPeer, type SipText } from '../../../test/support/sip-tcp-device.js';
import { token } from '../../../test/support/sip-udp-client.js';
import { ackNon2xx, pcmuSdp } from '../../../test/support/udp-caller.js';
import { callSettings } from '../../../test/support/call-context.js';
import type { CallDetailRecord } from '../ports.js';
import { AppRunner } from './app-runner.js';
import type { AppCall, CallApp } from './call-app.js';
import { echoTest } from './echo-test.js';
import { announcedRefusal } from './refusal.js';

const DOMAIN = 'apps.test';
const CALLER = callSettings('100', { sipDomain: DOMAIN, language: 'en' });
const RTP_BASE = 36_000 + 200 * Math.floor(Math.random() * 10);
const clock = new SystemClock();

/** A SIP stack on 127.0.0.1 whose INVITEs run `nextApp` in an AppRunner. */
interface Server {
  readonly transport: TransportLayer;
  readonly stack: SipStack;
  readonly media: MediaEngine;
  readonly runner: AppRunner;
  readonly port: number;
  close(): Promise<void>;
}

async function startServer(ports: { min: number; max: number }, rtpTimeoutSeconds = 30): Promise<Server> {
  const transport = new TransportLayer({ clock, logger: silentLogger() });
  const stack = new SipStack({ transport, clock, logger: silentLogger() });
  const media = new MediaEngine({ portRange: ports, rtpTimeoutSeconds, clock, logger: silentLogger() });
  const runner = new AppRunner({
    stack,
    media,
    clock,
    logger: silentLogger(),
    writeCdr: (r) => records.push(r),
    // Transfers are tested with the calls they start (src/pbx/calls/transfer.test.ts).
    findExtension: async () => undefined,
    ringExtension: async () => undefined,
  });
  const inDialog = async (ctx: IncomingRequest): Promise<void> => {
    if (!(await runner.inDialog(ctx)) && ctx.request.method !== 'ACK') await ctx.reply(481);
  };
  stack.onRequest('INVITE', async (ctx) => {
    if (ctx.request.to()?.tag !== undefined) return inDialog(ctx);
    runner.run(ctx, CALLER, '*99', 'test', nextApp);
  });
  for (const method of ['ACK', 'BYE', 'INFO', 'UPDATE']) stack.onRequest(method, inDialog);
  await transport.listen({ udp: [{ host: '127.0.0.1', port: 0 }] });
  return {
    transport,
    stack,
    media,
    runner,
    port: transport.boundAddresses()[0]?.port ?? 0,
    close: async () => {
      media.close();
      stack.close();
      await transport.close();
    },
  };
}

let server: Server;
let media: MediaEngine;
let runner: AppRunner;
let phone: UdpSipPeer;
let serverPort: number;
const records: CallDetailRecord[] = [];
/** The app the next INVITE runs. */
let nextApp: CallApp = echoTest;

/** Points the phone's requests and the checks at `s`. */
function use(s: Server): void {
  server = s;
  media = s.media;
  runner = s.runner;
  serverPort = s.port;
}

before(async () => {
  use(await startServer({ min: RTP_BASE, max: RTP_BASE + 99 }));
  phone = new UdpSipPeer('phone');
  await phone.open();
});

after(async () => {
  phone.close();
  await server.close();
});

afterEach(() => {
  records.length = 0;
});

/** An INVITE from the phone, as it was sent. */
interface Invite {
  readonly callId: string;
  readonly branch: string;
  readonly from: string;
  readonly uri: string;
}

function invite(body = pcmuSdp(RTP_BASE + 150)): Invite {
  const inv = { callId: `app-${token()}`, branch: `z9hG4bK${token()}`, from: `<sip:100@${DOMAIN}>;tag=${token()}`, uri: `sip:*99@${DOMAIN}` };
  phone.send(
    requestText(
      `INVITE ${inv.uri} SIP/2.0`,
      [
        `Via: SIP/2.0/UDP 127.0.0.1:${phone.port};branch=${inv.branch};rport`,
        'Max-Forwards: 70',
        `From: ${inv.from}`,
        `To: <${inv.uri}>`,
        `Call-ID: ${inv.callId}`,
        'CSeq: 1 INVITE',
        `Contact: <sip:100@127.0.0.1:${phone.port}>`,
      ],
      body,
    ),
    serverPort,
  );
  return inv;
}

/** A request in the dialog the 200 `ok` set up. */
function inDialog(inv: Invite, ok: SipText, method: string, cseq: number, body = '', contentType = 'application/sdp'): void {
  phone.send(
    requestText(
      `${method} ${uriOf(headerOf(ok, 'Contact'))} SIP/2.0`,
      [
        `Via: SIP/2.0/UDP 127.0.0.1:${phone.port};branch=z9hG4bK${token()};rport`,
        'Max-Forwards: 70',
        `From: ${inv.from}`,
        `To: ${headerOf(ok, 'To')}`,
        `Call-ID: ${inv.callId}`,
        `CSeq: ${cseq} ${method}`,
        `Contact: <sip:100@127.0.0.1:${phone.port}>`,
      ],
      body,
      contentType,
    ),
    serverPort,
  );
}

/** The next response `status` to the phone's `method`; a failure to the INVITE is ACKed in its transaction. */
async function response(inv: Invite, status: number, method = 'INVITE', cseq = 1): Promise<SipText> {
  const res = await phone.inbox.next(
    (m) => statusOfText(m) === status && headerOf(m, 'Call-ID') === inv.callId && headerOf(m, 'CSeq') === `${cseq} ${method}`,
    `${status} to ${method}`,
  );
  if (method === 'INVITE' && status >= 300) ackNon2xx(phone, res, inv.uri, serverPort);
  return res;
}

/** Waits for Centrala's BYE and answers it. */
async function byeFromCentrala(inv: Invite): Promise<SipText> {
  const bye = await phone.inbox.nextRequest('BYE', inv.callId);
  phone.send(responseText(bye, 200, 'OK'), serverPort);
  return bye;
}

/** Answers the 200 with an ACK. */
function ack(inv: Invite, ok: SipText): void {
  inDialog(inv, ok, 'ACK', 1);
}

/** An app that reports what happened to it, and resolves `done` when it has returned. */
function observed(script: (call: AppCall) => Promise<unknown>): { app: CallApp; done: Promise<{ result: unknown; aborted: boolean }> } {
  let resolve: (v: { result: unknown; aborted: boolean }) => void = () => undefined;
  const done = new Promise<{ result: unknown; aborted: boolean }>((r) => (resolve = r));
  return {
    app: async (call) => {
      const result = await script(call);
      resolve({ result, aborted: call.signal.aborted });
    },
    done,
  };
}

async function untilEnded(timeoutMs = 3000): Promise<CallDetailRecord> {
  const deadline = Date.now() + timeoutMs;
  while (records.length === 0 || runner.size > 0) {
    if (Date.now() > deadline) assert.fail('the application call did not end');
    await new Promise((r) => setTimeout(r, 10));
  }
  assert.equal(media.endpoints.size, 0, 'the endpoint is closed');
  assert.equal(media.ports.inUse, 0, 'the endpoint ports are free again');
  assert.deepEqual(runner.active(), [], 'no live calls are left');
  return records[0] as CallDetailRecord;
}

describe('AppRunner', () => {
  it('CANCEL during early media: 487, the app’s play ends, its signal fires, the endpoint closes', async () => {
    const { app, done } = observed(async (call) => {
      assert.equal(await call.earlyMedia(), true);
      return call.play({ silenceMs: 20_000 });
    });
    nextApp = app;
    const inv = invite();
    const early = await phone.inbox.next((m) => statusOfText(m) === 183 && headerOf(m, 'Call-ID') === inv.callId, '183');
    assert.match(early.body, /m=audio \d+ RTP\/AVP 0/);
    assert.equal(runner.active()[0]?.state, 'ringing');
    phone.send(
      requestText(
        `CANCEL ${inv.uri} SIP/2.0`,
        [
          `Via: SIP/2.0/UDP 127.0.0.1:${phone.port};branch=${inv.branch};rport`,
          'Max-Forwards: 70',
          `From: ${inv.from}`,
          `To: <${inv.uri}>`,
          `Call-ID: ${inv.callId}`,
          'CSeq: 1 CANCEL',
        ],
      ),
      serverPort,
    );
    await response(inv, 200, 'CANCEL');
    await response(inv, 487);
    const { result, aborted } = await done;
    assert.ok(['aborted', 'closed'].includes((result as PlayResult).reason), JSON.stringify(result));
    assert.equal(aborted, true);
    const record = await untilEnded();
    assert.equal(record.disposition, 'cancelled');
    assert.equal(record.endedBy, 'caller');
    assert.equal(record.answeredBy, null);
  });

  it('BYE during the echo test: 200, the echo ends, the record shows the call answered by the app', async () => {
    nextApp = echoTest;
    const inv = invite();
    const ok = await response(inv, 200);
    ack(inv, ok);
    assert.equal(runner.active()[0]?.answeredBy, 'app:test');
    inDialog(inv, ok, 'BYE', 2);
    await response(inv, 200, 'BYE', 2);
    const record = await untilEnded();
    assert.equal(record.disposition, 'answered');
    assert.equal(record.endedBy, 'caller');
    assert.equal(record.answeredBy, 'app:test');
    assert.equal(record.callee, '*99');
  });

  it('an app that returns without hanging up: Centrala ends the call with BYE', async () => {
    nextApp = async (call) => {
      await call.answer();
    };
    const inv = invite();
    const ok = await response(inv, 200);
    ack(inv, ok);
    const bye = await byeFromCentrala(inv);
    assert.equal(tagOf(headerOf(bye, 'From')), tagOf(headerOf(ok, 'To')));
    const record = await untilEnded();
    assert.equal(record.endedBy, 'callee');
    assert.equal(record.endReason, 'application ended');
  });

  it('an app that throws before answering: 500, and the call ends', async () => {
    nextApp = () => Promise.reject(new Error('broken app'));
    const inv = invite();
    await response(inv, 500);
    const record = await untilEnded();
    assert.equal(record.disposition, 'failed');
    assert.equal(record.endStatus, 500);
  });

  it('re-INVITE to hold and UPDATE to resume are answered by the endpoint; an INFO digit reaches collect(); INFO of another type gets 415', async () => {
    const { app, done } = observed(async (call) => {
      await call.answer();
      return call.collect({ maxDigits: 1, firstDigitTimeoutMs: 5000 });
    });
    nextApp = app;
    const inv = invite();
    const ok = await response(inv, 200);
    ack(inv, ok);
    inDialog(inv, ok, 'INVITE', 2, `${pcmuSdp(RTP_BASE + 150)}a=sendonly\r\n`);
    const held = await response(inv, 200, 'INVITE', 2);
    assert.match(held.body, /a=recvonly/);
    inDialog(inv, held, 'ACK', 2);
    assert.equal(runner.active()[0]?.onHold, true);
    // UPDATE (RFC 3311) resumes: the endpoint answers sendrecv again.
    inDialog(inv, ok, 'UPDATE', 3, pcmuSdp(RTP_BASE + 150));
    const resumed = await response(inv, 200, 'UPDATE', 3);
    assert.doesNotMatch(resumed.body, /a=(recvonly|inactive)/);
    assert.match(resumed.body, /m=audio \d+ RTP\/AVP 0/);
    assert.equal(runner.active()[0]?.onHold, false);
    inDialog(inv, ok, 'INFO', 4, 'hello', 'text/plain');
    await response(inv, 415, 'INFO', 4);
    inDialog(inv, ok, 'INFO', 5, 'Signal=7\r\nDuration=160\r\n', 'application/dtmf-relay');
    await response(inv, 200, 'INFO', 5);
    const { result } = await done;
    assert.deepEqual(result, { digits: '7', reason: 'maxDigits' });
    await byeFromCentrala(inv);
    await untilEnded();
  });

  it('a refusal whose offer has no common codec: the status at once, without early media', async () => {
    nextApp = announcedRefusal(404, 'No Such Number', ['number-does-not-exist']);
    const g729 = pcmuSdp(RTP_BASE + 150).replace('RTP/AVP 0', 'RTP/AVP 18').replace('a=rtpmap:0 PCMU/8000', 'a=rtpmap:18 G729/8000');
    const inv = invite(g729);
    await response(inv, 404);
    assert.equal(phone.inbox.log.some((m) => statusOfText(m) === 183 && headerOf(m, 'Call-ID') === inv.callId), false);
    const record = await untilEnded();
    assert.equal(record.endStatus, 404);
    assert.equal(record.disposition, 'failed');
  });

  it('a refusal with an announcement: 183 with SDP and audio, then the status', async () => {
    nextApp = announcedRefusal(404, 'No Such Number', ['number-does-not-exist']);
    const inv = invite();
    await phone.inbox.next((m) => statusOfText(m) === 183 && headerOf(m, 'Call-ID') === inv.callId, '183');
    const final = await response(inv, 404);
    assert.equal(final.startLine, 'SIP/2.0 404 No Such Number');
    const record = await untilEnded();
    assert.equal(record.endReason, '404 No Such Number');
  });

  it('an answered app call whose phone sends no RTP ends with BYE after the media timeout', async () => {
    const main = server;
    use(await startServer({ min: RTP_BASE + 100, max: RTP_BASE + 149 }, 1));
    try {
      nextApp = echoTest;
      const inv = invite();
      const ok = await response(inv, 200);
      ack(inv, ok);
      const bye = await byeFromCentrala(inv);
      assert.match(headerOf(bye, 'Reason'), /cause=408/);
      const record = await untilEnded(5000);
      assert.deepEqual({ endedBy: record.endedBy, endStatus: record.endStatus, endReason: record.endReason }, { endedBy: 'system', endStatus: 408, endReason: 'media timeout' });
    } finally {
      await server.close();
      use(main);
    }
  });
});
