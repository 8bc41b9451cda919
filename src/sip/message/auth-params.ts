/**
 * Challenge and credentials headers (WWW-Authenticate, Proxy-Authenticate, Authorization,
 * Proxy-Authorization; RFC 3261 §25.1, RFC 7616 §3, RFC 7235 §2.1):
 *   challenge = auth-scheme LWS auth-param *(COMMA auth-param)
 *   auth-param = auth-param-name EQUAL ( token / quoted-string )
 */
import { Cursor, isToken, quote, unquote } from './tokenizer.js';

/** A parsed challenge or credentials value. */
export interface AuthHeader {
  /** The scheme as written (`Digest`); compare case-insensitively. */
  readonly scheme: string;
  /** Parameters, names lower-cased, values unquoted (quoted-pairs undone). */
  readonly params: ReadonlyMap<string, string>;
  /** The token68 form some schemes use instead of parameters (`Basic dXNlcg==`). */
  readonly token68?: string;
}

/** Options of {@link formatAuthHeader}. */
export interface FormatAuthOptions {
  /** Parameter names written as bare tokens; all others are quoted. Defaults to algorithm, stale, nc. */
  readonly tokens?: readonly string[];
}

const COMMA = 44;
const EQUAL = 61;
const DQUOTE = 34;
const DEFAULT_TOKENS = ['algorithm', 'stale', 'nc'];

function isToken68(text: string): boolean {
  // token68 = 1*( ALPHA / DIGIT / "-" / "." / "_" / "~" / "+" / "/" ) *"="
  let i = 0;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    const ok =
      (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 45 || c === 46 || c === 95 ||
      c === 126 || c === 43 || c === 47;
    if (!ok) break;
    i++;
  }
  if (i === 0) return false;
  while (i < text.length && text.charCodeAt(i) === EQUAL) i++;
  return i === text.length;
}

/** Parses a challenge or credentials value; undefined when malformed or a parameter repeats. */
export function parseAuthHeader(value: string): AuthHeader | undefined {
  const cur = new Cursor(value);
  cur.skipWsp();
  const scheme = cur.readToken();
  if (scheme === '') return undefined;
  const params = new Map<string, string>();
  if (cur.skipWsp() === 0) return cur.done ? { scheme, params } : undefined;
  const rest = value.slice(cur.pos).trimEnd();
  // token68 has "=" only as trailing padding, so `name=value` never reads as one.
  if (isToken68(rest)) return { scheme, params, token68: rest };
  for (;;) {
    const name = cur.readToken();
    if (name === '' || !cur.eat(EQUAL)) return undefined;
    let text: string | undefined;
    if (cur.peek() === DQUOTE) {
      const quoted = cur.readQuoted();
      text = quoted === undefined ? undefined : unquote(quoted);
    } else {
      text = cur.readToken();
      if (text === '') text = undefined;
    }
    if (text === undefined) return undefined;
    const key = name.toLowerCase();
    if (params.has(key)) return undefined;
    params.set(key, text);
    cur.skipWsp();
    if (cur.done) return { scheme, params };
    if (!cur.eat(COMMA)) return undefined;
    // Empty list elements (`a=1,,b=2`) are allowed by the #rule.
    while (cur.eat(COMMA));
    if (cur.done) return { scheme, params };
  }
}

/** Writes `Scheme name="value", name=token, …` (RFC 7616 §3.3/§3.4 quoting by default). */
export function formatAuthHeader(
  scheme: string,
  params: Iterable<readonly [string, string]> | Readonly<Record<string, string>>,
  options: FormatAuthOptions = {},
): string {
  if (!isToken(scheme)) throw new TypeError(`invalid auth scheme ${JSON.stringify(scheme)}`);
  const tokens = new Set((options.tokens ?? DEFAULT_TOKENS).map((t) => t.toLowerCase()));
  const entries: Iterable<readonly [string, string]> =
    Symbol.iterator in params ? (params as Iterable<readonly [string, string]>) : Object.entries(params);
  const parts: string[] = [];
  for (const [name, value] of entries) {
    if (!isToken(name)) throw new TypeError(`invalid auth parameter name ${JSON.stringify(name)}`);
    const bare = tokens.has(name.toLowerCase()) && isToken(value);
    parts.push(`${name}=${bare ? value : quote(value)}`);
  }
  return parts.length === 0 ? scheme : `${scheme} ${parts.join(', ')}`;
}
