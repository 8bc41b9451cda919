/** Content-Type / media-type (RFC 3261 §20.15): `m-type SLASH m-subtype *( SEMI m-parameter )`. */
import type { Params } from './types.js';
import { Cursor } from './tokenizer.js';
import { readHeaderParams } from './params.js';

/** A parsed media type. */
export interface MediaType {
  /** Lower-cased `type/subtype`, e.g. `application/sdp`. */
  readonly mediaType: string;
  /** Parameters (`boundary`, `charset`), names lower-cased, values as written. */
  readonly params: Params;
}

const SLASH = 47;

/** Parses a media-type; undefined when malformed. */
export function parseMediaType(text: string): MediaType | undefined {
  const cur = new Cursor(text);
  cur.skipWsp();
  const type = cur.readToken();
  if (type === '' || !cur.eat(SLASH)) return undefined;
  const subtype = cur.readToken();
  if (subtype === '') return undefined;
  const params = new Map<string, string | null>();
  if (!readHeaderParams(cur, params)) return undefined;
  cur.skipWsp();
  if (!cur.done) return undefined;
  return { mediaType: `${type}/${subtype}`.toLowerCase(), params };
}
