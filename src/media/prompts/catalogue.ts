import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { PlayItem } from '../endpoint/index.js';
import { PROMPT_LANGUAGES, PROMPT_TEXTS, type PromptId, type PromptLanguage } from './prompt-texts.js';

/** The prompts shipped with Centrala: `prompts/<language>/<id>.wav` at the package root. */
export const DEFAULT_PROMPT_DIRECTORY = fileURLToPath(new URL('../../../prompts/', import.meta.url));

/** Maps prompt ids and languages to the files that say them (8 kHz mono 16-bit WAV). */
export class PromptCatalogue {
  readonly directory: string;

  constructor(directory = DEFAULT_PROMPT_DIRECTORY) {
    this.directory = directory;
  }

  /** The path of one prompt; throws RangeError for an unknown id or language. */
  file(language: PromptLanguage, id: PromptId): string {
    if (!PROMPT_LANGUAGES.includes(language)) throw new RangeError(`no prompts in language "${language}" (available: ${PROMPT_LANGUAGES.join(', ')})`);
    if (!Object.hasOwn(PROMPT_TEXTS, id)) throw new RangeError(`unknown prompt id "${id}"`);
    return join(this.directory, language, `${id}.wav`);
  }

  /** Play items for prompts said one after another (a sentence composed by say.ts, for instance). */
  items(language: PromptLanguage, ids: readonly PromptId[]): PlayItem[] {
    return ids.map((id) => ({ file: this.file(language, id) }));
  }
}
