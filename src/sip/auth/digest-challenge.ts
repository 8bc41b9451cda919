/**
 * Digest challenges, the value of WWW-Authenticate / Proxy-Authenticate (RFC 3261 §25.1
 * `digest-cln`, RFC 7616 §3.3).
 */
import { formatDigestParams, readDigestParams } from './digest-params.js';
import { parseAlgorithm, type DigestAlgorithm } from './digest-hash.js';

/** One Digest challenge. */
export interface DigestChallenge {
  readonly realm: string;
  readonly nonce: string;
  readonly algorithm: DigestAlgorithm;
  /** The qop-options offered; Centrala always offers exactly `auth`. */
  readonly qop: readonly string[];
  /** stale=true: the nonce was old but the credentials were right; retry without asking the user. */
  readonly stale: boolean;
  readonly opaque?: string;
}

/**
 * Writes a challenge: `Digest realm="…", nonce="…", algorithm=SHA-256, qop="auth"`, plus
 * `stale=true` when set. RFC 7616 §3.3: qop-options are a quoted list; algorithm is a token and
 * is always written, so that an MD5 challenge is explicit beside a SHA-256 one (RFC 8760 §2.3).
 */
export function formatChallenge(challenge: DigestChallenge): string {
  const params: Array<readonly [string, string]> = [
    ['realm', challenge.realm],
    ['nonce', challenge.nonce],
    ['algorithm', challenge.algorithm],
    ['qop', challenge.qop.join(',')],
  ];
  if (challenge.opaque !== undefined) params.push(['opaque', challenge.opaque]);
  if (challenge.stale) params.push(['stale', 'true']);
  return formatDigestParams(params, ['algorithm', 'stale']);
}

/**
 * Reads a Digest challenge (the client side, for tests and for Centrala as a UAC). Undefined
 * for another scheme, an unsupported algorithm, or a challenge without realm or nonce.
 */
export function parseChallenge(value: string): DigestChallenge | undefined {
  const p = readDigestParams(value);
  if (!p) return undefined;
  const realm = p.get('realm');
  const nonce = p.get('nonce');
  const algorithm = parseAlgorithm(p.get('algorithm'));
  if (realm === undefined || nonce === undefined || algorithm === undefined) return undefined;
  const qop = (p.get('qop') ?? '')
    .split(',')
    .map((q) => q.trim())
    .filter((q) => q.length > 0);
  const opaque = p.get('opaque');
  return {
    realm,
    nonce,
    algorithm,
    qop,
    stale: p.get('stale')?.toLowerCase() === 'true',
    ...(opaque !== undefined ? { opaque } : {}),
  };
}
