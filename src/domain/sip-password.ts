import { randomInt } from 'node:crypto';

const LETTERS = 'ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz';
const DIGITS = '23456789';
const ALPHABET = LETTERS + DIGITS;

/** Length of generated SIP passwords. */
export const GENERATED_PASSWORD_LENGTH = 16;

/**
 * A crypto-random SIP password: 16 letters and digits (look-alikes 0/O, 1/l/I left out), at least one letter and
 * one digit, never containing `extensionNumber`.
 */
export function generateSipPassword(extensionNumber: string): string {
  for (;;) {
    let out = '';
    for (let i = 0; i < GENERATED_PASSWORD_LENGTH; i++) out += ALPHABET[randomInt(ALPHABET.length)];
    const hasLetter = [...out].some((c) => LETTERS.includes(c));
    const hasDigit = [...out].some((c) => DIGITS.includes(c));
    if (hasLetter && hasDigit && (extensionNumber === '' || !out.includes(extensionNumber))) return out;
  }
}
