import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { seqAdd, seqDiff, seqNewer, timestampAdd, timestampDiff } from './sequence-number.js';
import { SequenceTracker } from './sequence-tracker.js';

describe('sequence-number arithmetic', () => {
  it('adds across the 16-bit wrap in both directions', () => {
    assert.equal(seqAdd(65535, 1), 0);
    assert.equal(seqAdd(0, -1), 65535);
    assert.equal(seqAdd(100, 65536), 100);
  });

  it('measures signed distance across the wrap', () => {
    assert.equal(seqDiff(65535, 0), 1);
    assert.equal(seqDiff(0, 65535), -1);
    assert.equal(seqDiff(10, 20), 10);
    assert.equal(seqDiff(0, 32767), 32767);
    assert.equal(seqDiff(0, 32768), -32768);
  });

  it('treats 0 as newer than 65535 and 65000 as older than 10', () => {
    assert.equal(seqNewer(0, 65535), true);
    assert.equal(seqNewer(65535, 0), false);
    assert.equal(seqNewer(65000, 10), false);
    assert.equal(seqNewer(5, 5), false);
  });

  it('adds and compares 32-bit timestamps across the wrap', () => {
    assert.equal(timestampAdd(0xffffff60, 160), 0);
    assert.equal(timestampAdd(0, -160), 0xffffff60);
    assert.equal(timestampDiff(0xffffff60, 0), 160);
    assert.equal(timestampDiff(0, 0xffffff60), -160);
  });
});

describe('SequenceTracker (RFC 3550 Appendix A.1)', () => {
  it('holds a new source in probation until two sequential packets arrive', () => {
    const t = new SequenceTracker();
    assert.equal(t.update(1000), 'probation');
    assert.equal(t.update(1001), 'valid');
    assert.equal(t.expected, 1);
    assert.equal(t.received, 1);
  });

  it('counts a wrap as a new cycle in the extended highest sequence number', () => {
    const t = new SequenceTracker();
    for (const seq of [65533, 65534, 65535, 0, 1]) t.update(seq);
    assert.equal(t.extendedHighest, 65536 + 1);
    assert.equal(t.expected, 4);
    assert.equal(t.lost, 0);
  });

  it('computes loss from gaps', () => {
    const t = new SequenceTracker();
    for (const seq of [1, 2, 3, 5, 6, 9]) t.update(seq);
    assert.equal(t.expected, 8);
    assert.equal(t.received, 5);
    assert.equal(t.lost, 3);
  });

  it('counts a late duplicate as received (loss can go negative)', () => {
    const t = new SequenceTracker();
    for (const seq of [1, 2, 3]) t.update(seq);
    assert.equal(t.update(2), 'duplicateOrLate');
    assert.equal(t.lost, -1);
  });

  it('accepts a very large jump only after two sequential packets (source restart)', () => {
    const t = new SequenceTracker();
    for (const seq of [1, 2, 3]) t.update(seq);
    assert.equal(t.update(40000), 'bad');
    assert.equal(t.update(40001), 'valid');
    assert.equal(t.extendedHighest, 40001);
  });
});
