/**
 * Reads and writes the parameters of Digest challenges and credentials over the message
 * module's auth-param parser (RFC 3261 §25.1), adding the limits an authenticator wants on
 * hostile input. Never throws on input.
 */
import { formatAuthHeader, parseAuthHeader } from '../message/index.js';

/** Header values longer than this are refused unread (a real Authorization is a few hundred bytes). */
export const MAX_AUTH_VALUE_LENGTH = 4096;
/** More parameters than this are refused (RFC 7616 defines fewer than 15). */
const MAX_AUTH_PARAMS = 32;

function hasControlChar(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if ((c < 0x20 && c !== 0x09) || c === 0x7f) return true;
  }
  return false;
}

/**
 * The parameters (names lower-cased, values unquoted) of a `Digest` challenge or credentials
 * value; undefined for another scheme, a token68 form, a repeated parameter (RFC 7616 §3.4:
 * ambiguous, so refused), more than 32 parameters, more than 4096 characters, or a value
 * carrying a control character (an escaped NUL must not reach a lookup).
 */
export function readDigestParams(value: string): ReadonlyMap<string, string> | undefined {
  if (typeof value !== 'string' || value.length > MAX_AUTH_VALUE_LENGTH) return undefined;
  const parsed = parseAuthHeader(value);
  if (!parsed || parsed.token68 !== undefined || parsed.scheme.toLowerCase() !== 'digest') return undefined;
  if (parsed.params.size > MAX_AUTH_PARAMS) return undefined;
  for (const v of parsed.params.values()) if (hasControlChar(v)) return undefined;
  return parsed.params;
}

/**
 * Writes `Digest name=value, …` in the given order. RFC 7616 §3.3/§3.4: the names in `tokens`
 * (algorithm, stale, qop and nc in credentials) are bare tokens, every other value is quoted.
 */
export function formatDigestParams(params: ReadonlyArray<readonly [string, string]>, tokens: readonly string[]): string {
  return formatAuthHeader('Digest', params, { tokens });
}
