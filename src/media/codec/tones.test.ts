import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { toneLevel } from './goertzel.js';
import { renderTone, toneCycleMs } from './tones.js';

/** The on/off pattern of a tone in 10 ms blocks: '#' where there is signal, '.' where there is none. */
function pattern(samples: Int16Array, blockMs = 10): string {
  const n = blockMs * 8;
  let out = '';
  for (let i = 0; i + n <= samples.length; i += n) out += samples.subarray(i, i + n).some((s) => s !== 0) ? '#' : '.';
  return out;
}

const run = (ch: string, ms: number): string => ch.repeat(ms / 10);

describe('call-progress tones (ETSI / Poland, 425 Hz)', () => {
  it('ringback: 425 Hz, 1 s on, 4 s off', () => {
    const tone = renderTone('ringback', 10_000);
    assert.equal(pattern(tone), (run('#', 1000) + run('.', 4000)).repeat(2));
    assert.ok(toneLevel(tone, 425, 8000, 0, 8000) > 0.99);
  });

  it('busy 0.5 / 0.5 s and congestion 0.2 / 0.2 s, both 425 Hz', () => {
    assert.equal(pattern(renderTone('busy', 2000)), (run('#', 500) + run('.', 500)).repeat(2));
    assert.equal(pattern(renderTone('congestion', 800)), (run('#', 200) + run('.', 200)).repeat(2));
    assert.ok(toneLevel(renderTone('busy', 500), 425, 8000) > 0.99);
  });

  it('SIT: 950, 1400, 1800 Hz for 330 ms each, then 1 s of silence', () => {
    const sit = renderTone('sit');
    assert.equal(toneCycleMs('sit'), 1990);
    assert.equal(sit.length, 1990 * 8);
    const segment = (k: number): [number, number] => [k * 330 * 8, (k + 1) * 330 * 8];
    [950, 1400, 1800].forEach((f, k) => assert.ok(toneLevel(sit, f, 8000, ...segment(k)) > 0.99, `${f} Hz in segment ${k + 1}`));
    assert.ok(sit.subarray(990 * 8).every((s) => s === 0));
  });

  it('beep: 1 kHz for 250 ms; a duration cuts or repeats the cadence', () => {
    const beep = renderTone('beep');
    assert.equal(beep.length, 2000);
    assert.ok(toneLevel(beep, 1000, 8000) > 0.99);
    assert.equal(renderTone('busy', 250).length, 2000);
    assert.throws(() => renderTone('busy', -1), /-1 ms/);
  });
});
