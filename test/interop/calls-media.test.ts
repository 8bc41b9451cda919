/**
 * Media negotiation and the relay's behaviour towards devices, end to end through a RUNNING Centrala with
 * hand-written UDP phones (extensions 100 calls 101) that send and receive real RTP datagrams:
 * - early media: the callee's 183 with SDP reaches the caller rewritten to the relay, and its RTP reaches the
 *   caller before the answer;
 * - offer/answer: PCMU, PCMA and RFC 4733 telephone-event are offered on, the answer keeps what both share;
 *   a DTMF event packet crosses the relay;
 * - an UPDATE in the confirmed dialog changes the codec from PCMU to PCMA on both legs, and PCMA flows;
 * - symmetric RTP: a caller whose packets come from another port than its SDP names (behind NAT) gets the
 *   callee's audio at the port its packets come from.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import dgram from 'node:dgram';
import { rmSync } from 'node:fs';
import { seedTenant, startCentrala, tempDataDir, type CentralaProcess } from '../support/centrala-process.js';
import { token } from '../support/sip-udp-client.js';
import { headerOf, requestText, responseText, statusOfText, uriOf, UdpSipPeer, type SipText } from '../support/sip-tcp-device.js';
import { placeCall, registerPhone, type PlacedCall } from '../support/udp-caller.js';

const DOMAIN = 'media.test';
const PASSWORD = 'Media4Interop9xy';

let server: CentralaProcess;
let dataDir: string;

/** An SDP for 127.0.0.1:`port` with the given `m=` payload types and their rtpmap lines. */
function sdp(port: number, version: number, formats: readonly [number, string][]): string {
  return [
    'v=0',
    `o=- ${port} ${version} IN IP4 127.0.0.1`,
    's=-',
    'c=IN IP4 127.0.0.1',
    't=0 0',
    `m=audio ${port} RTP/AVP ${formats.map(([pt]) => pt).join(' ')}`,
    ...formats.map(([pt, name]) => `a=rtpmap:${pt} ${name}`),
    ...formats.filter(([, name]) => name.startsWith('telephone-event')).map(([pt]) => `a=fmtp:${pt} 0-16`),
    '',
  ].join('\r\n');
}

const PCMU: [number, string] = [0, 'PCMU/8000'];
const PCMA: [number, string] = [8, 'PCMA/8000'];
const EVENTS: [number, string] = [101, 'telephone-event/8000'];

/** The audio port and payload types of an SDP body, and its connection address. */
function media(body: string): { address: string; port: number; payloadTypes: number[]; rtpmaps: string[] } {
  const m = /^m=audio (\d+) RTP\/AVP ([\d ]+)$/m.exec(body);
  return {
    address: /^c=IN IP4 (\S+)$/m.exec(body)?.[1] ?? '',
    port: Number(m?.[1] ?? 0),
    payloadTypes: (m?.[2] ?? '').trim().split(' ').map(Number),
    rtpmaps: [...body.matchAll(/^a=rtpmap:(.+)$/gm)].map((x) => (x[1] ?? '').trim()),
  };
}

/** One received RTP packet. */
interface Received {
  readonly payloadType: number;
  readonly ssrc: number;
  readonly firstByte: number;
}

/** A UDP socket that sends RTP packets and records the ones it receives. */
class RtpSocket {
  readonly #socket = dgram.createSocket('udp4');
  readonly received: Received[] = [];
  port = 0;

  async open(): Promise<this> {
    await new Promise<void>((resolve) => this.#socket.bind(0, '127.0.0.1', resolve));
    this.port = this.#socket.address().port;
    this.#socket.on('message', (m) => {
      if (m.length >= 13) this.received.push({ payloadType: (m[1] ?? 0) & 0x7f, ssrc: m.readUInt32BE(8), firstByte: m[12] ?? 0 });
    });
    return this;
  }

  /** Sends `count` packets of `payloadType`, 20 ms apart, whose payload bytes are all `fill`. */
  async send(port: number, opts: { payloadType: number; ssrc: number; fill: number; count: number }): Promise<void> {
    for (let seq = 0; seq < opts.count; seq++) {
      const packet = Buffer.alloc(12 + (opts.payloadType === 101 ? 4 : 160), opts.fill);
      packet[0] = 0x80;
      packet[1] = opts.payloadType;
      packet.writeUInt16BE(seq, 2);
      packet.writeUInt32BE(seq * 160, 4);
      packet.writeUInt32BE(opts.ssrc, 8);
      this.#socket.send(packet, port, '127.0.0.1');
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  /** Waits until a packet matching `match` arrived (at most 3 s). */
  async waitFor(match: (p: Received) => boolean, what: string): Promise<Received> {
    const deadline = Date.now() + 3000;
    for (;;) {
      const hit = this.received.find(match);
      if (hit) return hit;
      if (Date.now() > deadline) throw new Error(`no RTP packet ${what} (got ${this.received.length}: ${JSON.stringify(this.received.slice(0, 3))})`);
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  close(): void {
    this.#socket.close();
  }
}

/** A request the caller sends inside its confirmed dialog (to the Contact of the 200). */
function inDialog(caller: UdpSipPeer, call: PlacedCall, method: string, cseq: number, body = ''): void {
  caller.send(
    requestText(
      `${method} ${uriOf(headerOf(call.final, 'Contact'))} SIP/2.0`,
      [
        `Via: SIP/2.0/UDP 127.0.0.1:${caller.port};branch=z9hG4bK${token()};rport`,
        'Max-Forwards: 70',
        `From: ${call.from}`,
        `To: ${headerOf(call.final, 'To')}`,
        `Call-ID: ${call.callId}`,
        `CSeq: ${cseq} ${method}`,
        `Contact: <sip:100@127.0.0.1:${caller.port}>`,
      ],
      body,
    ),
    server.ports.sip,
  );
}

/**
 * Two phones: the caller, and a callee registered as `calleeNumber` (101 by default; a test that must ring only
 * its own phone uses an extension no earlier test registered, whose stale bindings would ring too).
 */
async function phones(calleeNumber = '101'): Promise<{ caller: UdpSipPeer; callee: UdpSipPeer; close: () => void }> {
  const caller = new UdpSipPeer('caller 100');
  const callee = new UdpSipPeer('callee 101');
  await caller.open();
  await callee.open();
  await registerPhone(callee, { user: calleeNumber, domain: DOMAIN, password: PASSWORD, serverPort: server.ports.sip });
  return {
    caller,
    callee,
    close: () => {
      caller.close();
      callee.close();
    },
  };
}

/** The caller hangs up: its BYE gets 200 and the callee, who answers its BYE, is released too. */
async function hangUp(caller: UdpSipPeer, callee: UdpSipPeer, call: PlacedCall, cseq: number): Promise<void> {
  inDialog(caller, call, 'BYE', cseq);
  const bye = await callee.inbox.nextRequest('BYE', undefined, 5000);
  callee.send(responseText(bye, 200, 'OK'), server.ports.sip);
  const ok = await caller.inbox.nextFinal(call.callId, cseq, 'BYE');
  assert.equal(statusOfText(ok), 200, ok.startLine);
}

const account = (): { user: string; domain: string; password: string; serverPort: number } => ({
  user: '100',
  domain: DOMAIN,
  password: PASSWORD,
  serverPort: server.ports.sip,
});

describe('call media through the relay (hand-written UDP phones, real RTP)', () => {
  before(async () => {
    dataDir = tempDataDir();
    await seedTenant(dataDir, DOMAIN, [
      { number: '100', password: PASSWORD, name: 'Ala' },
      { number: '101', password: PASSWORD, name: 'Olek' },
      { number: '102', password: PASSWORD, name: 'Gosia' },
    ]);
    server = await startCentrala({ dataDir });
  });

  after(async () => {
    await server?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('early media: the 183 with SDP reaches the caller rewritten to the relay, and its RTP arrives before the answer', { timeout: 30_000 }, async () => {
    const { caller, callee, close } = await phones();
    const callerRtp = await new RtpSocket().open();
    const calleeRtp = await new RtpSocket().open();
    try {
      const placing = placeCall(caller, account(), '101', sdp(callerRtp.port, 1, [PCMU]));
      const invite = await callee.inbox.nextRequest('INVITE', undefined, 8000);
      const toTag = token();
      const contact = `Contact: <sip:101@127.0.0.1:${callee.port}>`;
      const answer = sdp(calleeRtp.port, 1, [PCMU]);
      callee.send(responseText(invite, 183, 'Session Progress', { toTag, headers: [contact], body: answer }), server.ports.sip);

      const early = await caller.inbox.next((m) => statusOfText(m) === 183, '183 Session Progress');
      const toCaller = media(early.body);
      assert.equal(toCaller.address, '127.0.0.1', early.body);
      assert.notEqual(toCaller.port, calleeRtp.port, 'the caller is sent the relay, not the callee');
      assert.deepEqual(toCaller.payloadTypes, [0]);

      // The ringback the callee plays before answering reaches the caller through the relay.
      await calleeRtp.send(media(invite.body).port, { payloadType: 0, ssrc: 0x0e0e0e0e, fill: 0x33, count: 5 });
      await callerRtp.waitFor((p) => p.firstByte === 0x33 && p.payloadType === 0, 'of early media at the caller');
      assert.equal((await Promise.race([placing.then(() => 'answered'), new Promise((r) => setTimeout(() => r('ringing'), 50))])), 'ringing');

      callee.send(responseText(invite, 200, 'OK', { toTag, headers: [contact], body: answer }), server.ports.sip);
      const call = await placing;
      assert.equal(statusOfText(call.final), 200, call.final.startLine);
      assert.equal(media(call.final.body).port, toCaller.port, 'the 200 keeps the relay port of the early media');
      await callee.inbox.nextRequest('ACK', undefined, 5000);
      await hangUp(caller, callee, call, 3);
    } finally {
      callerRtp.close();
      calleeRtp.close();
      close();
    }
  });

  it('offer/answer keeps the shared codecs and telephone-event; an UPDATE switches both legs to PCMA', { timeout: 30_000 }, async () => {
    const { caller, callee, close } = await phones();
    const callerRtp = await new RtpSocket().open();
    const calleeRtp = await new RtpSocket().open();
    try {
      const placing = placeCall(caller, account(), '101', sdp(callerRtp.port, 1, [PCMU, PCMA, EVENTS]));
      const invite = await callee.inbox.nextRequest('INVITE', undefined, 8000);
      const offered = media(invite.body);
      assert.deepEqual(offered.payloadTypes, [0, 8, 101], invite.body);
      assert.ok(offered.rtpmaps.includes('101 telephone-event/8000'), invite.body);

      const toTag = token();
      const contact = `Contact: <sip:101@127.0.0.1:${callee.port}>`;
      callee.send(responseText(invite, 200, 'OK', { toTag, headers: [contact], body: sdp(calleeRtp.port, 1, [PCMU, EVENTS]) }), server.ports.sip);
      const call = await placing;
      assert.equal(statusOfText(call.final), 200, call.final.startLine);
      const answered = media(call.final.body);
      assert.deepEqual(answered.payloadTypes, [0, 101], call.final.body);
      await callee.inbox.nextRequest('ACK', undefined, 5000);

      // PCMU and a DTMF event (RFC 4733) cross the relay.
      await callerRtp.send(answered.port, { payloadType: 0, ssrc: 0x0a0a0a0a, fill: 0x44, count: 3 });
      await calleeRtp.waitFor((p) => p.payloadType === 0 && p.firstByte === 0x44, 'PCMU at the callee');
      await callerRtp.send(answered.port, { payloadType: 101, ssrc: 0x0a0a0a0a, fill: 0x05, count: 3 });
      await calleeRtp.waitFor((p) => p.payloadType === 101 && p.firstByte === 0x05, 'telephone-event (digit 5) at the callee');

      // The caller changes codec with an UPDATE (RFC 3311) in the confirmed dialog.
      inDialog(caller, call, 'UPDATE', 3, sdp(callerRtp.port, 2, [PCMA]));
      const update = await callee.inbox.nextRequest('UPDATE', undefined, 5000);
      assert.deepEqual(media(update.body).payloadTypes, [8], update.body);
      assert.equal(media(update.body).port, offered.port, 'the callee keeps its relay port');
      callee.send(responseText(update, 200, 'OK', { headers: [contact], body: sdp(calleeRtp.port, 2, [PCMA]) }), server.ports.sip);
      const updated = await caller.inbox.nextFinal(call.callId, 3, 'UPDATE');
      assert.equal(statusOfText(updated), 200, updated.startLine);
      assert.deepEqual(media(updated.body).payloadTypes, [8], updated.body);

      // PCMA now flows both ways.
      await callerRtp.send(answered.port, { payloadType: 8, ssrc: 0x0a0a0a0a, fill: 0x66, count: 3 });
      await calleeRtp.waitFor((p) => p.payloadType === 8 && p.firstByte === 0x66, 'PCMA at the callee');
      await calleeRtp.send(offered.port, { payloadType: 8, ssrc: 0x0b0b0b0b, fill: 0x77, count: 3 });
      await callerRtp.waitFor((p) => p.payloadType === 8 && p.firstByte === 0x77, 'PCMA at the caller');

      await hangUp(caller, callee, call, 4);
    } finally {
      callerRtp.close();
      calleeRtp.close();
      close();
    }
  });

  it('a device that answers 200 with SDP sharing no codec is acknowledged and hung up, and the caller gets 488', { timeout: 30_000 }, async () => {
    const { caller, callee, close } = await phones('102');
    try {
      const placing = placeCall(caller, account(), '102', sdp(41_500, 1, [PCMU]));
      const invite = await callee.inbox.nextRequest('INVITE', undefined, 8000);
      callee.send(
        responseText(invite, 200, 'OK', { toTag: token(), headers: [`Contact: <sip:101@127.0.0.1:${callee.port}>`], body: sdp(42_500, 1, [[18, 'G729/8000']]) }),
        server.ports.sip,
      );
      const call = await placing;
      assert.equal(statusOfText(call.final), 488, call.final.startLine);
      await callee.inbox.nextRequest('ACK', undefined, 5000);
      const bye = await callee.inbox.nextRequest('BYE', undefined, 5000);
      callee.send(responseText(bye, 200, 'OK'), server.ports.sip);
    } finally {
      close();
    }
  });

  it('symmetric RTP: a caller behind NAT (packets from another port than its SDP) hears the callee at that port', { timeout: 30_000 }, async () => {
    const { caller, callee, close } = await phones();
    const inSdp = await new RtpSocket().open(); // the private address the phone writes in its SDP
    const natted = await new RtpSocket().open(); // where its packets really come from
    const calleeRtp = await new RtpSocket().open();
    try {
      const placing = placeCall(caller, account(), '101', sdp(inSdp.port, 1, [PCMU]));
      const invite: SipText = await callee.inbox.nextRequest('INVITE', undefined, 8000);
      callee.send(
        responseText(invite, 200, 'OK', { toTag: token(), headers: [`Contact: <sip:101@127.0.0.1:${callee.port}>`], body: sdp(calleeRtp.port, 1, [PCMU]) }),
        server.ports.sip,
      );
      const call = await placing;
      assert.equal(statusOfText(call.final), 200, call.final.startLine);
      await callee.inbox.nextRequest('ACK', undefined, 5000);

      await natted.send(media(call.final.body).port, { payloadType: 0, ssrc: 0x1234abcd, fill: 0x11, count: 3 });
      await calleeRtp.waitFor((p) => p.firstByte === 0x11, 'from the natted caller at the callee');
      await calleeRtp.send(media(invite.body).port, { payloadType: 0, ssrc: 0x0c0c0c0c, fill: 0x22, count: 3 });
      await natted.waitFor((p) => p.firstByte === 0x22, "at the caller's real (latched) port");
      assert.equal(inSdp.received.filter((p) => p.firstByte === 0x22).length, 0, 'nothing went to the SDP port once latched');

      await hangUp(caller, callee, call, 3);
    } finally {
      inSdp.close();
      natted.close();
      calleeRtp.close();
      close();
    }
  });
});
