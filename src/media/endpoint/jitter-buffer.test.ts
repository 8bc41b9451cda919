import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { RtpPacket } from '../rtp/index.js';
import { JitterBuffer, type JitterOutput } from './jitter-buffer.js';

/** Packet `seq` of a 20 ms stream whose payload octets all equal the low byte of `seq`. */
const pkt = (seq: number, ssrc = 1, timestamp = seq * 160): RtpPacket =>
  RtpPacket.create({ payloadType: 0, sequenceNumber: seq & 0xffff, timestamp: timestamp >>> 0, ssrc, payload: Buffer.alloc(160, seq & 0xff) });

/** Output as a compact list: sequence numbers, and "s<n>" for n samples of silence. */
const describeOut = (out: readonly JitterOutput[]): (number | string)[] =>
  out.map((o) => ('packet' in o ? o.packet.sequenceNumber : `s${o.silence}`));

function run(buffer: JitterBuffer, packets: readonly RtpPacket[]): (number | string)[] {
  const out: JitterOutput[] = [];
  packets.forEach((p, i) => out.push(...buffer.push(p, i * 20)));
  out.push(...buffer.flush());
  return describeOut(out);
}

describe('JitterBuffer', () => {
  it('passes an in-order stream through unchanged, holding back `depth` packets', () => {
    const jb = new JitterBuffer({ depth: 3 });
    assert.deepEqual(describeOut(jb.push(pkt(10), 0)), []);
    jb.push(pkt(11), 20);
    jb.push(pkt(12), 40);
    assert.deepEqual(describeOut(jb.push(pkt(13), 60)), [10]);
    assert.deepEqual(describeOut(jb.flush()), [11, 12, 13]);
  });

  it('puts reordered packets back in sequence', () => {
    const jb = new JitterBuffer({ depth: 3 });
    assert.deepEqual(run(jb, [pkt(1), pkt(3), pkt(2), pkt(5), pkt(4), pkt(6)]), [1, 2, 3, 4, 5, 6]);
    assert.equal(jb.stats.reordered, 2);
    assert.equal(jb.stats.lost, 0);
  });

  it('drops duplicates, whether still held or already handed on', () => {
    const jb = new JitterBuffer({ depth: 2 });
    assert.deepEqual(run(jb, [pkt(1), pkt(2), pkt(2), pkt(3), pkt(4), pkt(1), pkt(5)]), [1, 2, 3, 4, 5]);
    assert.equal(jb.stats.duplicates, 2);
  });

  it('fills a lost packet with silence of its length, and drops it when it comes too late', () => {
    const jb = new JitterBuffer({ depth: 2 });
    assert.deepEqual(run(jb, [pkt(1), pkt(3), pkt(4), pkt(5), pkt(2), pkt(6)]), [1, 's160', 3, 4, 5, 6]);
    assert.equal(jb.stats.lost, 1);
    assert.equal(jb.stats.late, 1);
  });

  it('turns a timestamp jump without lost packets (a pause in the talk) into silence of that length', () => {
    const jb = new JitterBuffer({ depth: 0 });
    assert.deepEqual(run(jb, [pkt(1, 1, 160), pkt(2, 1, 320), pkt(3, 1, 320 + 160 + 800)]), [1, 2, 's800', 3]);
    assert.equal(jb.stats.lost, 0);
  });

  it('bounds the silence a single gap may add', () => {
    const jb = new JitterBuffer({ depth: 0, maxGapSamples: 8000 });
    assert.deepEqual(run(jb, [pkt(1), pkt(2, 1, 2 ** 31)]), [1, 's8000', 2]);
  });

  it('keeps order across the sequence number wrap', () => {
    const jb = new JitterBuffer({ depth: 3 });
    const seqs = [65533, 65535, 65534, 0, 2, 1, 3];
    const out = run(jb, seqs.map((s, i) => pkt(s, 1, 1000 + [0, 2, 1, 3, 5, 4, 6][i]! * 160)));
    assert.deepEqual(out, [65533, 65534, 65535, 0, 1, 2, 3]);
  });

  it('starts over on a new SSRC after handing on what the old stream left', () => {
    const jb = new JitterBuffer({ depth: 3 });
    assert.deepEqual(run(jb, [pkt(1), pkt(2), pkt(500, 2, 99), pkt(501, 2, 259)]), [1, 2, 500, 501]);
  });

  it('releases packets that waited too long for a gap to fill (the sender paused)', () => {
    const jb = new JitterBuffer({ depth: 3 });
    jb.push(pkt(1), 0);
    jb.push(pkt(3), 20);
    assert.deepEqual(describeOut(jb.releaseDue(50, 60)), []);
    assert.deepEqual(describeOut(jb.releaseDue(60, 60)), [1]);
    assert.deepEqual(describeOut(jb.releaseDue(80, 60)), ['s160', 3]);
    assert.equal(jb.size, 0);
  });
});
