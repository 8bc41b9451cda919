import { prompts } from '../../media/index.js';
import type { PlayItem } from '../../media/index.js';
import type { AppCall } from './call-app.js';

/** The test tone of `*44`: 1004 Hz (the digital milliwatt frequency, not a sub-multiple of 8 kHz), −10 dBFS. */
export const TEST_TONE = { frequencyHz: 1004, amplitude: 0.316, durationMs: 4000 } as const;

/** Samples of the test tone at 8 kHz. */
export function testToneSamples(): Int16Array {
  const n = (TEST_TONE.durationMs * 8000) / 1000;
  const out = new Int16Array(n);
  const step = (2 * Math.PI * TEST_TONE.frequencyHz) / 8000;
  for (let i = 0; i < n; i++) out[i] = Math.round(Math.sin(i * step) * TEST_TONE.amplitude * 32767);
  return out;
}

/** Hour and minute of `at` in the server's time zone (the tenant has no time zone of its own). */
export function localTime(at: number): { hour: number; minute: number } {
  const date = new Date(at);
  return { hour: date.getHours(), minute: date.getMinutes() };
}

/**
 * `*44` speaking clock and test tone: answers, says the time in the tenant's language ("The time is fourteen zero
 * five"), says "this is a test tone", plays {@link TEST_TONE} and hangs up.
 */
export async function speakingClock(call: AppCall): Promise<void> {
  if (!(await call.answer())) return;
  const items: PlayItem[] = [
    ...call.prompts(prompts.sayTime(localTime(call.startedAt), call.language)),
    { silenceMs: 500 },
    ...call.prompts(['test-tone']),
    { samples: testToneSamples() },
  ];
  if ((await call.play(items)).reason !== 'done') return;
  await call.hangUp();
}
