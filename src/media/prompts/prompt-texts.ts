/*
 * What every prompt says, in each language. This table is the single source of the prompt set:
 * scripts/generate-prompts.ts speaks it with espeak-ng into prompts/<language>/<id>.wav, and the
 * catalogue (catalogue.ts) knows a prompt id exactly when it is a key here. Ids are the same in
 * every language; where a language has no grammatical distinction (English "message-few" and
 * "message-many" are both "messages"), the texts repeat.
 */

/** Languages prompts exist in (a tenant's language, SPEC 1). */
export const PROMPT_LANGUAGES = ['pl', 'en'] as const;

/** A prompt language. */
export type PromptLanguage = (typeof PROMPT_LANGUAGES)[number];

const EN_UNITS = ['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine'];
const EN_TEENS = ['ten', 'eleven', 'twelve', 'thirteen', 'fourteen', 'fifteen', 'sixteen', 'seventeen', 'eighteen', 'nineteen'];
const EN_TENS = ['', '', 'twenty', 'thirty', 'forty', 'fifty', 'sixty', 'seventy', 'eighty', 'ninety'];
const PL_UNITS = ['zero', 'jeden', 'dwa', 'trzy', 'cztery', 'pięć', 'sześć', 'siedem', 'osiem', 'dziewięć'];
const PL_TEENS = ['dziesięć', 'jedenaście', 'dwanaście', 'trzynaście', 'czternaście', 'piętnaście', 'szesnaście', 'siedemnaście', 'osiemnaście', 'dziewiętnaście'];
const PL_TENS = ['', '', 'dwadzieścia', 'trzydzieści', 'czterdzieści', 'pięćdziesiąt', 'sześćdziesiąt', 'siedemdziesiąt', 'osiemdziesiąt', 'dziewięćdziesiąt'];
const PL_HUNDREDS = ['', 'sto', 'dwieście', 'trzysta', 'czterysta', 'pięćset', 'sześćset', 'siedemset', 'osiemset', 'dziewięćset'];

const EN_ORDINALS = [
  '', 'first', 'second', 'third', 'fourth', 'fifth', 'sixth', 'seventh', 'eighth', 'ninth', 'tenth',
  'eleventh', 'twelfth', 'thirteenth', 'fourteenth', 'fifteenth', 'sixteenth', 'seventeenth', 'eighteenth', 'nineteenth', 'twentieth',
  'twenty-first', 'twenty-second', 'twenty-third', 'twenty-fourth', 'twenty-fifth', 'twenty-sixth', 'twenty-seventh', 'twenty-eighth', 'twenty-ninth', 'thirtieth',
  'thirty-first',
];
/** Polish ordinals in the genitive, as a date is read ("piątego grudnia"). */
const PL_ORDINALS = [
  '', 'pierwszego', 'drugiego', 'trzeciego', 'czwartego', 'piątego', 'szóstego', 'siódmego', 'ósmego', 'dziewiątego', 'dziesiątego',
  'jedenastego', 'dwunastego', 'trzynastego', 'czternastego', 'piętnastego', 'szesnastego', 'siedemnastego', 'osiemnastego', 'dziewiętnastego', 'dwudziestego',
  'dwudziestego pierwszego', 'dwudziestego drugiego', 'dwudziestego trzeciego', 'dwudziestego czwartego', 'dwudziestego piątego',
  'dwudziestego szóstego', 'dwudziestego siódmego', 'dwudziestego ósmego', 'dwudziestego dziewiątego', 'trzydziestego',
  'trzydziestego pierwszego',
];
const EN_MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
/** Polish month names in the genitive ("piątego grudnia"). */
const PL_MONTHS = ['stycznia', 'lutego', 'marca', 'kwietnia', 'maja', 'czerwca', 'lipca', 'sierpnia', 'września', 'października', 'listopada', 'grudnia'];
/** Polish hours: feminine ordinals in the nominative, as the time is read ("jest godzina czternasta"). */
const PL_HOURS = [
  'zero', 'pierwsza', 'druga', 'trzecia', 'czwarta', 'piąta', 'szósta', 'siódma', 'ósma', 'dziewiąta', 'dziesiąta', 'jedenasta',
  'dwunasta', 'trzynasta', 'czternasta', 'piętnasta', 'szesnasta', 'siedemnasta', 'osiemnasta', 'dziewiętnasta', 'dwudziesta',
  'dwudziesta pierwsza', 'dwudziesta druga', 'dwudziesta trzecia',
];
/** Weekdays, index 0 = Sunday (as Date.getDay()). */
const EN_WEEKDAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const PL_WEEKDAYS = ['niedziela', 'poniedziałek', 'wtorek', 'środa', 'czwartek', 'piątek', 'sobota'];

type Texts = Readonly<Record<PromptLanguage, string>>;
type Digit = 0 | 1 | 2 | 3 | 4 | 5 | 6 | 7 | 8 | 9;
type NonZero = Exclude<Digit, 0>;
/** Number building blocks: 0–19, tens, hundreds, and the feminine 1 and 2 Polish counting needs. */
export type NumberPromptId = `n-${Digit}` | `n-1${Digit}` | `n-${Exclude<NonZero, 1>}0` | `n-${NonZero}00` | 'n-1-f' | 'n-2-f';
/** Date building blocks: ordinal days 1–31, months 1–12, weekdays 0 (Sunday) – 6. */
export type DatePromptId =
  | `day-${NonZero}`
  | `day-${1 | 2}${Digit}`
  | 'day-30'
  | 'day-31'
  | `month-${NonZero}`
  | 'month-10'
  | 'month-11'
  | 'month-12'
  | `weekday-${0 | 1 | 2 | 3 | 4 | 5 | 6}`;
/** Hours of the 24-hour clock (Polish ordinals, English cardinals). */
export type HourPromptId = `hour-${Digit}` | `hour-1${Digit}` | `hour-2${0 | 1 | 2 | 3}`;

function numberPieces(): Record<NumberPromptId, Texts> {
  const out: Record<string, Texts> = {};
  for (let n = 0; n < 10; n++) out[`n-${n}`] = { en: EN_UNITS[n] ?? '', pl: PL_UNITS[n] ?? '' };
  for (let n = 10; n < 20; n++) out[`n-${n}`] = { en: EN_TEENS[n - 10] ?? '', pl: PL_TEENS[n - 10] ?? '' };
  for (let t = 2; t < 10; t++) out[`n-${t * 10}`] = { en: EN_TENS[t] ?? '', pl: PL_TENS[t] ?? '' };
  for (let h = 1; h < 10; h++) out[`n-${h * 100}`] = { en: `${EN_UNITS[h]} hundred`, pl: PL_HUNDREDS[h] ?? '' };
  // Feminine forms for counting "wiadomość": accusative "jedną" on its own, "dwie" (also in 22, 32 …).
  out['n-1-f'] = { en: 'one', pl: 'jedną' };
  out['n-2-f'] = { en: 'two', pl: 'dwie' };
  return out as Record<NumberPromptId, Texts>;
}

function datePieces(): Record<DatePromptId, Texts> {
  const out: Record<string, Texts> = {};
  for (let d = 1; d <= 31; d++) out[`day-${d}`] = { en: `the ${EN_ORDINALS[d]}`, pl: PL_ORDINALS[d] ?? '' };
  for (let m = 1; m <= 12; m++) out[`month-${m}`] = { en: `of ${EN_MONTHS[m - 1]}`, pl: PL_MONTHS[m - 1] ?? '' };
  for (let w = 0; w < 7; w++) out[`weekday-${w}`] = { en: EN_WEEKDAYS[w] ?? '', pl: PL_WEEKDAYS[w] ?? '' };
  return out as Record<DatePromptId, Texts>;
}

function hourPieces(): Record<HourPromptId, Texts> {
  const out: Record<string, Texts> = {};
  for (let h = 0; h < 24; h++) out[`hour-${h}`] = { en: h < 10 ? (EN_UNITS[h] ?? '') : h < 20 ? (EN_TEENS[h - 10] ?? '') : `twenty-${EN_UNITS[h - 20]}`.replace('-zero', ''), pl: PL_HOURS[h] ?? '' };
  return out as Record<HourPromptId, Texts>;
}

/** The fixed phrases. */
const PHRASES = {
  // Mailbox greeting, composed: "extension" N "is unavailable" / "is busy", "please leave a message after the tone".
  extension: { en: 'Extension', pl: 'Numer wewnętrzny' },
  'is-unavailable': { en: 'is unavailable.', pl: 'jest niedostępny.' },
  'is-busy': { en: 'is busy.', pl: 'jest zajęty.' },
  'leave-message': { en: 'Please leave a message after the tone.', pl: 'Proszę zostawić wiadomość po sygnale.' },
  // Mailbox login (*98).
  'enter-pin': { en: 'Please enter your PIN, followed by the hash key.', pl: 'Wprowadź kod PIN i zakończ krzyżykiem.' },
  'wrong-pin': { en: 'Wrong PIN.', pl: 'Nieprawidłowy kod PIN.' },
  // Message counts, composed: "you have" N "new"/"old" "message(s)".
  'you-have': { en: 'You have', pl: 'Masz' },
  'new-one': { en: 'new', pl: 'nową' },
  'new-few': { en: 'new', pl: 'nowe' },
  'new-many': { en: 'new', pl: 'nowych' },
  'old-one': { en: 'old', pl: 'starą' },
  'old-few': { en: 'old', pl: 'stare' },
  'old-many': { en: 'old', pl: 'starych' },
  'message-one': { en: 'message', pl: 'wiadomość' },
  'message-few': { en: 'messages', pl: 'wiadomości' },
  'message-many': { en: 'messages', pl: 'wiadomości' },
  and: { en: 'and', pl: 'i' },
  'no-new-messages': { en: 'You have no new messages.', pl: 'Nie masz nowych wiadomości.' },
  'no-old-messages': { en: 'You have no old messages.', pl: 'Nie masz starych wiadomości.' },
  'no-messages': { en: 'You have no messages.', pl: 'Nie masz żadnych wiadomości.' },
  // Voicemail menus (Asterisk VoiceMailMain key layout, SPEC 2.3).
  'menu-main': {
    en: 'Press 1 to listen to your messages, 0 for mailbox options, or hash to exit.',
    pl: 'Naciśnij 1, aby odsłuchać wiadomości, 0, aby przejść do ustawień skrzynki, lub krzyżyk, aby zakończyć.',
  },
  'menu-message': {
    en: 'Press 5 to repeat this message, 4 for the previous message, 6 for the next message, 7 to delete it, 9 to save it, or hash to exit.',
    pl: 'Naciśnij 5, aby powtórzyć wiadomość, 4, aby przejść do poprzedniej, 6, aby przejść do następnej, 7, aby ją usunąć, 9, aby ją zapisać, lub krzyżyk, aby zakończyć.',
  },
  'menu-options': {
    en: 'Press 1 to record your unavailable greeting, 2 to record your busy greeting, 3 to record your name, 4 to record your temporary greeting, or star to return to the main menu.',
    pl: 'Naciśnij 1, aby nagrać powitanie, gdy jesteś niedostępny, 2, aby nagrać powitanie, gdy jesteś zajęty, 3, aby nagrać swoje imię, 4, aby nagrać powitanie tymczasowe, lub gwiazdkę, aby wrócić do menu głównego.',
  },
  'menu-temporary-greeting': {
    en: 'Your temporary greeting is active. Press 1 to re-record it, or 2 to remove it.',
    pl: 'Twoje powitanie tymczasowe jest włączone. Naciśnij 1, aby nagrać je ponownie, lub 2, aby je usunąć.',
  },
  'record-greeting': { en: 'After the tone, record your greeting, then press hash.', pl: 'Po sygnale nagraj powitanie, a potem naciśnij krzyżyk.' },
  'record-name': { en: 'After the tone, say your name, then press hash.', pl: 'Po sygnale powiedz swoje imię, a potem naciśnij krzyżyk.' },
  'menu-review': {
    en: 'Press 1 to accept this recording, 2 to listen to it again, or 3 to re-record.',
    pl: 'Naciśnij 1, aby zaakceptować nagranie, 2, aby odsłuchać je ponownie, lub 3, aby nagrać je jeszcze raz.',
  },
  'recording-saved': { en: 'Your recording has been saved.', pl: 'Nagranie zostało zapisane.' },
  'greeting-removed': { en: 'Your temporary greeting has been removed.', pl: 'Powitanie tymczasowe zostało usunięte.' },
  'message-number': { en: 'Message', pl: 'Wiadomość numer' },
  received: { en: 'Received', pl: 'Otrzymana' },
  'message-saved': { en: 'Message saved.', pl: 'Wiadomość zapisana.' },
  'message-deleted': { en: 'Message deleted.', pl: 'Wiadomość usunięta.' },
  'no-more-messages': { en: 'No more messages.', pl: 'Nie ma więcej wiadomości.' },
  'mailbox-full': { en: 'The mailbox is full.', pl: 'Skrzynka jest pełna.' },
  'invalid-option': { en: 'That is not a valid option.', pl: 'Nieprawidłowy wybór.' },
  // Call refusals and the outgoing-call PIN (SPEC 2.5).
  'call-not-allowed': { en: 'This call is not allowed.', pl: 'To połączenie jest niedozwolone.' },
  'rate-not-allowed': { en: 'Your call cannot be completed at this rate.', pl: 'Nie można zrealizować połączenia w tej taryfie.' },
  'enter-outgoing-pin': { en: 'Please enter the PIN for outgoing calls, followed by the hash key.', pl: 'Wprowadź kod PIN dla połączeń wychodzących i zakończ krzyżykiem.' },
  'number-does-not-exist': { en: 'The number you dialled does not exist.', pl: 'Wybrany numer nie istnieje.' },
  goodbye: { en: 'Goodbye.', pl: 'Do widzenia.' },
  // Self-checks (*43, *44).
  'echo-test': { en: 'Echo test. Speak, and you will hear yourself.', pl: 'Test echa. Mów, a usłyszysz samego siebie.' },
  'test-tone': { en: 'This is a test tone.', pl: 'To jest sygnał testowy.' },
  // The speaking clock (*44): "The time is" + hour + minutes (sayTime).
  'time-is': { en: 'The time is', pl: 'Jest godzina' },
  'o-clock': { en: "o'clock", pl: 'zero zero' },
} satisfies Record<string, Texts>;

/** A prompt id: a phrase, a number piece or a date piece. */
export type PromptId = keyof typeof PHRASES | NumberPromptId | DatePromptId | HourPromptId;

/** Every prompt's text, by id and language. */
export const PROMPT_TEXTS: Readonly<Record<PromptId, Texts>> = { ...PHRASES, ...numberPieces(), ...datePieces(), ...hourPieces() };

/** Every prompt id, in table order. */
export const PROMPT_IDS: readonly PromptId[] = Object.keys(PROMPT_TEXTS) as PromptId[];
