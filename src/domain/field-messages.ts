import type { LocalizedMessage } from './domain-error.js';

// The wording of input-shape problems, shared by the domain rules (API and CLI alike) and the API's schema
// check, so a wrong type, an unknown field or a missing one reads the same wherever it is caught:
// `general.ringTimeSeconds: must be a number, got a string`, `forwarding.noAnswer.number: unknown field`.

/** A JSON type a field may expect (`integer`: a number without a fraction). */
export type JsonType = 'string' | 'number' | 'integer' | 'boolean' | 'object' | 'array' | 'null';

const EXPECTED: Readonly<Record<JsonType, LocalizedMessage>> = {
  string: { pl: 'tekstem', en: 'a string' },
  number: { pl: 'liczbą', en: 'a number' },
  integer: { pl: 'liczbą całkowitą', en: 'an integer' },
  boolean: { pl: 'wartością true lub false', en: 'true or false' },
  object: { pl: 'obiektem', en: 'an object' },
  array: { pl: 'listą', en: 'a list' },
  null: { pl: 'null', en: 'null' },
};

const GOT: Readonly<Record<Exclude<JsonType, 'integer'>, LocalizedMessage>> = {
  string: { pl: 'tekst', en: 'a string' },
  number: { pl: 'liczbę', en: 'a number' },
  boolean: { pl: 'wartość logiczną', en: 'a boolean' },
  object: { pl: 'obiekt', en: 'an object' },
  array: { pl: 'listę', en: 'a list' },
  null: { pl: 'null', en: 'null' },
};

/** The JSON type of a parsed value. */
export function jsonTypeOf(value: unknown): Exclude<JsonType, 'integer'> {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  const type = typeof value;
  return type === 'string' || type === 'number' || type === 'boolean' ? type : 'object';
}

/** True when `value` is of one of the `expected` JSON types. */
export function hasJsonType(value: unknown, expected: readonly JsonType[]): boolean {
  const type = jsonTypeOf(value);
  return expected.some((e) => e === type || (e === 'integer' && Number.isInteger(value)));
}

/** `field: must be a number, got a string` (a fractional number where an integer is expected is shown as is). */
export function wrongTypeMessage(field: string, expected: readonly JsonType[], value: unknown): LocalizedMessage {
  const type = jsonTypeOf(value);
  const got = type === 'number' && expected.includes('integer') ? { pl: String(value), en: String(value) } : GOT[type];
  const list = (lang: keyof LocalizedMessage, or: string): string => expected.map((e) => EXPECTED[e][lang]).join(or);
  return {
    pl: `${field}: musi być ${list('pl', ' lub ')}, podano ${got.pl}`,
    en: `${field}: must be ${list('en', ' or ')}, got ${got.en}`,
  };
}

/** `field: unknown field`. */
export function unknownFieldMessage(field: string): LocalizedMessage {
  return { pl: `${field}: nieznane pole`, en: `${field}: unknown field` };
}

/** `field: is required`. */
export function missingFieldMessage(field: string): LocalizedMessage {
  return { pl: `${field}: pole jest wymagane`, en: `${field}: is required` };
}
