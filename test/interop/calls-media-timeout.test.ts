/**
 * A dead call is hung up: two hand-written UDP phones (extensions 100 and 101) set up a call through a RUNNING
 * Centrala started with `--rtp-timeout 5` and then send no RTP at all. After about 5 s both get a BYE with
 * `Reason: SIP;cause=408`, and the call record says the system ended it. A call whose caller keeps sending
 * RTP stays up over the same time.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import dgram from 'node:dgram';
import { rmSync } from 'node:fs';
import {
  operatorToken,
  seedTenant,
  startCentrala,
  tempDataDir,
  type CentralaProcess,
  type SeededTenant,
} from '../support/centrala-process.js';
import { headerOf, responseText, statusOfText, UdpSipPeer } from '../support/sip-tcp-device.js';
import { answerNextCall, pcmuSdp, placeCall, registerPhone } from '../support/udp-caller.js';

const DOMAIN = 'timeout.test';
const PASSWORD = 'Timeout4Interop9x';

let server: CentralaProcess;
let tenant: SeededTenant;
let apiToken: string;
let dataDir: string;

interface CallRecord {
  readonly callId: string;
  readonly disposition: string;
  readonly endedBy: string;
  readonly endReason: string;
}

/** The relay's port for the caller: the m= port of the 200's SDP. */
function relayPort(sdp: string): number {
  return Number(/^m=audio (\d+) /m.exec(sdp)?.[1] ?? 0);
}

/** Sends one PCMU RTP packet with sequence number `seq` to 127.0.0.1:`port`. */
function rtp(socket: dgram.Socket, port: number, seq: number): void {
  const packet = Buffer.alloc(12 + 160, 0xff);
  packet[0] = 0x80;
  packet[1] = 0;
  packet.writeUInt16BE(seq & 0xffff, 2);
  packet.writeUInt32BE(seq * 160, 4);
  packet.writeUInt32BE(0x0badcafe, 8);
  socket.send(packet, port, '127.0.0.1');
}

describe('media timeout', () => {
  before(async () => {
    dataDir = tempDataDir();
    tenant = await seedTenant(dataDir, DOMAIN, [
      { number: '100', password: PASSWORD },
      { number: '101', password: PASSWORD },
    ]);
    apiToken = await operatorToken(dataDir);
    server = await startCentrala({ dataDir, extraArgs: ['--rtp-timeout', '5'] });
  });

  after(async () => {
    await server?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('a call without RTP is ended with BYE to both phones after --rtp-timeout seconds', { timeout: 30_000 }, async () => {
    const caller = new UdpSipPeer('caller');
    const callee = new UdpSipPeer('callee');
    try {
      await caller.open();
      await callee.open();
      await registerPhone(callee, { user: '101', domain: DOMAIN, password: PASSWORD, serverPort: server.ports.sip });
      const answering = answerNextCall(callee, server.ports.sip, 42000);
      const call = await placeCall(caller, { user: '100', domain: DOMAIN, password: PASSWORD, serverPort: server.ports.sip }, '101', pcmuSdp(41000));
      await answering;
      assert.equal(statusOfText(call.final), 200, call.final.startLine);
      const answeredAt = Date.now();

      const [byeToCaller, byeToCallee] = await Promise.all([
        caller.inbox.nextRequest('BYE', call.callId, 15_000),
        callee.inbox.nextRequest('BYE', undefined, 15_000),
      ]);
      const waited = Date.now() - answeredAt;
      assert.ok(waited >= 4500 && waited < 9000, `BYE after ${waited} ms, expected about 5 s`);
      assert.match(headerOf(byeToCaller, 'Reason'), /^SIP;cause=408/);
      assert.match(headerOf(byeToCallee, 'Reason'), /^SIP;cause=408/);
      caller.send(responseText(byeToCaller, 200, 'OK'), server.ports.sip);
      callee.send(responseText(byeToCallee, 200, 'OK'), server.ports.sip);

      const deadline = Date.now() + 5000;
      let record: CallRecord | undefined;
      while (!record && Date.now() < deadline) {
        const res = await server.api(`/api/v1/tenants/${tenant.tenantId}/calls?extension=101`, apiToken);
        record = (res.body as { items: CallRecord[] }).items.find((r) => r.callId === call.callId);
        if (!record) await new Promise((r) => setTimeout(r, 100));
      }
      assert.deepEqual(
        record && [record.disposition, record.endedBy, record.endReason],
        ['answered', 'system', 'media timeout'],
      );
    } finally {
      caller.close();
      callee.close();
    }
  });

  it('a call whose caller keeps sending RTP is not ended', { timeout: 30_000 }, async () => {
    const caller = new UdpSipPeer('caller');
    const callee = new UdpSipPeer('callee');
    const media = dgram.createSocket('udp4');
    let timer: NodeJS.Timeout | undefined;
    try {
      await caller.open();
      await callee.open();
      await new Promise<void>((resolve) => media.bind(0, '127.0.0.1', resolve));
      await registerPhone(callee, { user: '101', domain: DOMAIN, password: PASSWORD, serverPort: server.ports.sip });
      const answering = answerNextCall(callee, server.ports.sip, 42002);
      const call = await placeCall(caller, { user: '100', domain: DOMAIN, password: PASSWORD, serverPort: server.ports.sip }, '101', pcmuSdp(media.address().port));
      await answering;
      assert.equal(statusOfText(call.final), 200, call.final.startLine);
      const port = relayPort(call.final.body);
      let seq = 0;
      timer = setInterval(() => rtp(media, port, seq++), 20);
      await assert.rejects(caller.inbox.nextRequest('BYE', call.callId, 8000), /no BYE request/);
    } finally {
      clearInterval(timer);
      media.close();
      caller.close();
      callee.close();
    }
  });
});
