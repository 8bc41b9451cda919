import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { detectTone, goertzelPower, toneLevel } from './goertzel.js';
import { g711Decode, g711Encode } from './g711.js';
import { ToneGenerator, generateTone } from './tone-generator.js';

describe('tone generator', () => {
  it('generates a sine of the requested amplitude and length', () => {
    const samples = generateTone({ frequencies: [1000], durationMs: 20, amplitude: 0.5 });
    assert.equal(samples.length, 160);
    assert.equal(Math.max(...samples), 16384);
    assert.equal(samples[0], 0);
    assert.equal(samples[2], 16384); // 1 kHz at 8 kHz: a quarter period is 2 samples
  });

  it('stays phase-continuous across reads (20 ms frames join into one signal)', () => {
    const whole = generateTone({ frequencies: [440], durationMs: 100 });
    const gen = new ToneGenerator({ frequencies: [440] });
    const frames = Array.from({ length: 5 }, () => gen.read(160));
    assert.deepEqual(Int16Array.from(frames.flatMap((f) => [...f])), whole);
  });

  it('refuses frequencies at or above Nyquist and amplitudes above full scale', () => {
    assert.throws(() => new ToneGenerator({ frequencies: [4000] }), RangeError);
    assert.throws(() => new ToneGenerator({ frequencies: [0] }), RangeError);
    assert.throws(() => new ToneGenerator({ frequencies: [440], amplitude: 1.5 }), RangeError);
  });
});

describe('Goertzel detector', () => {
  const tone440 = generateTone({ frequencies: [440], durationMs: 500 });
  const tone1000 = generateTone({ frequencies: [1000], durationMs: 500 });

  it('finds 440 Hz in a 440 Hz tone and not 1000 Hz, and the other way round', () => {
    assert.ok(toneLevel(tone440, 440, 8000) > 0.99);
    assert.ok(toneLevel(tone440, 1000, 8000) < 0.01);
    assert.ok(toneLevel(tone1000, 1000, 8000) > 0.99);
    assert.ok(toneLevel(tone1000, 440, 8000) < 0.01);
  });

  it('splits the energy of a two-tone mix between both frequencies', () => {
    const mix = generateTone({ frequencies: [440, 1000], durationMs: 500, amplitude: 0.4 });
    assert.ok(Math.abs(toneLevel(mix, 440, 8000) - 0.5) < 0.05);
    assert.ok(Math.abs(toneLevel(mix, 1000, 8000) - 0.5) < 0.05);
  });

  for (const law of ['PCMU', 'PCMA'] as const) {
    it(`still tells 440 Hz from 1000 Hz after a ${law} encode/decode round trip`, () => {
      const heard440 = g711Decode(law, g711Encode(law, tone440));
      const heard1000 = g711Decode(law, g711Encode(law, tone1000));
      assert.ok(toneLevel(heard440, 440, 8000) > 0.98);
      assert.ok(toneLevel(heard440, 1000, 8000) < 0.01);
      assert.ok(toneLevel(heard1000, 1000, 8000) > 0.98);
      assert.ok(toneLevel(heard1000, 440, 8000) < 0.01);
    });
  }

  it('gives zero for silence and power proportional to amplitude squared', () => {
    assert.equal(toneLevel(new Int16Array(800), 440, 8000), 0);
    const quiet = generateTone({ frequencies: [440], durationMs: 500, amplitude: 0.25 });
    const ratio = goertzelPower(tone440, 440, 8000) / goertzelPower(quiet, 440, 8000);
    assert.ok(Math.abs(ratio - 4) < 0.01);
  });

  it('detectTone counts the blocks of a recording that carry the tone and ignores silence', () => {
    const recording = new Int16Array(8000 * 2);
    recording.set(g711Decode('PCMA', g711Encode('PCMA', generateTone({ frequencies: [1000], durationMs: 1000 }))), 8000);
    const found = detectTone(recording, { frequency: 1000 });
    assert.equal(found.blocks, 20);
    assert.equal(found.toneBlocks, 10);
    assert.equal(found.ratio, 0.5);
    assert.equal(detectTone(recording, { frequency: 440 }).toneBlocks, 0);
  });
});
