import { normalizePhoneNumber } from './normalize-phone-number.js';

// Primitive value rules shared by the extension, tenant and auth rules. Each returns the normalised value
// or undefined when the value breaks the rule.

/** Emergency numbers that always go out and that no extension may shadow (SPEC 2.1, 2.5). */
export const EMERGENCY_NUMBERS: readonly string[] = ['112', '997', '998', '999'];

/** Extension-number prefixes reserved for dialling out: `00` is the international prefix. */
export const RESERVED_EXTENSION_PREFIXES: readonly string[] = ['00'];

/**
 * The emergency number an extension number would shadow: the number is an emergency number, a prefix of one
 * (`11`, `99`, `112`) or starts with one (`1120`, `9971`). Undefined when it shadows none.
 */
export function shadowedEmergencyNumber(number: string): string | undefined {
  return EMERGENCY_NUMBERS.find((e) => e.startsWith(number) || number.startsWith(e));
}

/** Letters of the GSM 03.38 basic character set (Latin, the accented letters it has, and its Greek capitals). */
export const GSM_LETTERS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyzÄÖÑÜäöñüàÅåÆæßÉèéùìòÇØøΔΦΓΛΩΠΨΣΘΞ';

/** Characters allowed in an alphanumeric SMS sender: GSM 03.38 letters, digits, space. */
export function isGsmSenderText(text: string): boolean {
  return [...text].every((c) => GSM_LETTERS.includes(c) || (c >= '0' && c <= '9') || c === ' ');
}

/** True when `text` has a control character (C0, DEL, C1). */
export function hasControlCharacter(text: string): boolean {
  return /\p{Cc}/u.test(text);
}

/** A trimmed string of `min`–`max` code points without control characters, or undefined. */
export function boundedText(value: unknown, min: number, max: number): string | undefined {
  if (typeof value !== 'string') return undefined;
  const text = value.trim();
  const length = [...text].length;
  if (length < min || length > max || hasControlCharacter(text)) return undefined;
  return text;
}

/** An integer within [min, max], or undefined. */
export function boundedInteger(value: unknown, min: number, max: number): number | undefined {
  return typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max ? value : undefined;
}

/** A PIN of 4–8 digits, or undefined. */
export function validPin(value: unknown): string | undefined {
  return typeof value === 'string' && /^\d{4,8}$/.test(value) ? value : undefined;
}

/**
 * A normalised e-mail address (trimmed, domain lower-cased): one `@`, a local part of 1–64 and a dotted domain,
 * at most 254 characters, no spaces or control characters. Undefined when invalid.
 */
export function validEmail(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const text = value.trim();
  if (text.length > 254 || hasControlCharacter(text)) return undefined;
  const match = /^([^\s@"<>(),;:\\[\]]{1,64})@([a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)+)$/.exec(text);
  if (!match) return undefined;
  return `${match[1]}@${(match[2] ?? '').toLowerCase()}`;
}

/** A phone number as E.164 (accepting national form of `country`), or undefined. */
export function validPhoneNumber(value: unknown, country: string): string | undefined {
  return typeof value === 'string' ? normalizePhoneNumber(value, country) : undefined;
}

/** ISO 4217 currency code shape: three capital letters. */
export function validCurrency(value: unknown): string | undefined {
  return typeof value === 'string' && /^[A-Z]{3}$/.test(value) ? value : undefined;
}
