import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { CallState } from './call.js';
import { callSettings } from '../../../test/support/call-context.js';
import { CallBench } from './test-kit.js';

describe('Call (B2BUA over loopback SIP stacks, time on a FakeClock)', { timeout: 20_000 }, () => {
  const bench = new CallBench(callSettings);
  const { alice, bob, carol } = bench.phones;
  before(() => bench.start());
  after(() => bench.close());

  it('a device that answers: the caller gets its ringing and a 200 with the relay’s SDP, and the call is Answered', async () => {
    const dialling = bench.dial('101');
    const invite = await bob.next('INVITE');
    await bob.respond(invite, 180);
    await bob.respond(invite, 200);
    const ok = await dialling.ack();
    assert.equal(ok.status, 200);
    assert.deepEqual(dialling.provisional.filter((s) => s !== 100), [180]);
    assert.match(new TextDecoder().decode(ok.body), /m=audio 36\d\d\d RTP\/AVP/);
    await bob.next('ACK');
    const call = bench.calls.at(-1);
    assert.equal(call?.state, CallState.Answered);

    // BYE from the caller: 200 to the caller, BYE to the device, one CDR.
    assert.equal((await dialling.bye()).status, 200);
    await bob.next('BYE');
    const record = await bench.nextRecord();
    assert.equal(call?.state, CallState.Ended);
    assert.deepEqual([record.disposition, record.endedBy, record.answeredBy, record.endReason], ['answered', 'caller', '101', 'caller hung up']);
  });

  it('BYE from the callee ends the call and sends BYE to the caller', async () => {
    const dialling = bench.dial('101');
    const invite = await bob.next('INVITE');
    await bob.respond(invite, 200);
    await dialling.ack();
    await bob.next('ACK');
    assert.equal((await bob.bye()).status, 200);
    await alice.next('BYE');
    const record = await bench.nextRecord();
    assert.deepEqual([record.disposition, record.endedBy], ['answered', 'callee']);
  });

  it('an UPDATE whose SDP the relay cannot read is refused with 400 naming the fault, and the call goes on', async () => {
    const dialling = bench.dial('101');
    await bob.respond(await bob.next('INVITE'), 200);
    await dialling.ack();
    await bob.next('ACK');
    const refused = await dialling.request('UPDATE', 'not an SDP body', 'application/sdp');
    assert.equal(refused.status, 400);
    assert.notEqual(refused.reason, 'Bad Request');
    assert.equal(bench.calls.at(-1)?.state, CallState.Answered);
    assert.equal((await dialling.bye()).status, 200);
    await bob.next('BYE');
    await bench.nextRecord();
  });

  it('a busy device: the caller gets 486 and the CDR says busy', async () => {
    const dialling = bench.dial('101');
    await bob.respond(await bob.next('INVITE'), 486);
    assert.equal((await dialling.final).status, 486);
    const record = await bench.nextRecord();
    assert.deepEqual([record.disposition, record.endStatus, record.legs[0]?.finalStatus], ['busy', 486, 486]);
  });

  it('no answer within the ring time, forward on no answer: the device is cancelled and the forward target rings with Diversion', async () => {
    bench.set('101', { ringTimeSeconds: 10, forwarding: { noAnswer: { kind: 'extension', number: '102' } } });
    try {
      const dialling = bench.dial('101');
      const first = await bob.next('INVITE');
      await bob.respond(first, 180);
      await dialling.ringing;
      bench.clock.advance(10_000);
      await bob.nextCancel();
      const second = await carol.next('INVITE');
      assert.match(second.request.headers.get('Diversion') ?? '', /<sip:101@acme\.pbx\.example>;reason=no-answer/);
      await carol.respond(second, 200);
      const ok = await dialling.ack();
      assert.equal(ok.status, 200);
      await carol.next('ACK');
      assert.equal((await dialling.bye()).status, 200);
      await carol.next('BYE');
      const record = await bench.nextRecord();
      assert.equal(record.answeredBy, '102');
      assert.deepEqual(record.hops, [{ from: '101', to: '102', reason: 'noAnswer' }]);
      assert.deepEqual(
        record.legs.map((l) => [l.target, l.finalStatus]),
        [
          ['101', 487],
          ['102', 200],
        ],
      );
    } finally {
      bench.set('101', {});
    }
  });

  it('no answer and no forwarding: the caller gets 480 when the ring time is over', async () => {
    bench.set('101', { ringTimeSeconds: 5 });
    try {
      const dialling = bench.dial('101');
      await bob.respond(await bob.next('INVITE'), 180);
      await dialling.ringing;
      bench.clock.advance(5_000);
      await bob.nextCancel();
      assert.equal((await dialling.final).status, 480);
      assert.equal((await bench.nextRecord()).disposition, 'no-answer');
    } finally {
      bench.set('101', {});
    }
  });

  it('CANCEL from the caller: 487 to the caller, CANCEL to the ringing device, a cancelled CDR', async () => {
    const dialling = bench.dial('101');
    await bob.respond(await bob.next('INVITE'), 180);
    await dialling.ringing;
    assert.equal((await dialling.cancel()).status, 200);
    assert.equal((await dialling.final).status, 487);
    await bob.nextCancel();
    const record = await bench.nextRecord();
    assert.deepEqual([record.disposition, record.endedBy, record.endStatus], ['cancelled', 'caller', 487]);
    assert.equal(bench.calls.at(-1)?.state, CallState.Ended);
  });
});
