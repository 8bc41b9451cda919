/**
 * AppCall.transfer over loopback SIP stacks: an application hands its unanswered caller to an extension, which
 * rings with its own rules (busy, unavailable) as if the caller had dialled it; one record for the whole call.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { rtp, type PlayResult } from '../../media/index.js';
import { callSettings } from '../../../test/support/call-context.js';
import { UdpPeer } from '../../../test/support/udp-peer.js';
import { CallState } from './call.js';
import { CallBench } from './test-kit.js';

/** One 20 ms PCMU packet of silence. */
const packet = (ssrc: number, seq: number): Buffer =>
  rtp.RtpPacket.create({ payloadType: 0, sequenceNumber: seq, timestamp: seq * 160, ssrc, payload: Buffer.alloc(160, 0xff) }).serialize();

/** The RTP port of an SDP body's first m= line (a relay or endpoint port of the bench: 36000–36999). */
function rtpPortOf(body: Uint8Array): number {
  const port = Number(/^m=audio (\d+) /m.exec(new TextDecoder().decode(body))?.[1]);
  assert.ok(port >= 36000 && port <= 36999, `SDP port ${port}`);
  return port;
}

describe('transfer from an application to an extension', { timeout: 20_000 }, () => {
  const bench = new CallBench(callSettings);
  const { alice, bob } = bench.phones;
  before(() => bench.start());
  after(() => bench.close());

  /** An app that plays early media, then transfers to `number` while the prompt plays; what it saw. */
  function transferringApp(number: string): { played: Promise<PlayResult>; transferred: Promise<boolean>; signalled: Promise<boolean> } {
    let played: (r: PlayResult) => void = () => undefined;
    let transferred: (ok: boolean) => void = () => undefined;
    let signalled: (fired: boolean) => void = () => undefined;
    const seen = {
      played: new Promise<PlayResult>((resolve) => (played = resolve)),
      transferred: new Promise<boolean>((resolve) => (transferred = resolve)),
      signalled: new Promise<boolean>((resolve) => (signalled = resolve)),
    };
    bench.app = async (call) => {
      assert.ok(await call.earlyMedia());
      const playing = call.play({ silenceMs: 60_000 });
      transferred(await call.transfer({ kind: 'extension', number }));
      signalled(call.signal.aborted);
      played(await playing);
    };
    return seen;
  }

  it('before the answer: early media stops, the extension rings and answers, RTP flows through the relay, one record', async () => {
    const seen = transferringApp('101');
    const aliceRtp = await UdpPeer.open();
    const bobRtp = await UdpPeer.open();
    after(() => {
      aliceRtp.close();
      bobRtp.close();
    });
    const dialling = bench.dial('*99', aliceRtp.port);
    const early = await dialling.ringing;
    assert.equal(early.status, 183);
    const invite = await bob.next('INVITE');
    assert.equal(await seen.transferred, true);
    assert.equal(await seen.signalled, true);
    assert.equal((await seen.played).reason, 'closed');
    assert.equal(bench.apps.size, 0);

    // Ringing: a call of the engine, listed with the number dialled.
    await bob.respond(invite, 180);
    const call = bench.calls.at(-1);
    assert.equal(call?.state, CallState.Ringing);
    const ringing = call?.snapshot();
    assert.deepEqual([ringing?.callee, ringing?.state, ringing?.answeredBy], ['*99', 'ringing', null]);

    const legB = rtpPortOf(invite.request.body);
    await bob.respond(invite, 200, bobRtp.port);
    const ok = await dialling.ack();
    assert.equal(ok.status, 200);
    assert.notEqual(ok.to()?.tag, early.to()?.tag);
    const legA = rtpPortOf(ok.body);
    assert.notEqual(legA, rtpPortOf(early.body));
    await bob.next('ACK');
    assert.equal(call?.state, CallState.Answered);

    // Media passes the relay both ways.
    await aliceRtp.send(packet(0x1111, 1), legA);
    assert.equal(rtp.readRtpSsrc((await bobRtp.next()).data), 0x1111);
    await bobRtp.send(packet(0x2222, 1), legB);
    assert.equal(rtp.readRtpSsrc((await aliceRtp.next()).data), 0x2222);

    assert.equal((await dialling.bye()).status, 200);
    await bob.next('BYE');
    const record = await bench.nextRecord();
    assert.deepEqual(
      [record.callee, record.calleeExtensionId, record.answeredBy, record.disposition, record.endedBy],
      ['*99', 'ext-101', '101', 'answered', 'caller'],
    );
    assert.ok(call && record.startedAt <= (record.answeredAt ?? 0));
    assert.equal(bench.records.filter((r) => r.callId === record.callId).length, 1);
  });

  it('CANCEL while the extension rings: 487 to the caller, the phone cancelled, one cancelled record', async () => {
    transferringApp('101');
    const dialling = bench.dial('*99');
    await bob.respond(await bob.next('INVITE'), 180);
    assert.equal((await dialling.cancel()).status, 200);
    assert.equal((await dialling.final).status, 487);
    await bob.nextCancel();
    const record = await bench.nextRecord();
    assert.deepEqual([record.callee, record.disposition, record.endedBy], ['*99', 'cancelled', 'caller']);
    assert.equal(bench.records.filter((r) => r.callId === record.callId).length, 1);
  });

  it('to a busy extension: the caller gets its 486 and the record says busy', async () => {
    transferringApp('101');
    const dialling = bench.dial('*99');
    await bob.respond(await bob.next('INVITE'), 486);
    assert.equal((await dialling.final).status, 486);
    const record = await bench.nextRecord();
    assert.deepEqual([record.callee, record.disposition, record.endStatus], ['*99', 'busy', 486]);
  });

  it('to an extension with no registered phone: 480, as when dialled', async () => {
    bench.settings.set('103', callSettings('103'));
    try {
      const seen = transferringApp('103');
      const dialling = bench.dial('*99');
      assert.equal((await dialling.final).status, 480);
      assert.equal(await seen.transferred, true);
      const record = await bench.nextRecord();
      assert.deepEqual([record.callee, record.calleeExtensionId, record.disposition], ['*99', 'ext-103', 'unavailable']);
    } finally {
      bench.settings.delete('103');
    }
  });

  it('to a number the tenant does not have: false, and the app still has the call', async () => {
    let transferred: boolean | undefined;
    bench.app = async (call) => {
      transferred = await call.transfer({ kind: 'extension', number: '555' });
      call.reject(404, 'No Such Extension');
    };
    const dialling = bench.dial('*99');
    assert.equal((await dialling.final).status, 404);
    assert.equal(transferred, false);
    const record = await bench.nextRecord();
    assert.deepEqual([record.callee, record.endStatus, record.answeredBy], ['*99', 404, null]);
  });

  it('to an outside number, or after the answer: refused with an error naming why, the call goes on', async () => {
    const errors: string[] = [];
    const note = (err: unknown): void => void errors.push(err instanceof Error ? err.message : String(err));
    bench.app = async (call) => {
      await call.transfer({ kind: 'number', number: '+48221234567' }).catch(note);
      assert.ok(await call.answer());
      await call.transfer({ kind: 'extension', number: '101' }).catch(note);
    };
    const dialling = bench.dial('*99');
    assert.equal((await dialling.ack()).status, 200);
    await alice.next('BYE');
    const record = await bench.nextRecord();
    assert.deepEqual([record.answeredBy, record.endedBy], ['app:bench', 'callee']);
    assert.deepEqual(errors, ['transfer to number +48221234567: external calls are not available yet', 'transfer after answer is not supported yet']);
  });
});
