import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { type Clock, FakeClock, type TimerHandle } from '../../lib/index.js';
import { RtpPacket, seqAdd, timestampDiff } from '../rtp/index.js';
import { FRAME_SAMPLES, RtpSender } from './rtp-sender.js';

/** A clock whose timers fire `lateMs` after they are due, as an event loop under load does. */
class LateClock implements Clock {
  constructor(
    readonly inner: FakeClock,
    readonly lateMs: number,
  ) {}
  now(): number {
    return this.inner.now();
  }
  setTimeout(fn: () => void, ms: number): TimerHandle {
    return this.inner.setTimeout(fn, ms + this.lateMs);
  }
  clearTimeout(handle: TimerHandle | undefined): void {
    this.inner.clearTimeout(handle);
  }
}

interface Sent {
  readonly at: number;
  readonly packet: RtpPacket;
}

function sender(clock: Clock, law: 'PCMU' | 'PCMA' = 'PCMU', payloadType = 0): { sender: RtpSender; sent: Sent[] } {
  const sent: Sent[] = [];
  const s = new RtpSender(clock, {
    format: () => ({ law, payloadType }),
    send: (bytes) => {
      const parsed = RtpPacket.parse(bytes);
      assert.ok(parsed.ok);
      sent.push({ at: clock.now(), packet: parsed.value });
    },
  });
  return { sender: s, sent };
}

/** A source of `count` frames of constant value. */
function frames(count: number, value = 1000): { read: () => Int16Array | undefined } {
  let left = count;
  return {
    read: () => {
      if (left === 0) return undefined;
      left--;
      return new Int16Array(FRAME_SAMPLES).fill(value);
    },
  };
}

/** Checks that packets form one stream: one SSRC, sequence +1 each. */
function assertContinuousSequence(sent: readonly Sent[]): void {
  for (let i = 1; i < sent.length; i++) {
    const [a, b] = [sent[i - 1]!.packet, sent[i]!.packet];
    assert.equal(b.ssrc, a.ssrc);
    assert.equal(b.sequenceNumber, seqAdd(a.sequenceNumber, 1), `packet ${i}`);
  }
}

describe('RtpSender: 20 ms playout', () => {
  it('sends one 160-sample packet every 20 ms with timestamps +160 and a marker on the first only', () => {
    const clock = new FakeClock();
    const { sender: s, sent } = sender(clock, 'PCMA', 8);
    const t0 = clock.now();
    let done = false;
    s.start(frames(50).read, () => (done = true));
    clock.advance(1000);
    assert.equal(done, true);
    assert.equal(sent.length, 50);
    sent.forEach(({ at, packet }, i) => {
      assert.equal(at, t0 + 20 * i, `packet ${i} sent at its slot`);
      assert.equal(packet.payload.length, 160);
      assert.equal(packet.payloadType, 8);
      assert.equal(packet.marker, i === 0);
      assert.equal(timestampDiff(sent[0]!.packet.timestamp, packet.timestamp), 160 * i);
    });
    assertContinuousSequence(sent);
    assert.equal(clock.pending, 0, 'no timer left behind');
  });

  it('does not drift when every timer fires late: the count follows the clock, not the timer calls', () => {
    const fake = new FakeClock();
    const clock = new LateClock(fake, 7);
    const { sender: s, sent } = sender(clock);
    s.start(frames(1000).read, () => undefined);
    fake.advance(1000);
    // Slots 0..49 are due in the first second; each is sent at most 7 ms late. A sender that
    // re-armed a plain 20 ms timer would have sent only 1000 / 27 ≈ 37.
    assert.equal(sent.length, 50);
    for (const [i, { at }] of sent.entries()) assert.ok(at - (fake.now() - 1000) - 20 * i <= 7, `packet ${i} at most 7 ms late`);
    s.stop();
    assert.equal(fake.pending, 0);
  });

  it('catches up after a short stall with back-to-back packets, and skips slots after a long one', () => {
    // The timer for slot 1 (due at 20) runs 70 ms late, at 90: slots 1..4 are due by then.
    const lateClock = new FakeClock();
    const late = sender(new LateClock(lateClock, 70));
    late.sender.start(frames(1000).read, () => undefined);
    lateClock.advance(90);
    assert.deepEqual(
      late.sent.map((p) => p.at - late.sent[0]!.at),
      [0, 90, 90, 90, 90],
    );
    assertContinuousSequence(late.sent);
    assert.deepEqual(
      late.sent.map((p) => timestampDiff(late.sent[0]!.packet.timestamp, p.packet.timestamp)),
      [0, 160, 320, 480, 640],
    );
    late.sender.stop();
    // A stall of 500 ms: no burst of 25 packets; the timestamp jumps with the time instead.
    const longClock = new FakeClock();
    const long = sender(new LateClock(longClock, 500));
    long.sender.start(frames(1000).read, () => undefined);
    longClock.advance(520);
    assert.ok(long.sent.length <= 3, `sent ${long.sent.length} packets after the stall`);
    const last = long.sent[long.sent.length - 1]!.packet;
    assert.equal(timestampDiff(long.sent[0]!.packet.timestamp, last.timestamp), 160 * 26, 'timestamp follows the clock');
    assertContinuousSequence(long.sent);
    long.sender.stop();
  });

  it('continues the talkspurt across sources started back to back, and marks a new one after silence', () => {
    const clock = new FakeClock();
    const { sender: s, sent } = sender(clock);
    let firstDone = false;
    s.start(frames(3).read, () => {
      firstDone = true;
      // Started from the completion callback, as play() after play() does.
      s.start(frames(2).read, () => undefined);
    });
    clock.advance(200);
    assert.equal(firstDone, true);
    assert.equal(sent.length, 5);
    assert.deepEqual(sent.map((p) => p.packet.marker), [true, false, false, false, false]);
    assert.deepEqual(
      sent.map((p) => timestampDiff(sent[0]!.packet.timestamp, p.packet.timestamp)),
      [0, 160, 320, 480, 640],
    );
    // Idle since slot 5 (due at 100): a play started at t = 200 + 5 is slot 10.
    clock.advance(5);
    s.start(frames(2).read, () => undefined);
    clock.advance(40);
    assert.equal(sent.length, 7);
    assert.equal(sent[5]!.packet.marker, true, 'a new talkspurt after silence');
    assert.equal(sent[6]!.packet.marker, false);
    assert.equal(timestampDiff(sent[0]!.packet.timestamp, sent[5]!.packet.timestamp), 160 * 10);
    assertContinuousSequence(sent);
  });

  it('chooses SSRC, first sequence number and first timestamp at random', () => {
    const a = sender(new FakeClock());
    const b = sender(new FakeClock());
    a.sender.start(frames(1).read, () => undefined);
    b.sender.start(frames(1).read, () => undefined);
    const [pa, pb] = [a.sent[0]!.packet, b.sent[0]!.packet];
    assert.ok(pa.ssrc !== pb.ssrc || pa.sequenceNumber !== pb.sequenceNumber || pa.timestamp !== pb.timestamp);
  });

  it('sends nothing while the format is undefined (on hold) but keeps time', () => {
    const clock = new FakeClock();
    let hold = true;
    const sent: RtpPacket[] = [];
    const s = new RtpSender(clock, {
      format: () => (hold ? undefined : { law: 'PCMU', payloadType: 0 }),
      send: (bytes) => {
        const p = RtpPacket.parse(bytes);
        if (p.ok) sent.push(p.value);
      },
    });
    s.start(frames(10).read, () => undefined);
    clock.advance(80);
    assert.equal(sent.length, 0);
    hold = false;
    clock.advance(100);
    assert.equal(sent.length, 5);
    assert.equal(sent[0]!.marker, true);
  });
});
