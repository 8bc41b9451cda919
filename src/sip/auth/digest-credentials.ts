/**
 * Digest credentials, the value of Authorization / Proxy-Authorization (RFC 3261 §25.1
 * `digest-response`, RFC 7616 §3.4).
 */
import { detachedString } from '../../lib/index.js';
import { formatDigestParams, readDigestParams } from './digest-params.js';
import { digestResponse, type DigestAlgorithm } from './digest-hash.js';

/** The parameters of a Digest credentials value, unquoted. Presence is checked; values are not. */
export interface DigestCredentials {
  readonly username: string;
  readonly realm: string;
  readonly nonce: string;
  /** digest-uri, as written by the client. */
  readonly uri: string;
  readonly response: string;
  /** `algorithm` as written, or undefined when absent (meaning MD5). */
  readonly algorithm: string | undefined;
  readonly qop: string | undefined;
  /** nc as written (8 hex digits when well-formed). */
  readonly nc: string | undefined;
  readonly cnonce: string | undefined;
  readonly opaque: string | undefined;
  /** RFC 7616 §3.4.4 `userhash=true`: the username is H(username ":" realm). */
  readonly userhash: boolean;
  /** Every parameter, names lower-cased. */
  readonly params: ReadonlyMap<string, string>;
}

/**
 * Parses one Authorization / Proxy-Authorization value. Undefined when it is not the Digest
 * scheme, cannot be parsed, or lacks username, realm, nonce, uri or response (RFC 3261 §22.4:
 * all five are present in every digest-response). `username*` (RFC 7616 §3.4.4, for names a
 * quoted-string cannot carry) is not read: SIP extension names are ASCII. Never throws.
 */
export function parseCredentials(value: string): DigestCredentials | undefined {
  const p = readDigestParams(value);
  if (!p) return undefined;
  const username = p.get('username');
  const realm = p.get('realm');
  const nonce = p.get('nonce');
  const uri = p.get('uri');
  const response = p.get('response');
  if (username === undefined || realm === undefined || nonce === undefined) return undefined;
  if (uri === undefined || response === undefined) return undefined;
  return {
    // The username outlives the request in the failure and trust tables: a copy, not a slice of it.
    username: detachedString(username),
    realm,
    nonce,
    uri,
    response,
    algorithm: p.get('algorithm'),
    qop: p.get('qop'),
    nc: p.get('nc'),
    cnonce: p.get('cnonce'),
    opaque: p.get('opaque'),
    userhash: p.get('userhash')?.toLowerCase() === 'true',
    params: p,
  };
}

/** What a client needs to answer a Digest challenge with qop=auth. */
export interface CredentialsInput {
  readonly algorithm: DigestAlgorithm;
  readonly username: string;
  readonly realm: string;
  /** H(A1), hex (see `ha1()`). */
  readonly ha1: string;
  readonly nonce: string;
  readonly method: string;
  readonly uri: string;
  readonly cnonce: string;
  /** Nonce count, 1 for the first request with this nonce. */
  readonly nc: number;
  readonly opaque?: string;
}

/**
 * Builds an Authorization value with qop=auth (the client side, for tests and for Centrala as a
 * UAC). Quoting follows RFC 7616 §3.4: algorithm, qop and nc are tokens, the rest quoted.
 */
export function formatCredentials(input: CredentialsInput): string {
  const nc = input.nc.toString(16).padStart(8, '0');
  const response = digestResponse({
    algorithm: input.algorithm,
    ha1: input.ha1,
    nonce: input.nonce,
    method: input.method,
    uri: input.uri,
    qop: 'auth',
    nc,
    cnonce: input.cnonce,
  });
  const params: Array<readonly [string, string]> = [
    ['username', input.username],
    ['realm', input.realm],
    ['nonce', input.nonce],
    ['uri', input.uri],
    ['response', response],
    ['algorithm', input.algorithm],
    ['cnonce', input.cnonce],
    ['qop', 'auth'],
    ['nc', nc],
  ];
  if (input.opaque !== undefined) params.push(['opaque', input.opaque]);
  return formatDigestParams(params, ['algorithm', 'qop', 'nc']);
}
