/**
 * SIP and SIPS URIs (RFC 3261 §19.1) and, as opaque values, any other absolute URI (tel:, urn:,
 * http:, …). Components are stored unescaped; {@link SipUri.toString} escapes them again.
 */
import { isIPv6 } from 'node:net';
import type { Params, SipUriValue } from './types.js';
import { escapeComponent, unescapeComponent } from './escaping.js';
import { UriChars, allInCharSet, inCharSet, isAlphanumeric, isDigit } from './tokenizer.js';

/** What {@link SipUri.create} and {@link SipUri.with} take; `scheme` defaults to `sip`. */
export interface SipUriInit {
  readonly scheme?: string;
  readonly user?: string | undefined;
  readonly password?: string | undefined;
  readonly host: string;
  readonly port?: number | undefined;
  /** URI parameters by name: text value, `null` for a flag (`lr`). */
  readonly params?: Params | Readonly<Record<string, string | number | null | undefined>>;
  /** URI headers (`?name=value`), unescaped. */
  readonly headers?: ReadonlyMap<string, string> | Readonly<Record<string, string>>;
}

interface Fields {
  scheme: string;
  user: string | undefined;
  password: string | undefined;
  host: string;
  port: number | undefined;
  params: Params;
  headers: ReadonlyMap<string, string>;
  opaque: string | undefined;
}

const EMPTY_PARAMS: Params = new Map();
const EMPTY_HEADERS: ReadonlyMap<string, string> = new Map();

/** Parameters that make two SIP URIs differ when only one of them has it (RFC 3261 §19.1.4). */
const SIGNIFICANT_PARAMS = ['user', 'ttl', 'method', 'maddr', 'transport'] as const;

/** Reads `host` (hostname / IPv4address / IPv6reference), lower-cased; undefined when invalid. */
export function parseHost(text: string): string | undefined {
  if (text.charCodeAt(0) === 91) {
    // IPv6reference = "[" IPv6address "]"
    if (text.charCodeAt(text.length - 1) !== 93) return undefined;
    const inner = text.slice(1, -1);
    return isIPv6(inner) ? `[${inner.toLowerCase()}]` : undefined;
  }
  // hostname = *( domainlabel "." ) toplabel [ "." ]: checked loosely (chars, no empty label)
  if (!allInCharSet(text, UriChars.host)) return undefined;
  if (!isAlphanumeric(text.charCodeAt(0)) && text.charCodeAt(0) !== 95) return undefined;
  if (text.includes('..')) return undefined;
  return text.toLowerCase();
}

/** Reads a port: 1*DIGIT in 0–65535; undefined when invalid. */
export function parsePort(text: string): number | undefined {
  if (text.length === 0 || text.length > 5) return undefined;
  for (let i = 0; i < text.length; i++) if (!isDigit(text.charCodeAt(i))) return undefined;
  const port = Number(text);
  return port <= 65535 ? port : undefined;
}

function isScheme(text: string): boolean {
  // scheme = ALPHA *( ALPHA / DIGIT / "+" / "-" / "." )
  const first = text.charCodeAt(0);
  const alpha = (first >= 65 && first <= 90) || (first >= 97 && first <= 122);
  return alpha && allInCharSet(text, UriChars.scheme);
}

function parseUriParams(text: string, out: Map<string, string | null>): boolean {
  // uri-parameters = *( ";" uri-parameter ); other-param = pname [ "=" pvalue ]
  for (const part of text.split(';')) {
    const eq = part.indexOf('=');
    const name = unescapeComponent(eq < 0 ? part : part.slice(0, eq), UriChars.param);
    if (name === undefined || name === '') return false;
    let value: string | null = null;
    if (eq >= 0) {
      const v = unescapeComponent(part.slice(eq + 1), UriChars.param);
      if (v === undefined || v === '') return false;
      value = v;
    }
    const key = name.toLowerCase();
    // RFC 3261 §19.1.1: any given URI parameter MUST NOT appear more than once.
    if (out.has(key)) return false;
    out.set(key, value);
  }
  return true;
}

function parseUriHeaders(text: string, out: Map<string, string>): boolean {
  // headers = "?" header *( "&" header ); header = hname "=" hvalue
  for (const part of text.split('&')) {
    const eq = part.indexOf('=');
    if (eq <= 0) return false;
    const name = unescapeComponent(part.slice(0, eq), UriChars.header);
    const value = eq + 1 === part.length ? '' : unescapeComponent(part.slice(eq + 1), UriChars.header);
    if (name === undefined || value === undefined) return false;
    out.set(name, value);
  }
  return true;
}

function parseSip(scheme: string, rest: string): Fields | undefined {
  let user: string | undefined;
  let password: string | undefined;
  let pos = 0;
  // userinfo = ( user / telephone-subscriber ) [ ":" password ] "@": '@' may appear nowhere else.
  const at = rest.indexOf('@');
  if (at >= 0) {
    const colon = rest.indexOf(':');
    const userEnd = colon >= 0 && colon < at ? colon : at;
    user = unescapeComponent(rest.slice(0, userEnd), UriChars.user);
    if (user === undefined || userEnd === 0) return undefined;
    if (userEnd < at) {
      password = unescapeComponent(rest.slice(userEnd + 1, at), UriChars.password);
      if (password === undefined) return undefined;
    }
    pos = at + 1;
  }
  let hostEnd: number;
  if (rest.charCodeAt(pos) === 91) {
    hostEnd = rest.indexOf(']', pos) + 1;
    if (hostEnd === 0) return undefined;
  } else {
    hostEnd = pos;
    while (hostEnd < rest.length && inCharSet(rest.charCodeAt(hostEnd), UriChars.host)) hostEnd++;
  }
  const host = parseHost(rest.slice(pos, hostEnd));
  if (host === undefined) return undefined;
  pos = hostEnd;
  let port: number | undefined;
  if (rest.charCodeAt(pos) === 58) {
    let end = pos + 1;
    while (end < rest.length && isDigit(rest.charCodeAt(end))) end++;
    port = parsePort(rest.slice(pos + 1, end));
    if (port === undefined) return undefined;
    pos = end;
  }
  const question = rest.indexOf('?', pos);
  const paramsEnd = question < 0 ? rest.length : question;
  let params = EMPTY_PARAMS;
  if (pos < paramsEnd) {
    if (rest.charCodeAt(pos) !== 59) return undefined;
    const map = new Map<string, string | null>();
    if (!parseUriParams(rest.slice(pos + 1, paramsEnd), map)) return undefined;
    params = map;
  }
  let headers = EMPTY_HEADERS;
  if (question >= 0) {
    const map = new Map<string, string>();
    if (!parseUriHeaders(rest.slice(question + 1), map)) return undefined;
    headers = map;
  }
  return { scheme, user, password, host, port, params, headers, opaque: undefined };
}

function sameParam(a: string | null | undefined, b: string | null | undefined): boolean {
  if (a === b) return true;
  if (a === null || b === null || a === undefined || b === undefined) return false;
  return a.toLowerCase() === b.toLowerCase();
}

/** A parsed, immutable URI. `sip:` and `sips:` are fully parsed; other schemes keep `opaque`. */
export class SipUri implements SipUriValue {
  /** Lower-cased scheme. */
  readonly scheme: string;
  /** Unescaped user part, if any. */
  readonly user: string | undefined;
  /** Unescaped password, if any. */
  readonly password: string | undefined;
  /** Lower-cased host; IPv6 references keep their brackets. Empty for opaque URIs. */
  readonly host: string;
  /** Explicit port, if written. */
  readonly port: number | undefined;
  /** URI parameters, names lower-cased, values unescaped (`null` = flag). */
  readonly params: Params;
  /** URI headers, unescaped. */
  readonly headers: ReadonlyMap<string, string>;
  /** Everything after `scheme:` for schemes other than sip/sips. */
  readonly opaque: string | undefined;
  #text: string | undefined;

  private constructor(fields: Fields) {
    this.scheme = fields.scheme;
    this.user = fields.user;
    this.password = fields.password;
    this.host = fields.host;
    this.port = fields.port;
    this.params = fields.params;
    this.headers = fields.headers;
    this.opaque = fields.opaque;
  }

  /** Parses `SIP-URI / SIPS-URI / absoluteURI`; undefined when the text is not one (no LWS, no `<>`). */
  static parse(text: string): SipUri | undefined {
    const colon = text.indexOf(':');
    if (colon <= 0) return undefined;
    const schemeText = text.slice(0, colon);
    if (!isScheme(schemeText)) return undefined;
    const scheme = schemeText.toLowerCase();
    const rest = text.slice(colon + 1);
    if (scheme === 'sip' || scheme === 'sips') {
      const fields = parseSip(scheme, rest);
      return fields ? new SipUri(fields) : undefined;
    }
    // absoluteURI = scheme ":" ( hier-part / opaque-part ): any run of uric chars.
    if (!allInCharSet(rest, UriChars.uric)) return undefined;
    return new SipUri({
      scheme,
      user: undefined,
      password: undefined,
      host: '',
      port: undefined,
      params: EMPTY_PARAMS,
      headers: EMPTY_HEADERS,
      opaque: rest,
    });
  }

  /** Builds a sip/sips URI from parts; throws TypeError when a part is invalid. */
  static create(init: SipUriInit): SipUri {
    const scheme = (init.scheme ?? 'sip').toLowerCase();
    if (scheme !== 'sip' && scheme !== 'sips') throw new TypeError(`SipUri.create: unsupported scheme ${scheme}`);
    const host = parseHost(init.host);
    if (host === undefined) throw new TypeError(`SipUri.create: invalid host ${JSON.stringify(init.host)}`);
    if (init.port !== undefined && !(Number.isInteger(init.port) && init.port >= 0 && init.port <= 65535)) {
      throw new TypeError(`SipUri.create: invalid port ${init.port}`);
    }
    if (init.user === '') throw new TypeError('SipUri.create: empty user');
    const params = new Map<string, string | null>();
    if (init.params instanceof Map) {
      for (const [k, v] of init.params as Params) params.set(k.toLowerCase(), v);
    } else if (init.params) {
      for (const [k, v] of Object.entries(init.params)) {
        if (v !== undefined) params.set(k.toLowerCase(), v === null ? null : String(v));
      }
    }
    const headers = new Map<string, string>(
      init.headers instanceof Map ? (init.headers as ReadonlyMap<string, string>) : Object.entries(init.headers ?? {}),
    );
    for (const name of params.keys()) if (name === '') throw new TypeError('SipUri.create: empty parameter name');
    return new SipUri({
      scheme,
      user: init.user,
      password: init.password,
      host,
      port: init.port,
      params,
      headers,
      opaque: undefined,
    });
  }

  /** True for `sip:` and `sips:` URIs (the ones with user/host/port/params). */
  get isSip(): boolean {
    return this.opaque === undefined;
  }

  /** `host[:port]` as written in a Via sent-by or a Contact. */
  get hostPort(): string {
    return this.port === undefined ? this.host : `${this.host}:${this.port}`;
  }

  /** A URI parameter's value: text, `null` for a flag, `undefined` when absent. */
  param(name: string): string | null | undefined {
    return this.params.get(name.toLowerCase());
  }

  /** A copy with some parts replaced (sip/sips only). */
  with(changes: Partial<SipUriInit>): SipUri {
    return SipUri.create({
      scheme: this.scheme,
      user: this.user,
      password: this.password,
      host: this.host,
      port: this.port,
      params: this.params,
      headers: this.headers,
      ...changes,
    });
  }

  /** A copy with parameter `name` set (`null` = flag; `undefined` removes it). */
  withParam(name: string, value: string | number | null | undefined): SipUri {
    const params = new Map(this.params);
    if (value === undefined) params.delete(name.toLowerCase());
    else params.set(name.toLowerCase(), value === null ? null : String(value));
    return this.#copy({ params });
  }

  /** A copy without any URI parameter. */
  withoutParams(): SipUri {
    return this.params.size === 0 ? this : this.#copy({ params: EMPTY_PARAMS });
  }

  /** A copy without URI headers (`?…`), e.g. before using a URI as a Request-URI. */
  withoutHeaders(): SipUri {
    return this.headers.size === 0 ? this : this.#copy({ headers: EMPTY_HEADERS });
  }

  #copy(changes: Partial<Fields>): SipUri {
    return new SipUri({
      scheme: this.scheme,
      user: this.user,
      password: this.password,
      host: this.host,
      port: this.port,
      params: this.params,
      headers: this.headers,
      opaque: this.opaque,
      ...changes,
    });
  }

  /**
   * URI equality of RFC 3261 §19.1.4: userinfo case-sensitive, host case-insensitive, explicit
   * port ≠ default port, user/ttl/method/maddr/transport must match when either URI has them,
   * other parameters only when both have them, and headers always.
   */
  equals(other: SipUriValue): boolean {
    if (this.scheme !== other.scheme.toLowerCase()) return false;
    if (this.opaque !== undefined || other.opaque !== undefined) return this.opaque === other.opaque;
    if (this.user !== other.user || this.password !== other.password) return false;
    if (this.host !== other.host.toLowerCase() || this.port !== other.port) return false;
    for (const name of SIGNIFICANT_PARAMS) {
      if (!sameParam(this.params.get(name), other.params.get(name))) return false;
    }
    for (const [name, value] of this.params) {
      if (other.params.has(name) && !sameParam(value, other.params.get(name))) return false;
    }
    if (this.headers.size !== other.headers.size) return false;
    const theirs = new Map<string, string>();
    for (const [name, value] of other.headers) theirs.set(name.toLowerCase(), value.toLowerCase());
    for (const [name, value] of this.headers) {
      if (theirs.get(name.toLowerCase()) !== value.toLowerCase()) return false;
    }
    return true;
  }

  /** Canonical text: components escaped as RFC 3261 §19.1.2 requires. */
  toString(): string {
    if (this.#text !== undefined) return this.#text;
    let text: string;
    if (this.opaque !== undefined) {
      text = `${this.scheme}:${this.opaque}`;
    } else {
      text = `${this.scheme}:`;
      if (this.user !== undefined) {
        text += escapeComponent(this.user, UriChars.user);
        if (this.password !== undefined) text += ':' + escapeComponent(this.password, UriChars.password);
        text += '@';
      }
      text += this.hostPort;
      for (const [name, value] of this.params) {
        text += ';' + escapeComponent(name, UriChars.param);
        if (value !== null) text += '=' + escapeComponent(value, UriChars.param);
      }
      let sep = '?';
      for (const [name, value] of this.headers) {
        text += sep + escapeComponent(name, UriChars.header) + '=' + escapeComponent(value, UriChars.header);
        sep = '&';
      }
    }
    this.#text = text;
    return text;
  }
}
