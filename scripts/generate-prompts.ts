// Regenerates the committed prompts (prompts/<language>/<id>.wav) from src/media/prompts/prompt-texts.ts
// with espeak-ng and sox: `npm run prompts`. Only this script needs them; Centrala plays the WAV files.
// Usage: npm run prompts [-- id ...]   (no ids: every prompt; files of ids no longer in the table are removed)
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PROMPT_IDS, PROMPT_LANGUAGES, PROMPT_TEXTS, type PromptId, type PromptLanguage } from '../src/media/prompts/prompt-texts.js';

const root = new URL('..', import.meta.url).pathname;
const VOICES: Record<PromptLanguage, string> = { pl: 'pl', en: 'en-us' };
/** Words per minute: a little slower than espeak's 175, for the phone line. */
const SPEED = '160';

function need(tool: string): void {
  try {
    execFileSync(tool, ['--version'], { stdio: 'ignore' });
  } catch {
    console.error(`generate-prompts: ${tool} is not installed (apt-get install -y espeak-ng sox)`);
    process.exit(1);
  }
}

function generate(language: PromptLanguage, id: PromptId, work: string): string {
  const raw = join(work, `${language}-${id}.wav`);
  const out = join(root, 'prompts', language, `${id}.wav`);
  execFileSync('espeak-ng', ['-v', VOICES[language], '-s', SPEED, '-w', raw, PROMPT_TEXTS[id][language]]);
  // 8 kHz mono 16-bit; leading and trailing silence trimmed (below 0.5 % of full scale) and pauses
  // inside shortened to 0.25 s, then 50 ms of air before and 100 ms after so pieces joined into a
  // sentence do not run together; peak at −3 dBFS.
  execFileSync('sox', [
    raw, '-b', '16', '-c', '1', out,
    'silence', '-l', '1', '0.02', '0.5%', '-1', '0.25', '0.5%', 'reverse', 'silence', '1', '0.02', '0.5%', 'reverse',
    'gain', '-n', '-3', 'rate', '-h', '8000', 'pad', '0.05', '0.1',
  ]);
  return out;
}

need('espeak-ng');
need('sox');
const only = process.argv.slice(2);
const unknown = only.filter((id) => !(PROMPT_IDS as readonly string[]).includes(id));
if (unknown.length > 0) {
  console.error(`generate-prompts: unknown prompt ids: ${unknown.join(', ')}`);
  process.exit(1);
}
const ids = only.length > 0 ? PROMPT_IDS.filter((id) => only.includes(id)) : PROMPT_IDS;
const work = mkdtempSync(join(tmpdir(), 'centrala-prompts-'));
let bytes = 0;
try {
  for (const language of PROMPT_LANGUAGES) {
    const dir = join(root, 'prompts', language);
    mkdirSync(dir, { recursive: true });
    if (only.length === 0) {
      for (const file of readdirSync(dir)) {
        if (file.endsWith('.wav') && !(PROMPT_IDS as readonly string[]).includes(file.slice(0, -4))) rmSync(join(dir, file));
      }
    }
    for (const id of ids) bytes += statSync(generate(language, id, work)).size;
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
console.log(`generate-prompts: ${ids.length} prompts × ${PROMPT_LANGUAGES.length} languages, ${(bytes / 1e6).toFixed(2)} MB`);
