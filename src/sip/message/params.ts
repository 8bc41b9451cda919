/**
 * Header parameters (RFC 3261 §25.1 `generic-param`), shared by name-addr, Via, Content-Type and
 * friends. Values are kept as written: a quoted-string keeps its quotes, so formatting gives back
 * what was parsed; {@link paramText} returns the unquoted text.
 */
import type { Params } from './types.js';
import { Cursor, UriChars, allInCharSet, isToken, quote, unquote } from './tokenizer.js';

const SEMI = 59;
const EQUAL = 61;
const DQUOTE = 34;

/**
 * Reads `*( SEMI generic-param )` into `out`, where generic-param = token [ EQUAL gen-value ] and
 * gen-value = token / host / quoted-string; LWS may surround ";" and "=" (SEMI, EQUAL).
 * Stops before anything else (restoring any white space it skipped) and returns false when a
 * parameter is malformed: an empty name (`;;`), a missing value after "=", or a repeated name.
 */
export function readHeaderParams(cur: Cursor, out: Map<string, string | null>): boolean {
  for (;;) {
    const before = cur.pos;
    cur.skipWsp();
    if (cur.peek() !== SEMI) {
      cur.pos = before;
      return true;
    }
    cur.pos++;
    cur.skipWsp();
    const name = cur.readToken();
    if (name === '') return false;
    let value: string | null = null;
    if (cur.eat(EQUAL)) {
      const v = cur.peek() === DQUOTE ? cur.readQuoted() : cur.readSet(UriChars.genValue);
      if (v === undefined || v === '') return false;
      value = v;
    }
    const key = name.toLowerCase();
    if (out.has(key)) return false;
    out.set(key, value);
  }
}

/** Writes parameters as `;name=value;flag` (values as stored, i.e. already quoted if needed). */
export function formatHeaderParams(params: Params): string {
  let out = '';
  for (const [name, value] of params) out += value === null ? `;${name}` : `;${name}=${value}`;
  return out;
}

/** The text of a stored parameter value: quotes removed and quoted-pairs undone. */
export function paramText(value: string | null | undefined): string | null | undefined {
  if (value === null || value === undefined) return value;
  return value.charCodeAt(0) === DQUOTE ? unquote(value) : value;
}

/** A value ready to store: kept bare when it is a valid gen-value, otherwise quoted. */
export function toParamValue(text: string): string {
  return allInCharSet(text, UriChars.genValue) ? text : quote(text);
}

/**
 * A copy of `params` with `name` set to `value` (`null` = flag, `undefined` = remove). Numbers
 * are written in decimal; text that is not a gen-value is quoted.
 */
export function withParam(
  params: Params,
  name: string,
  value: string | number | null | undefined,
): Map<string, string | null> {
  if (!isToken(name)) throw new TypeError(`invalid parameter name: ${JSON.stringify(name)}`);
  const key = name.toLowerCase();
  const out = new Map(params);
  if (value === undefined) out.delete(key);
  else out.set(key, value === null ? null : toParamValue(String(value)));
  return out;
}

/**
 * Builds stored params: a `Params` map is taken as already stored (copied as is); a record holds
 * texts (`null` = flag, `undefined` = skipped), quoted where needed.
 */
export function paramsFrom(
  input: Params | Readonly<Record<string, string | number | null | undefined>> | undefined,
): Map<string, string | null> {
  const out = new Map<string, string | null>();
  if (input === undefined) return out;
  if (input instanceof Map) return new Map(input as Params);
  for (const [name, value] of Object.entries(input)) {
    if (!isToken(name)) throw new TypeError(`invalid parameter name: ${JSON.stringify(name)}`);
    if (value !== undefined) out.set(name.toLowerCase(), value === null ? null : toParamValue(String(value)));
  }
  return out;
}
