/**
 * `( name-addr / addr-spec ) *( SEMI param )` — the value of From, To, Contact, Route,
 * Record-Route, Reply-To, Refer-To, P-Asserted-Identity, … (RFC 3261 §20.10, §20.20, §20.39).
 */
import type { NameAddrValue, Params } from './types.js';
import { SipUri } from './uri.js';
import { Cursor, isTokenChar, quote, unquote } from './tokenizer.js';
import { formatHeaderParams, paramText, paramsFrom, readHeaderParams, withParam } from './params.js';

/** What {@link NameAddr.create} takes. */
export interface NameAddrInit {
  readonly displayName?: string | undefined;
  readonly uri: SipUri | string;
  /** Header parameters: text values (quoted when needed), `null` for a flag. */
  readonly params?: Params | Readonly<Record<string, string | number | null | undefined>>;
}

const LAQUOT = 60;
const DQUOTE = 34;
const COLON = 58;

/**
 * One word of an unquoted display name: a token, liberally extended with non-ASCII characters
 * (`Łukasz <sip:…>`), which cannot be mistaken for a separator. Commas, quotes and other
 * separators still make the value invalid (RFC 4475 §3.1.2.15 baddn).
 */
function readDisplayWord(cur: Cursor): string {
  const start = cur.pos;
  while (!cur.done) {
    const code = cur.peek();
    if (!isTokenChar(code) && code < 0x80) break;
    cur.pos++;
  }
  return cur.text.slice(start, cur.pos);
}

function isAddrSpecStop(code: number): boolean {
  return code === 59 || code === 32 || code === 9;
}

/** A display name, a URI and header parameters. Immutable. */
export class NameAddr implements NameAddrValue {
  /** The display name with quoting undone; `undefined` when there is none (`''` for `""`). */
  readonly displayName: string | undefined;
  /** The address. */
  readonly uri: SipUri;
  /** Header parameters after the address, names lower-cased, values as written (quoted ones keep quotes). */
  readonly params: Params;
  #text: string | undefined;

  private constructor(displayName: string | undefined, uri: SipUri, params: Params) {
    this.displayName = displayName;
    this.uri = uri;
    this.params = params;
  }

  /**
   * Parses one value (not a comma list). Strict where RFC 3261 is: an unquoted display name is
   * `*(token LWS)` (RFC 4475 §3.1.2.15 baddn; non-ASCII letters are tolerated), the URI inside
   * `<>` has no LWS (§3.1.2.14 badaspec), quotes must balance (§3.1.2.6 quotbal), and an
   * addr-spec written without `<>` may not contain `?` or `,` (RFC 3261 §20.10; RFC 4475
   * §3.1.2.13 regbadct).
   */
  static parse(text: string): NameAddr | undefined {
    const cur = new Cursor(text);
    cur.skipWsp();
    let displayName: string | undefined;
    let uri: SipUri | undefined;
    const first = cur.peek();
    if (first === DQUOTE) {
      const quoted = cur.readQuoted();
      if (quoted === undefined) return undefined;
      displayName = unquote(quoted);
      cur.skipWsp();
      if (cur.peek() !== LAQUOT) return undefined;
    } else if (first !== LAQUOT) {
      const start = cur.pos;
      const word = readDisplayWord(cur);
      if (word === '') return undefined;
      if (cur.peek() === COLON) {
        // addr-spec: the URI runs to the first ";" or LWS; its parameters are header parameters.
        cur.pos = start;
        while (!cur.done && !isAddrSpecStop(cur.peek())) cur.pos++;
        const uriText = text.slice(start, cur.pos);
        if (uriText.includes('?') || uriText.includes(',')) return undefined;
        uri = SipUri.parse(uriText);
        if (uri === undefined) return undefined;
      } else {
        // display-name = *(token LWS); tokens are joined by single spaces.
        const words = [word];
        for (;;) {
          const gap = cur.skipWsp();
          if (cur.peek() === LAQUOT) break;
          const next = readDisplayWord(cur);
          if (next === '' || gap === 0) return undefined;
          words.push(next);
        }
        displayName = words.join(' ');
      }
    }
    if (uri === undefined) {
      // LAQUOT addr-spec RAQUOT
      cur.pos++;
      const end = text.indexOf('>', cur.pos);
      if (end < 0) return undefined;
      uri = SipUri.parse(text.slice(cur.pos, end));
      if (uri === undefined) return undefined;
      cur.pos = end + 1;
    }
    const params = new Map<string, string | null>();
    if (!readHeaderParams(cur, params)) return undefined;
    cur.skipWsp();
    if (!cur.done) return undefined;
    return new NameAddr(displayName, uri, params);
  }

  /** Builds a value from parts; throws TypeError when the URI text or a parameter name is invalid. */
  static create(init: NameAddrInit): NameAddr {
    const uri = typeof init.uri === 'string' ? SipUri.parse(init.uri) : init.uri;
    if (uri === undefined) throw new TypeError(`NameAddr.create: invalid URI ${JSON.stringify(init.uri)}`);
    return new NameAddr(init.displayName, uri, paramsFrom(init.params));
  }

  /** The `tag` parameter (RFC 3261 §19.3), if present. */
  get tag(): string | undefined {
    const tag = this.params.get('tag');
    return tag === null ? undefined : tag;
  }

  /** A header parameter's text (quotes removed), `null` for a flag, `undefined` when absent. */
  param(name: string): string | null | undefined {
    return paramText(this.params.get(name.toLowerCase()));
  }

  /** A copy with parameter `name` set to the text `value` (`null` = flag, `undefined` removes). */
  withParam(name: string, value: string | number | null | undefined): NameAddr {
    return new NameAddr(this.displayName, this.uri, withParam(this.params, name, value));
  }

  /** A copy with another URI. */
  withUri(uri: SipUri): NameAddr {
    return new NameAddr(this.displayName, uri, this.params);
  }

  /** A copy with another display name (`undefined` removes it). */
  withDisplayName(displayName: string | undefined): NameAddr {
    return new NameAddr(displayName, this.uri, this.params);
  }

  /** Canonical text: `"Display" <uri>;params` (the URI always in angle brackets). */
  toString(): string {
    if (this.#text === undefined) {
      const display = this.displayName === undefined ? '' : `${quote(this.displayName)} `;
      this.#text = `${display}<${this.uri.toString()}>${formatHeaderParams(this.params)}`;
    }
    return this.#text;
  }
}

