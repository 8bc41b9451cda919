/**
 * Character classes and a small cursor for the RFC 3261 §25.1 grammar. Everything works on
 * char codes with lookup tables: no regular expressions, so no backtracking on hostile input.
 */

const ALNUM = 1 << 0;
const TOKEN = 1 << 1;
const WORD = 1 << 2;
const UNRESERVED = 1 << 3;
const USER = 1 << 4;
const PASSWORD = 1 << 5;
const PARAM = 1 << 6;
const HNV = 1 << 7;
const URIC = 1 << 8;
const SCHEME = 1 << 9;
const HOST = 1 << 10;
const GEN_VALUE = 1 << 11;

const CLASSES = new Uint16Array(128);

function mark(chars: string, flags: number): void {
  for (let i = 0; i < chars.length; i++) {
    const code = chars.charCodeAt(i);
    CLASSES[code] = (CLASSES[code] ?? 0) | flags;
  }
}

const ALPHA = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const DIGIT = '0123456789';
// alphanum: ALPHA / DIGIT
mark(ALPHA + DIGIT, ALNUM | TOKEN | WORD | UNRESERVED | USER | PASSWORD | PARAM | HNV | URIC | SCHEME | HOST | GEN_VALUE);
// token = 1*(alphanum / "-" / "." / "!" / "%" / "*" / "_" / "+" / "`" / "'" / "~")
mark('-.!%*_+`\'~', TOKEN | WORD | GEN_VALUE);
// word adds ( ) < > : \ DQUOTE / [ ] ? { }
mark('()<>:\\"/[]?{}', WORD);
// mark = "-" / "_" / "." / "!" / "~" / "*" / "'" / "(" / ")"; unreserved = alphanum / mark
mark("-_.!~*'()", UNRESERVED | USER | PASSWORD | PARAM | HNV | URIC);
// escaped = "%" HEXDIG HEXDIG (validated separately, but "%" is allowed where escapes are)
mark('%', USER | PASSWORD | PARAM | HNV | URIC);
// user-unreserved = "&" / "=" / "+" / "$" / "," / ";" / "?" / "/"
mark('&=+$,;?/', USER);
// password = *( unreserved / escaped / "&" / "=" / "+" / "$" / "," )
mark('&=+$,', PASSWORD);
// param-unreserved = "[" / "]" / "/" / ":" / "&" / "+" / "$"
mark('[]/:&+$', PARAM);
// hnv-unreserved = "[" / "]" / "/" / "?" / ":" / "+" / "$"
mark('[]/?:+$', HNV);
// reserved = ";" / "/" / "?" / ":" / "@" / "&" / "=" / "+" / "$" / ","
mark(';/?:@&=+$,', URIC);
// scheme = ALPHA *( ALPHA / DIGIT / "+" / "-" / "." )
mark('+-.', SCHEME);
// hostname = alphanum / "-" / "." ("_" tolerated: container and SRV-style names use it)
mark('-._', HOST);
// gen-value = token / host / quoted-string: host adds ":" "[" "]" for IPv6
mark(':[]', GEN_VALUE);

function has(code: number, flag: number): boolean {
  return code < 128 && ((CLASSES[code] ?? 0) & flag) !== 0;
}

/** True for a char code allowed in an RFC 3261 `token`. */
export function isTokenChar(code: number): boolean {
  return has(code, TOKEN);
}

/** True for a char code allowed in an RFC 3261 `word` (Call-ID parts). */
export function isWordChar(code: number): boolean {
  return has(code, WORD);
}

/** True for an ALPHA or DIGIT char code. */
export function isAlphanumeric(code: number): boolean {
  return has(code, ALNUM);
}

/** True for an ASCII decimal digit char code. */
export function isDigit(code: number): boolean {
  return code >= 48 && code <= 57;
}

/** True for SP or HTAB, the white space of LWS once folding is undone. */
export function isWsp(code: number): boolean {
  return code === 32 || code === 9;
}

/** Character sets of the URI grammar (RFC 3261 §25.1), used by the URI parser and escaper. */
export const UriChars = {
  user: USER,
  password: PASSWORD,
  param: PARAM,
  header: HNV,
  uric: URIC,
  scheme: SCHEME,
  host: HOST,
  genValue: GEN_VALUE,
  unreserved: UNRESERVED,
} as const;

/** True when `code` belongs to one of the {@link UriChars} sets. */
export function inCharSet(code: number, set: number): boolean {
  return has(code, set);
}

/** True when every char of `text` is in `set` (and `text` is not empty). */
export function allInCharSet(text: string, set: number): boolean {
  if (text.length === 0) return false;
  for (let i = 0; i < text.length; i++) if (!has(text.charCodeAt(i), set)) return false;
  return true;
}

/** True when `text` is a non-empty RFC 3261 `token`. */
export function isToken(text: string): boolean {
  return allInCharSet(text, TOKEN);
}

/** Trims SP and HTAB (only those, not other Unicode white space) from both ends. */
export function trimWsp(text: string): string {
  let start = 0;
  let end = text.length;
  while (start < end && isWsp(text.charCodeAt(start))) start++;
  while (end > start && isWsp(text.charCodeAt(end - 1))) end--;
  return start === 0 && end === text.length ? text : text.slice(start, end);
}

/**
 * Scans a quoted-string starting at `pos` (which must be a DQUOTE) and returns the index just
 * after the closing DQUOTE, or -1 when it is unterminated or holds a char qdtext forbids.
 * quoted-string = SWS DQUOTE *(qdtext / quoted-pair) DQUOTE;
 * qdtext = LWS / %x21 / %x23-5B / %x5D-7E / UTF8-NONASCII; quoted-pair = "\" (%x00-09 / %x0B-0C / %x0E-7F)
 */
export function scanQuotedString(text: string, pos: number): number {
  let i = pos + 1;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (c === 34) return i + 1;
    if (c === 92) {
      const next = text.charCodeAt(i + 1);
      if (Number.isNaN(next) || next === 10 || next === 13 || next > 0x7f) return -1;
      i += 2;
      continue;
    }
    if ((c < 0x20 && c !== 9) || c === 0x7f) return -1;
    i++;
  }
  return -1;
}

/** The text of a quoted-string (with its quotes) with the quotes removed and quoted-pairs undone. */
export function unquote(quoted: string): string {
  const inner = quoted.slice(1, -1);
  if (inner.indexOf('\\') < 0) return inner;
  let out = '';
  for (let i = 0; i < inner.length; i++) {
    const c = inner[i];
    if (c === '\\' && i + 1 < inner.length) {
      out += inner[i + 1];
      i++;
    } else {
      out += c;
    }
  }
  return out;
}

/** Writes `text` as a quoted-string, escaping `"` and `\` (and the other chars qdtext forbids). */
export function quote(text: string): string {
  let out = '"';
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 34 || c === 92 || (c < 0x20 && c !== 9 && c !== 10 && c !== 13) || c === 0x7f) {
      out += '\\' + text[i];
    } else if (c === 10 || c === 13) {
      // CR and LF cannot be carried at all (not even as quoted-pair): they become spaces.
      out += ' ';
    } else {
      out += text[i];
    }
  }
  return out + '"';
}

/** A read position over one header value; methods advance it and return what they read. */
export class Cursor {
  readonly text: string;
  pos: number;

  constructor(text: string, pos = 0) {
    this.text = text;
    this.pos = pos;
  }

  /** True when every char has been read. */
  get done(): boolean {
    return this.pos >= this.text.length;
  }

  /** The char code at the position, or NaN at the end. */
  peek(): number {
    return this.text.charCodeAt(this.pos);
  }

  /** Skips SP and HTAB (folding is already undone) and returns how many were skipped. */
  skipWsp(): number {
    const start = this.pos;
    while (this.pos < this.text.length && isWsp(this.text.charCodeAt(this.pos))) this.pos++;
    return this.pos - start;
  }

  /** Consumes `code` if it is next (after optional white space when `sws`); returns whether it did. */
  eat(code: number, sws = true): boolean {
    const save = this.pos;
    if (sws) this.skipWsp();
    if (this.text.charCodeAt(this.pos) === code) {
      this.pos++;
      if (sws) this.skipWsp();
      return true;
    }
    this.pos = save;
    return false;
  }

  /** Reads a run of chars of the given class flag (see {@link UriChars}); '' when none. */
  readSet(set: number): string {
    const start = this.pos;
    while (this.pos < this.text.length && has(this.text.charCodeAt(this.pos), set)) this.pos++;
    return this.text.slice(start, this.pos);
  }

  /** Reads a token; '' when none is next. */
  readToken(): string {
    return this.readSet(TOKEN);
  }

  /** Reads a quoted-string with its quotes; undefined when none is next or it is malformed. */
  readQuoted(): string | undefined {
    if (this.text.charCodeAt(this.pos) !== 34) return undefined;
    const end = scanQuotedString(this.text, this.pos);
    if (end < 0) return undefined;
    const raw = this.text.slice(this.pos, end);
    this.pos = end;
    return raw;
  }
}
