/**
 * One Via value (RFC 3261 §20.42): `sent-protocol LWS sent-by *( SEMI via-params )`, with the
 * RFC 3581 `rport` parameter. LWS may surround "/", ":", ";" and "=" (RFC 4475 §3.1.1.1 wsinv).
 */
import { isIP } from 'node:net';
import type { Params, ViaValue } from './types.js';
import { Cursor, UriChars, isDigit, isToken } from './tokenizer.js';
import { formatHeaderParams, paramText, paramsFrom, readHeaderParams, withParam } from './params.js';
import { parseHost, parsePort } from './uri.js';

/** What {@link Via.create} takes; `protocol` defaults to `SIP/2.0`. */
export interface ViaInit {
  readonly protocol?: string;
  readonly transport: string;
  readonly host: string;
  readonly port?: number | undefined;
  /** Parameters: text values, `null` for a flag (`rport`). */
  readonly params?: Params | Readonly<Record<string, string | number | null | undefined>>;
}

const SLASH = 47;
const COLON = 58;
const LBRACKET = 91;

function digitsAtMost(text: string, max: number): boolean {
  if (text.length === 0 || text.length > 10) return false;
  for (let i = 0; i < text.length; i++) if (!isDigit(text.charCodeAt(i))) return false;
  return Number(text) <= max;
}

function isAddress(text: string): boolean {
  const bare = text.charCodeAt(0) === LBRACKET && text.endsWith(']') ? text.slice(1, -1) : text;
  return isIP(bare) !== 0;
}

/** Checks the grammar of the parameters RFC 3261 §20.42 and RFC 3581 give a type to. */
function knownParamsValid(params: Params): boolean {
  const branch = params.get('branch');
  if (branch !== undefined && (branch === null || !isToken(branch))) return false;
  const received = params.get('received');
  if (received !== undefined && (received === null || !isAddress(received))) return false;
  const rport = params.get('rport');
  if (rport !== undefined && rport !== null && !digitsAtMost(rport, 65535)) return false;
  const ttl = params.get('ttl');
  if (ttl !== undefined && (ttl === null || !digitsAtMost(ttl, 255))) return false;
  const maddr = params.get('maddr');
  if (maddr !== undefined && (maddr === null || parseHost(maddr) === undefined)) return false;
  return true;
}

/** One Via header value. Immutable. */
export class Via implements ViaValue {
  /** `SIP/2.0` normally (protocol name upper-cased, LWS removed). */
  readonly protocol: string;
  /** Upper-cased transport: UDP, TCP, TLS, SCTP, WS, WSS or an unknown token. */
  readonly transport: string;
  /** Lower-cased host of sent-by; IPv6 references keep their brackets. */
  readonly host: string;
  /** Port of sent-by, if written. */
  readonly port: number | undefined;
  /** Parameters, names lower-cased, values as written. */
  readonly params: Params;
  #text: string | undefined;

  private constructor(protocol: string, transport: string, host: string, port: number | undefined, params: Params) {
    this.protocol = protocol;
    this.transport = transport;
    this.host = host;
    this.port = port;
    this.params = params;
  }

  /** Parses one via-parm (not a comma list); undefined when malformed. */
  static parse(text: string): Via | undefined {
    const cur = new Cursor(text);
    cur.skipWsp();
    // sent-protocol = protocol-name SLASH protocol-version SLASH transport
    const name = cur.readToken();
    if (name === '' || !cur.eat(SLASH)) return undefined;
    const version = cur.readToken();
    if (version === '' || !cur.eat(SLASH)) return undefined;
    const transport = cur.readToken();
    if (transport === '' || cur.skipWsp() === 0) return undefined;
    // sent-by = host [ COLON port ]
    const hostStart = cur.pos;
    if (cur.peek() === LBRACKET) {
      const end = text.indexOf(']', cur.pos);
      if (end < 0) return undefined;
      cur.pos = end + 1;
    } else {
      cur.readSet(UriChars.host);
    }
    const host = parseHost(text.slice(hostStart, cur.pos));
    if (host === undefined) return undefined;
    let port: number | undefined;
    if (cur.eat(COLON)) {
      port = parsePort(cur.readSet(UriChars.host));
      if (port === undefined) return undefined;
    }
    const params = new Map<string, string | null>();
    if (!readHeaderParams(cur, params) || !knownParamsValid(params)) return undefined;
    cur.skipWsp();
    if (!cur.done) return undefined;
    return new Via(`${name.toUpperCase()}/${version}`, transport.toUpperCase(), host, port, params);
  }

  /** Builds a Via; throws TypeError when a part is invalid. */
  static create(init: ViaInit): Via {
    const host = parseHost(init.host);
    if (host === undefined) throw new TypeError(`Via.create: invalid host ${JSON.stringify(init.host)}`);
    if (!isToken(init.transport)) throw new TypeError(`Via.create: invalid transport ${init.transport}`);
    if (init.port !== undefined && parsePort(String(init.port)) === undefined) {
      throw new TypeError(`Via.create: invalid port ${init.port}`);
    }
    const params = paramsFrom(init.params);
    if (!knownParamsValid(params)) throw new TypeError('Via.create: invalid branch, received, rport, ttl or maddr');
    return new Via(init.protocol ?? 'SIP/2.0', init.transport.toUpperCase(), host, init.port, params);
  }

  /** The `branch` parameter (RFC 3261 §8.1.1.7), if present. */
  get branch(): string | undefined {
    return this.params.get('branch') ?? undefined;
  }

  /** The `received` parameter (RFC 3261 §18.2.1), if present. */
  get received(): string | undefined {
    return this.params.get('received') ?? undefined;
  }

  /** RFC 3581 `rport`: the port number, `true` when present without a value (a request for it), else undefined. */
  get rport(): number | true | undefined {
    const rport = this.params.get('rport');
    if (rport === undefined) return undefined;
    return rport === null ? true : Number(rport);
  }

  /** `host[:port]`. */
  get sentBy(): string {
    return this.port === undefined ? this.host : `${this.host}:${this.port}`;
  }

  /** A parameter's text (quotes removed), `null` for a flag, `undefined` when absent. */
  param(name: string): string | null | undefined {
    return paramText(this.params.get(name.toLowerCase()));
  }

  /**
   * A copy with parameters set: text or number values, `null` or `true` for a flag, `undefined`
   * to remove one — e.g. `via.withParams({ received: '192.0.2.1', rport: 5060 })`.
   */
  withParams(record: Readonly<Record<string, string | number | true | null | undefined>>): Via {
    let params: Params = this.params;
    for (const [name, value] of Object.entries(record)) params = withParam(params, name, value === true ? null : value);
    if (!knownParamsValid(params)) throw new TypeError('Via.withParams: invalid branch, received, rport, ttl or maddr');
    return new Via(this.protocol, this.transport, this.host, this.port, params);
  }

  /** Canonical text: `SIP/2.0/UDP host:port;params`. */
  toString(): string {
    if (this.#text === undefined) {
      this.#text = `${this.protocol}/${this.transport} ${this.sentBy}${formatHeaderParams(this.params)}`;
    }
    return this.#text;
  }
}
