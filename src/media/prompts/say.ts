import type { DatePromptId, HourPromptId, NumberPromptId, PromptId, PromptLanguage } from './prompt-texts.js';

/*
 * Sentences composed from prompt pieces. Polish needs more than English:
 * - the noun after a number takes one of three forms (CLDR plural categories one / few / many):
 *   1 wiadomość; 2–4, 22–24, 32–34 … wiadomości (nominative plural); 0, 5–21, 25–31 … and every
 *   12–14 wiadomości (genitive plural) — the two plural forms are spelled alike, the adjective
 *   before them is not (nowe / nowych), so both are kept apart;
 * - "wiadomość" is feminine: a lone 1 is "jedną" (accusative after "masz"), and 2 is "dwie" also
 *   inside a larger number (22 = dwadzieścia dwie); 21, 31 … end in the invariable "jeden".
 */

/** Grammatical gender of what is counted (Polish only; English ignores it). */
export type Gender = 'masculine' | 'feminine';

/** CLDR plural category of a count, as prompt ids name it. */
export type PluralCategory = 'one' | 'few' | 'many';

/** The plural category of `n` in `language` (Polish: one / few / many; English: one / many). */
export function pluralCategory(n: number, language: PromptLanguage): PluralCategory {
  if (n === 1) return 'one';
  if (language === 'en') return 'many';
  const units = n % 10;
  const tens = n % 100;
  return units >= 2 && units <= 4 && !(tens >= 12 && tens <= 14) ? 'few' : 'many';
}

/** The pieces that say a whole number 0–999 ("three hundred forty five", "trzysta czterdzieści pięć"). */
export function sayNumber(n: number, language: PromptLanguage, gender: Gender = 'masculine'): NumberPromptId[] {
  if (!Number.isInteger(n) || n < 0 || n > 999) throw new RangeError(`cannot say ${n}: prompts cover whole numbers 0-999`);
  if (n === 0) return ['n-0'];
  const out: NumberPromptId[] = [];
  const hundreds = Math.floor(n / 100);
  const rest = n % 100;
  if (hundreds > 0) out.push(`n-${hundreds}00` as NumberPromptId);
  if (rest >= 10 && rest < 20) out.push(`n-${rest}` as NumberPromptId);
  else {
    const tens = Math.floor(rest / 10);
    const units = rest % 10;
    if (tens > 0) out.push(`n-${tens}0` as NumberPromptId);
    if (units > 0) out.push(femininePiece(n, units, language, gender) ?? (`n-${units}` as NumberPromptId));
  }
  return out;
}

function femininePiece(n: number, units: number, language: PromptLanguage, gender: Gender): NumberPromptId | undefined {
  if (language !== 'pl' || gender !== 'feminine') return undefined;
  if (units === 2) return 'n-2-f';
  if (units === 1 && n === 1) return 'n-1-f';
  return undefined;
}

/** A number said digit by digit, as extension numbers are ("one zero two"). */
export function sayDigits(digits: string): NumberPromptId[] {
  if (!/^\d+$/.test(digits)) throw new RangeError(`cannot say "${digits}" digit by digit: only 0-9`);
  return [...digits].map((d) => `n-${d}` as NumberPromptId);
}

/**
 * "You have N new/old messages" with the right forms: 1 → "Masz jedną nową wiadomość", 2 → "dwie
 * nowe wiadomości", 5 → "pięć nowych wiadomości"; 0 → "You have no new/old messages".
 */
export function sayMessageCount(count: number, kind: 'new' | 'old', language: PromptLanguage): PromptId[] {
  if (count === 0) return [kind === 'new' ? 'no-new-messages' : 'no-old-messages'];
  const category = pluralCategory(count, language);
  return ['you-have', ...sayNumber(count, language, 'feminine'), `${kind}-${category}`, `message-${category}`];
}

/** A date as a voicemail envelope reads it: "Monday the fifth of December" / "poniedziałek piątego grudnia". */
export function sayDate(date: { readonly weekday: number; readonly day: number; readonly month: number }): DatePromptId[] {
  const { weekday, day, month } = date;
  if (!Number.isInteger(weekday) || weekday < 0 || weekday > 6) throw new RangeError(`weekday ${weekday} must be 0 (Sunday) to 6`);
  if (!Number.isInteger(day) || day < 1 || day > 31) throw new RangeError(`day ${day} must be 1 to 31`);
  if (!Number.isInteger(month) || month < 1 || month > 12) throw new RangeError(`month ${month} must be 1 to 12`);
  return [`weekday-${weekday}`, `day-${day}`, `month-${month}`] as DatePromptId[];
}

/** The mailbox greeting when the box has no own one: "Extension 1 0 2 is busy. Please leave a message after the tone." */
export function sayMailboxGreeting(extension: string, situation: 'unavailable' | 'busy'): PromptId[] {
  return ['extension', ...sayDigits(extension), situation === 'busy' ? 'is-busy' : 'is-unavailable', 'leave-message'];
}

/**
 * The time of the 24-hour clock: "The time is fourteen zero five" / "Jest godzina czternasta zero pięć"; a full hour
 * ends in "o'clock" / "zero zero".
 */
export function sayTime(time: { readonly hour: number; readonly minute: number }, language: PromptLanguage): PromptId[] {
  const { hour, minute } = time;
  if (!Number.isInteger(hour) || hour < 0 || hour > 23) throw new RangeError(`hour ${hour} must be 0 to 23`);
  if (!Number.isInteger(minute) || minute < 0 || minute > 59) throw new RangeError(`minute ${minute} must be 0 to 59`);
  const minutes: PromptId[] = minute === 0 ? ['o-clock'] : minute < 10 ? ['n-0', ...sayNumber(minute, language)] : sayNumber(minute, language);
  return ['time-is', `hour-${hour}` as HourPromptId, ...minutes];
}
