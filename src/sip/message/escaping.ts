/**
 * Percent-escapes in URI components (RFC 3261 §19.1.2, §25.1 `escaped = "%" HEXDIG HEXDIG`).
 * Escaped octets are UTF-8; `%00` is a legal octet (RFC 4475 §3.1.1.4) and decodes to U+0000.
 */
import { inCharSet } from './tokenizer.js';

function hexValue(code: number): number {
  if (code >= 48 && code <= 57) return code - 48;
  if (code >= 65 && code <= 70) return code - 55;
  if (code >= 97 && code <= 102) return code - 87;
  return -1;
}

/**
 * Decodes the escapes of a component whose chars must all be in `set` (a {@link UriChars} flag).
 * Returns undefined when a char is outside the set or an escape is not `%` HEXDIG HEXDIG.
 */
export function unescapeComponent(text: string, set: number): string | undefined {
  let escapes = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (!inCharSet(c, set)) return undefined;
    if (c === 37) {
      if (hexValue(text.charCodeAt(i + 1)) < 0 || hexValue(text.charCodeAt(i + 2)) < 0) return undefined;
      escapes = true;
      i += 2;
    }
  }
  if (!escapes) return text;
  const bytes: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 37) {
      bytes.push(hexValue(text.charCodeAt(i + 1)) * 16 + hexValue(text.charCodeAt(i + 2)));
      i += 2;
    } else {
      bytes.push(c);
    }
  }
  return Buffer.from(bytes).toString('utf8');
}

const HEX = '0123456789ABCDEF';

/** Escapes every char of `text` that is not in `set` (and every `%`) as UTF-8 `%HH` octets. */
export function escapeComponent(text: string, set: number): string {
  let plain = true;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 37 || !inCharSet(c, set)) {
      plain = false;
      break;
    }
  }
  if (plain) return text;
  let out = '';
  for (const ch of text) {
    const c = ch.charCodeAt(0);
    if (c !== 37 && inCharSet(c, set)) {
      out += ch;
      continue;
    }
    for (const byte of Buffer.from(ch, 'utf8')) out += '%' + (HEX[byte >> 4] ?? '') + (HEX[byte & 15] ?? '');
  }
  return out;
}
