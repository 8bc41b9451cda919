import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readNarrowbandWav, resampleToNarrowband } from './resample.js';
import { generateTone } from './tone-generator.js';
import { toneLevel, goertzelPower } from './goertzel.js';
import { writeWav } from './wav.js';

describe('resampling to 8 kHz', () => {
  it('keeps a 1 kHz tone from 16 kHz at its frequency, level and duration', () => {
    const wide = generateTone({ frequencies: [1000], durationMs: 500, sampleRate: 16000, amplitude: 0.5 });
    const narrow = resampleToNarrowband(wide, 16000);
    assert.equal(narrow.length, 4000);
    assert.ok(toneLevel(narrow, 1000, 8000, 100, 3900) > 0.99);
    const peak = Math.max(...narrow.subarray(100, 3900));
    assert.ok(Math.abs(peak - 16384) < 400, `peak ${peak}`);
  });

  it('filters what lies above 4 kHz instead of folding it into the band (5 kHz would alias to 3 kHz)', () => {
    const wide = generateTone({ frequencies: [5000], durationMs: 500, sampleRate: 16000, amplitude: 0.5 });
    const narrow = resampleToNarrowband(wide, 16000);
    const reference = generateTone({ frequencies: [3000], durationMs: 500, amplitude: 0.5 });
    const ratio = goertzelPower(narrow, 3000, 8000, 100, 3900) / goertzelPower(reference, 3000, 8000, 100, 3900);
    assert.ok(ratio < 0.001, `alias at ${10 * Math.log10(ratio)} dB`);
  });

  it('works for 48 kHz and passes 8 kHz through', () => {
    const wide = generateTone({ frequencies: [440], durationMs: 200, sampleRate: 48000 });
    assert.ok(toneLevel(resampleToNarrowband(wide, 48000), 440, 8000, 50, 1550) > 0.99);
    const same = generateTone({ frequencies: [440], durationMs: 20 });
    assert.equal(resampleToNarrowband(same, 8000), same);
  });

  it('reads a 16 kHz WAV as 8 kHz samples and refuses stereo and rates that are not multiples of 8 kHz', () => {
    const wide = generateTone({ frequencies: [440], durationMs: 100, sampleRate: 16000 });
    const ok = readNarrowbandWav(writeWav({ encoding: 'pcm16', sampleRate: 16000, samples: wide }));
    assert.ok(ok.ok);
    assert.equal(ok.value.length, 800);
    const stereo = readNarrowbandWav(writeWav({ encoding: 'pcm16', channels: 2, samples: new Int16Array(320) }));
    assert.deepEqual(stereo, { ok: false, error: 'WAV has 2 channels; prompts must be mono' });
    const cd = readNarrowbandWav(writeWav({ encoding: 'pcm16', sampleRate: 44100, samples: new Int16Array(441) }));
    assert.deepEqual(cd, { ok: false, error: 'WAV sample rate 44100 Hz is not 8 kHz or a multiple of it' });
    assert.throws(() => resampleToNarrowband(new Int16Array(10), 11025), /11025 Hz is not a multiple of 8000 Hz/);
  });
});
