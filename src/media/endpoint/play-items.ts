import { readFile } from 'node:fs/promises';
import { LruMap } from '../../lib/index.js';
import { type ToneName, TONE_CADENCES, readNarrowbandWav, renderTone } from '../codec/index.js';

/** One thing to play; a list of them plays back to back as one talkspurt. */
export type PlayItem =
  /** A WAV file: mono PCM 16-bit (or G.711) at 8 kHz or a multiple of it (16 kHz prompts are resampled). */
  | { readonly file: string }
  /** The bytes of such a WAV file (e.g. a greeting from the store). */
  | { readonly wav: Uint8Array }
  /** 8 kHz linear samples (e.g. a recording just made). */
  | { readonly samples: Int16Array }
  /** A call-progress tone (see codec/tones.ts); default one cycle of its cadence. */
  | { readonly tone: ToneName; readonly durationMs?: number }
  /** Silence. */
  | { readonly silenceMs: number };

/** Loads prompt files as 8 kHz samples, keeping the most recently used ones decoded. */
export class PromptLoader {
  readonly #cache: LruMap<string, Int16Array>;

  constructor(cacheSize = 256) {
    this.#cache = new LruMap(cacheSize);
  }

  /** The file's samples; rejects with an Error naming the file and what is wrong with it. */
  async load(path: string): Promise<Int16Array> {
    const cached = this.#cache.get(path);
    if (cached) return cached;
    let bytes: Buffer;
    try {
      bytes = await readFile(path);
    } catch (err) {
      throw new Error(`cannot play ${path}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`, { cause: err });
    }
    const audio = readNarrowbandWav(bytes);
    if (!audio.ok) throw new Error(`cannot play ${path}: ${audio.error}`);
    this.#cache.set(path, audio.value);
    return audio.value;
  }
}

/** Checks and renders a play list to one run of 8 kHz samples; bad items reject before anything is sent. */
export async function renderPlayItems(items: readonly PlayItem[], loader: PromptLoader): Promise<Int16Array> {
  const parts: Int16Array[] = [];
  for (const [i, item] of items.entries()) {
    if ('file' in item) parts.push(await loader.load(item.file));
    else if ('wav' in item) {
      const audio = readNarrowbandWav(item.wav);
      if (!audio.ok) throw new Error(`cannot play item ${i + 1}: ${audio.error}`);
      parts.push(audio.value);
    } else if ('samples' in item) parts.push(item.samples);
    else if ('tone' in item) {
      if (!Object.hasOwn(TONE_CADENCES, item.tone)) throw new Error(`cannot play item ${i + 1}: unknown tone "${item.tone}" (known: ${Object.keys(TONE_CADENCES).join(', ')})`);
      parts.push(renderTone(item.tone, item.durationMs));
    } else if ('silenceMs' in item) {
      if (!(item.silenceMs >= 0) || !Number.isFinite(item.silenceMs)) throw new Error(`cannot play item ${i + 1}: silence of ${item.silenceMs} ms`);
      parts.push(new Int16Array(Math.round(item.silenceMs * 8)));
    } else throw new Error(`cannot play item ${i + 1}: not a file, wav, samples, tone or silence`);
  }
  const out = new Int16Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
