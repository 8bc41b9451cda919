import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { PROMPT_TEXTS, type PromptId, type PromptLanguage } from './prompt-texts.js';
import { pluralCategory, sayDate, sayDigits, sayMailboxGreeting, sayMessageCount, sayNumber, sayTime } from './say.js';

/** What a list of pieces says, joined with spaces. */
const text = (ids: readonly PromptId[], language: PromptLanguage): string => ids.map((id) => PROMPT_TEXTS[id][language]).join(' ');

describe('saying numbers', () => {
  it('composes 0–999 from pieces that all exist, in both languages', () => {
    for (let n = 0; n <= 999; n++) {
      for (const language of ['pl', 'en'] as const) {
        for (const id of sayNumber(n, language, 'feminine')) assert.ok(Object.hasOwn(PROMPT_TEXTS, id), `${n}: ${id}`);
      }
    }
  });

  it('says numbers as words', () => {
    assert.equal(text(sayNumber(0, 'pl'), 'pl'), 'zero');
    assert.equal(text(sayNumber(13, 'pl'), 'pl'), 'trzynaście');
    assert.equal(text(sayNumber(345, 'pl'), 'pl'), 'trzysta czterdzieści pięć');
    assert.equal(text(sayNumber(210, 'pl'), 'pl'), 'dwieście dziesięć');
    assert.equal(text(sayNumber(999, 'pl'), 'pl'), 'dziewięćset dziewięćdziesiąt dziewięć');
    assert.equal(text(sayNumber(345, 'en'), 'en'), 'three hundred forty five');
    assert.equal(text(sayNumber(112, 'en'), 'en'), 'one hundred twelve');
    assert.equal(text(sayNumber(700, 'en'), 'en'), 'seven hundred');
  });

  it('uses the feminine forms only where Polish needs them', () => {
    assert.equal(text(sayNumber(1, 'pl', 'feminine'), 'pl'), 'jedną');
    assert.equal(text(sayNumber(21, 'pl', 'feminine'), 'pl'), 'dwadzieścia jeden');
    assert.equal(text(sayNumber(2, 'pl', 'feminine'), 'pl'), 'dwie');
    assert.equal(text(sayNumber(102, 'pl', 'feminine'), 'pl'), 'sto dwie');
    assert.equal(text(sayNumber(2, 'pl'), 'pl'), 'dwa');
    assert.deepEqual(sayNumber(2, 'en', 'feminine'), ['n-2']);
  });

  it('refuses what the pieces cannot say', () => {
    assert.throws(() => sayNumber(1000, 'pl'), /0-999/);
    assert.throws(() => sayNumber(-1, 'en'), /0-999/);
    assert.throws(() => sayNumber(1.5, 'en'), /0-999/);
    assert.throws(() => sayDigits('12a'), /only 0-9/);
  });

  it('says extension numbers digit by digit', () => {
    assert.equal(text(sayDigits('102'), 'pl'), 'jeden zero dwa');
  });
});

describe('plural forms', () => {
  it('Polish: one / few (2–4, 22–24 … but not 12–14) / many', () => {
    const expect: [number, string][] = [
      [1, 'one'], [2, 'few'], [3, 'few'], [4, 'few'], [5, 'many'], [11, 'many'], [12, 'many'], [14, 'many'],
      [21, 'many'], [22, 'few'], [24, 'few'], [25, 'many'], [0, 'many'], [101, 'many'], [102, 'few'], [112, 'many'], [113, 'many'], [122, 'few'],
    ];
    for (const [n, category] of expect) assert.equal(pluralCategory(n, 'pl'), category, String(n));
  });

  it('English: one / many', () => {
    assert.equal(pluralCategory(1, 'en'), 'one');
    assert.equal(pluralCategory(2, 'en'), 'many');
    assert.equal(pluralCategory(22, 'en'), 'many');
  });
});

describe('"you have N new messages"', () => {
  const pl = (n: number, kind: 'new' | 'old' = 'new'): string => text(sayMessageCount(n, kind, 'pl'), 'pl');
  const en = (n: number, kind: 'new' | 'old' = 'new'): string => text(sayMessageCount(n, kind, 'en'), 'en');

  it('in Polish, with number, adjective and noun agreeing', () => {
    assert.equal(pl(1), 'Masz jedną nową wiadomość');
    assert.equal(pl(2), 'Masz dwie nowe wiadomości');
    assert.equal(pl(4), 'Masz cztery nowe wiadomości');
    assert.equal(pl(5), 'Masz pięć nowych wiadomości');
    assert.equal(pl(12), 'Masz dwanaście nowych wiadomości');
    assert.equal(pl(21), 'Masz dwadzieścia jeden nowych wiadomości');
    assert.equal(pl(22), 'Masz dwadzieścia dwie nowe wiadomości');
    assert.equal(pl(112), 'Masz sto dwanaście nowych wiadomości');
    assert.equal(pl(3, 'old'), 'Masz trzy stare wiadomości');
    assert.equal(pl(1, 'old'), 'Masz jedną starą wiadomość');
    assert.equal(pl(0), 'Nie masz nowych wiadomości.');
  });

  it('in English', () => {
    assert.equal(en(1), 'You have one new message');
    assert.equal(en(2), 'You have two new messages');
    assert.equal(en(112, 'old'), 'You have one hundred twelve old messages');
    assert.equal(en(0, 'old'), 'You have no old messages.');
  });
});

describe('the time (speaking clock)', () => {
  it('says every minute of the day with pieces that exist, in both languages', () => {
    for (let hour = 0; hour < 24; hour++) {
      for (let minute = 0; minute < 60; minute++) {
        for (const language of ['pl', 'en'] as const) {
          for (const id of sayTime({ hour, minute }, language)) assert.ok(Object.hasOwn(PROMPT_TEXTS, id), `${hour}:${minute}: ${id}`);
        }
      }
    }
  });

  it('reads hours as Polish ordinals, minutes as numbers, full hours and single-digit minutes as a clock does', () => {
    assert.equal(text(sayTime({ hour: 14, minute: 35 }, 'pl'), 'pl'), 'Jest godzina czternasta trzydzieści pięć');
    assert.equal(text(sayTime({ hour: 21, minute: 5 }, 'pl'), 'pl'), 'Jest godzina dwudziesta pierwsza zero pięć');
    assert.equal(text(sayTime({ hour: 0, minute: 0 }, 'pl'), 'pl'), 'Jest godzina zero zero zero');
    assert.equal(text(sayTime({ hour: 14, minute: 35 }, 'en'), 'en'), 'The time is fourteen thirty five');
    assert.equal(text(sayTime({ hour: 9, minute: 0 }, 'en'), 'en'), "The time is nine o'clock");
    assert.equal(text(sayTime({ hour: 23, minute: 7 }, 'en'), 'en'), 'The time is twenty-three zero seven');
    assert.throws(() => sayTime({ hour: 24, minute: 0 }, 'en'), /hour 24/);
    assert.throws(() => sayTime({ hour: 1, minute: 60 }, 'pl'), /minute 60/);
  });
});

describe('dates and the mailbox greeting', () => {
  it('says a date in both languages', () => {
    const ids = sayDate({ weekday: 6, day: 5, month: 12 });
    assert.equal(text(ids, 'pl'), 'sobota piątego grudnia');
    assert.equal(text(ids, 'en'), 'Saturday the fifth of December');
    assert.equal(text(sayDate({ weekday: 1, day: 31, month: 1 }), 'pl'), 'poniedziałek trzydziestego pierwszego stycznia');
    assert.throws(() => sayDate({ weekday: 7, day: 1, month: 1 }), /weekday 7/);
    assert.throws(() => sayDate({ weekday: 0, day: 32, month: 1 }), /day 32/);
    assert.throws(() => sayDate({ weekday: 0, day: 1, month: 13 }), /month 13/);
  });

  it('composes the default greeting', () => {
    assert.equal(
      text(sayMailboxGreeting('102', 'busy'), 'en'),
      'Extension one zero two is busy. Please leave a message after the tone.',
    );
    assert.equal(
      text(sayMailboxGreeting('7', 'unavailable'), 'pl'),
      'Numer wewnętrzny siedem jest niedostępny. Proszę zostawić wiadomość po sygnale.',
    );
  });
});
