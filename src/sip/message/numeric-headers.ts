/** Integer-valued headers: Content-Length, Max-Forwards, Expires (RFC 3261 §20.14, §20.22, §20.19). */
import { isDigit, trimWsp } from './tokenizer.js';

/** Largest delta-seconds value kept as is: larger ones MAY be treated as 2**32-1 (RFC 3261 §10.2.1.1). */
export const MAX_DELTA_SECONDS = 2 ** 32 - 1;

/** Delta-seconds used for a malformed expiry: "Malformed values SHOULD be treated as equivalent to 3600" (RFC 3261 §10.2.1.1). */
export const MALFORMED_EXPIRES = 3600;

/** The value of `1*DIGIT` (leading zeros allowed), capped at `cap`; undefined when not all digits. */
function readDigits(text: string, cap: number): number | undefined {
  const value = trimWsp(text);
  if (value.length === 0) return undefined;
  let n = 0;
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (!isDigit(c)) return undefined;
    n = Math.min(n * 10 + (c - 48), cap + 1);
  }
  return n;
}

/** Content-Length = 1*DIGIT; undefined when malformed or negative (RFC 4475 §3.1.2.3 ncl). Values over 2**32-1 read as 2**32. */
export function parseContentLength(text: string): number | undefined {
  return readDigits(text, MAX_DELTA_SECONDS);
}

/** Max-Forwards = 1*DIGIT in 0–255 (RFC 3261 §8.1.1.6); undefined when malformed or larger. */
export function parseMaxForwards(text: string): number | undefined {
  const n = readDigits(text, 255);
  return n !== undefined && n <= 255 ? n : undefined;
}

/**
 * delta-seconds as used by Expires and the Contact `expires` parameter: values larger than
 * 2**32-1 become 2**32-1 and malformed ones 3600 (RFC 3261 §10.2.1.1, RFC 4475 §3.1.2.4).
 */
export function parseDeltaSeconds(text: string): number {
  const n = readDigits(text, MAX_DELTA_SECONDS);
  if (n === undefined) return MALFORMED_EXPIRES;
  return Math.min(n, MAX_DELTA_SECONDS);
}
