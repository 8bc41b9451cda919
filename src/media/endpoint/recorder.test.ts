import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { generateTone } from '../codec/index.js';
import { Recorder } from './recorder.js';

const tone = (ms: number): Int16Array => generateTone({ frequencies: [440], durationMs: ms, amplitude: 0.3 });
const silence = (ms: number): Int16Array => new Int16Array(ms * 8);

describe('Recorder', () => {
  it('trims leading and trailing silence', () => {
    const r = new Recorder({});
    for (const part of [silence(500), tone(300), silence(100), tone(200), silence(700)]) assert.equal(r.push(part), undefined);
    assert.equal(r.finish().length, (300 + 100 + 200) * 8);
  });

  it('keeps everything when trimming is off', () => {
    const r = new Recorder({ trimSilence: false });
    for (const part of [silence(500), tone(300), silence(700)]) r.push(part);
    assert.equal(r.finish().length, 1500 * 8);
  });

  it('stops at the maximum length, counted from the first sound', () => {
    const r = new Recorder({ maxDurationMs: 1000 });
    assert.equal(r.push(silence(2000)), undefined);
    assert.equal(r.push(tone(900)), undefined);
    assert.equal(r.push(tone(200)), 'maxDuration');
    assert.equal(r.finish().length, 8000);
  });

  it('stops after the silence limit once something was said, never before', () => {
    const r = new Recorder({ maxSilenceMs: 1000 });
    assert.equal(r.push(silence(3000)), undefined);
    r.push(tone(400));
    assert.equal(r.push(silence(900)), undefined);
    assert.equal(r.push(silence(200)), 'silence');
    assert.equal(r.finish().length, 400 * 8);
  });

  it('gives an empty recording for silence only, and refuses nonsense limits', () => {
    const r = new Recorder({});
    r.push(silence(1000));
    assert.equal(r.finish().length, 0);
    assert.throws(() => new Recorder({ maxDurationMs: 0 }), /maxDurationMs 0/);
    assert.throws(() => new Recorder({ maxSilenceMs: -1 }), /maxSilenceMs -1/);
  });
});
