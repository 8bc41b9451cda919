import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { readWav, writeWav } from './wav.js';
import { toneLevel } from './goertzel.js';
import { generateTone } from './tone-generator.js';

const fixture = (name: string): Buffer => readFileSync(new URL(`../../../test/fixtures/audio/${name}`, import.meta.url));

describe('WAV read/write', () => {
  it('reads a PCM 16-bit mono 8 kHz file written by sox', () => {
    const result = readWav(fixture('tone-440-pcm16.wav'));
    assert.ok(result.ok, result.ok ? '' : result.error);
    const wav = result.value;
    assert.equal(wav.encoding, 'pcm16');
    assert.equal(wav.sampleRate, 8000);
    assert.equal(wav.channels, 1);
    assert.equal(wav.samples.length, 800);
    assert.equal(wav.truncated, false);
    assert.ok(toneLevel(wav.samples, 440, 8000) > 0.95);
  });

  for (const [name, encoding] of [
    ['tone-1000-pcmu.wav', 'pcmu'],
    ['tone-1000-pcma.wav', 'pcma'],
  ] as const) {
    it(`reads G.711 ${encoding} written by sox and decodes the 1 kHz tone: ${name}`, () => {
      const result = readWav(fixture(name));
      assert.ok(result.ok, result.ok ? '' : result.error);
      assert.equal(result.value.encoding, encoding);
      assert.equal(result.value.samples.length, 800);
      assert.ok(toneLevel(result.value.samples, 1000, 8000) > 0.95);
    });
  }

  for (const name of ['tone-440-pcm16.wav', 'tone-1000-pcmu.wav', 'tone-1000-pcma.wav']) {
    it(`writing what was read gives back sox's file octet for octet: ${name}`, () => {
      const result = readWav(fixture(name));
      assert.ok(result.ok);
      const { encoding, sampleRate, channels, data } = result.value;
      assert.deepEqual(writeWav({ encoding, sampleRate, channels, data }), fixture(name));
    });
  }

  it('reads WAVE_FORMAT_EXTENSIBLE and skips a LIST chunk with its pad octet', () => {
    const result = readWav(fixture('tone-440-extensible-list.wav'));
    assert.ok(result.ok, result.ok ? '' : result.error);
    assert.equal(result.value.encoding, 'pcm16');
    assert.equal(result.value.samples.length, 160);
    assert.equal(result.value.samples[2], Math.round(16000 * Math.sin((2 * Math.PI * 440 * 2) / 8000)));
  });

  it('reads an unfinished recording up to its end and flags it truncated', () => {
    const result = readWav(fixture('truncated-data.wav'));
    assert.ok(result.ok);
    assert.equal(result.value.truncated, true);
    assert.equal(result.value.samples.length, 50);
  });

  it('refuses a file that is not RIFF/WAVE with a clear reason', () => {
    const result = readWav(fixture('not-a-wav.wav'));
    assert.equal(result.ok, false);
    if (!result.ok) assert.match(result.error, /not a WAV file/);
  });

  it('refuses unsupported sample formats naming what is supported', () => {
    const result = readWav(fixture('unsupported-float32.wav'));
    assert.equal(result.ok, false);
    if (!result.ok) assert.match(result.error, /unsupported WAV format: tag 3, 32 bits/);
  });

  for (const encoding of ['pcm16', 'pcmu', 'pcma'] as const) {
    it(`writes ${encoding} from linear samples and reads the same tone back`, () => {
      const samples = generateTone({ frequencies: [440], durationMs: 200 });
      const result = readWav(writeWav({ encoding, samples }));
      assert.ok(result.ok, result.ok ? '' : result.error);
      assert.equal(result.value.encoding, encoding);
      assert.equal(result.value.samples.length, 1600);
      if (encoding === 'pcm16') assert.deepEqual(result.value.samples, samples);
      assert.ok(toneLevel(result.value.samples, 440, 8000) > 0.99);
    });
  }

  it('pads an odd-sized data chunk to an even length', () => {
    const bytes = writeWav({ encoding: 'pcmu', data: Buffer.from([1, 2, 3]) });
    assert.equal(bytes.length % 2, 0);
    const result = readWav(bytes);
    assert.ok(result.ok);
    assert.deepEqual([...result.value.data], [1, 2, 3]);
  });
});
