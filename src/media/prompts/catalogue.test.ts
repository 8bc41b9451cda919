import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { readWav } from '../codec/index.js';
import { rms } from '../endpoint/recorder.js';
import { PromptCatalogue } from './catalogue.js';
import { PROMPT_IDS, PROMPT_LANGUAGES, type PromptId } from './prompt-texts.js';

const catalogue = new PromptCatalogue();

describe('prompt catalogue', () => {
  for (const language of PROMPT_LANGUAGES) {
    it(`has every prompt in ${language} as a spoken 8 kHz mono 16-bit WAV`, () => {
      for (const id of PROMPT_IDS) {
        const path = catalogue.file(language, id);
        const wav = readWav(readFileSync(path));
        assert.ok(wav.ok, `${path}: ${wav.ok ? '' : wav.error}`);
        const { encoding, sampleRate, channels, samples, truncated } = wav.value;
        assert.deepEqual({ encoding, sampleRate, channels, truncated }, { encoding: 'pcm16', sampleRate: 8000, channels: 1, truncated: false }, path);
        const seconds = samples.length / 8000;
        assert.ok(seconds > 0.2 && seconds < 20, `${path}: ${seconds} s`);
        assert.ok(rms(samples) > 500, `${path} is not silent`);
      }
    });

    it(`holds no ${language} file the catalogue does not name`, () => {
      const files = readdirSync(join(catalogue.directory, language));
      const known = new Set(PROMPT_IDS.map((id) => `${id}.wav`));
      assert.deepEqual(files.filter((f) => !known.has(f)), []);
    });
  }

  it('stays small', () => {
    let bytes = 0;
    for (const language of PROMPT_LANGUAGES) for (const id of PROMPT_IDS) bytes += statSync(catalogue.file(language, id)).size;
    assert.ok(bytes < 7_000_000, `${bytes} octets of prompts`);
  });

  it('maps ids to play items and refuses unknown ids and languages', () => {
    assert.deepEqual(catalogue.items('pl', ['goodbye']), [{ file: join(catalogue.directory, 'pl', 'goodbye.wav') }]);
    assert.throws(() => catalogue.file('pl', 'nope' as PromptId), /unknown prompt id "nope"/);
    assert.throws(() => catalogue.file('de' as 'pl', 'goodbye'), /no prompts in language "de"/);
  });
});
