/**
 * Server-side SIP Digest authentication (RFC 3261 §22.4 with RFC 7616 and RFC 8760): issues
 * challenges and verifies credentials, per tenant realm.
 *
 * Outward behaviour is designed so that nothing tells an unknown username from a wrong password:
 * both give `{ ok: false, reason: 'invalid' }` after the same work (a response is computed from a
 * dummy H(A1) for an unknown user and compared with timingSafeEqual), both are counted by the
 * FailureTracker, and both get the same fresh challenge from the caller.
 */
import { timingSafeEqual } from 'node:crypto';
import { FailureTracker, detachedString, randomHex, type Clock, type Logger } from '../../lib/index.js';
import { formatChallenge } from './digest-challenge.js';
import { parseCredentials, type DigestCredentials } from './digest-credentials.js';
import {
  DIGEST_ALGORITHMS,
  digestHexLength,
  digestResponse,
  parseAlgorithm,
  type DigestAlgorithm,
} from './digest-hash.js';
import { NonceManager, type NonceSecret } from './nonce-manager.js';

/**
 * What Centrala offers by default: MD5 alone. Offering SHA-256 breaks clients still in wide use
 * (measured here): baresip 1.0 (libre 1.1) fails the whole registration when any challenge names
 * SHA-256, and sipp 3.6.1 stops with "authentication must use MD5 or AKAv1-MD5"; JsSIP and SIP.js
 * answer only the first challenge and give up unless it is MD5. Offer {@link DIGEST_ALGORITHMS}
 * (SHA-256 first, RFC 8760 §2.3) per realm or per User-Agent once the devices cope.
 */
export const COMPATIBLE_ALGORITHMS: readonly DigestAlgorithm[] = ['MD5'];

/** Stored H(A1) values of one account, lower- or upper-case hex. */
export interface DigestSecrets {
  readonly ha1Md5?: string;
  readonly ha1Sha256?: string;
}

/**
 * Finds the stored H(A1) of `username` in `realm`; undefined when there is no such account.
 * It should take about as long for an unknown user as for a known one (one indexed query).
 */
export type DigestSecretLookup = (
  username: string,
  realm: string,
  algorithm: DigestAlgorithm,
) => Promise<DigestSecrets | undefined>;

/** Why verification failed. The caller answers every reason except `blocked` and `uri-mismatch`
 * with 401/407 and fresh challenges, setting stale=true only for `stale`. */
export type DigestFailureReason =
  /** No Authorization / Proxy-Authorization value: the normal first request. */
  | 'missing'
  /** Unparseable, or a Digest value with a missing or ill-formed parameter. */
  | 'malformed'
  /** An algorithm not accepted, qop other than auth (auth-int, or none: RFC 2069), userhash. */
  | 'unsupported'
  /** Credentials only for other realms. */
  | 'realm'
  /** The digest-uri does not match the Request-URI (the caller's `uriMatches` said so). */
  | 'uri-mismatch'
  /** Wrong password, unknown user, or a nonce Centrala did not issue for this realm. */
  | 'invalid'
  /** Right password, but the nonce expired, was issued to another source, or its nc was replayed. */
  | 'stale'
  /** The source or the extension is temporarily blocked after repeated failures. */
  | 'blocked';

/** Outcome of {@link DigestAuthenticator.verify}. */
export type DigestVerifyResult =
  | { readonly ok: true; readonly username: string; readonly algorithm: DigestAlgorithm }
  | { readonly ok: false; readonly reason: Exclude<DigestFailureReason, 'blocked'> }
  | { readonly ok: false; readonly reason: 'blocked'; readonly blockedUntil: number };

/** Input of {@link DigestAuthenticator.verify}. */
export interface DigestVerifyInput {
  /** The request method, as in the request line (A2 = method ":" digest-uri). */
  readonly method: string;
  /** Every Authorization (or Proxy-Authorization) value of the request, or undefined. */
  readonly headerValue: string | readonly string[] | undefined;
  /** The realm expected for this request (the tenant's domain). */
  readonly realm: string;
  /** The packet's source address, without port. */
  readonly source: string;
  readonly lookup: DigestSecretLookup;
  /** Algorithms accepted for this realm; defaults to the authenticator's `accept`. */
  readonly algorithms?: readonly DigestAlgorithm[];
  /**
   * RFC 2617 §3.2.2.5: the server SHOULD check that digest-uri names the Request-URI; pass a
   * comparison (e.g. SIP URI equality, RFC 3261 §19.1.4) to enforce it.
   */
  readonly uriMatches?: (digestUri: string) => boolean;
  /**
   * True when the request came over a flow that carries a live registration of `username` (the registrar
   * knows): such a request is not refused by a block, so a working phone keeps working while a block stops
   * guessing from the rest of its address. Its credentials are still checked and its failures counted.
   */
  readonly registeredFlow?: (username: string) => boolean;
}

/** Options of a {@link DigestAuthenticator}. */
export interface DigestAuthenticatorOptions {
  /** Nonce signing secret(s), ≥ 16 bytes each; the first signs. Persist it so that restarts keep
   * nonces valid, or clients get a non-stale 401 and may stop retrying. */
  readonly secret: NonceSecret | readonly NonceSecret[];
  readonly clock: Clock;
  /** Algorithms challenged with by default, in order (default {@link COMPATIBLE_ALGORITHMS}). */
  readonly offer?: readonly DigestAlgorithm[];
  /** Algorithms accepted by default (default both, {@link DIGEST_ALGORITHMS}). */
  readonly accept?: readonly DigestAlgorithm[];
  /** Nonce lifetime (default 300 s). */
  readonly nonceLifetimeMs?: number;
  /** Nonces whose nonce-count is remembered (default 100 000). */
  readonly maxTrackedNonces?: number;
  /** Bytes of nonce-count records at most (default 20 MiB). */
  readonly maxTrackedNonceBytes?: number;
  /** Failure counting; default thresholds when omitted. */
  readonly failureTracker?: FailureTracker;
  /**
   * Told the source address of each request whose credentials verified (e.g. so that the
   * transport lifts the limits it keeps for sources that have not authenticated).
   */
  readonly onAuthenticated?: (source: string) => void;
  readonly logger?: Logger;
}

/** Options of {@link DigestAuthenticator.challenge}. */
export interface ChallengeOptions {
  /** The packet's source address, without port; the nonce is bound to it. */
  readonly source: string;
  /** Set only after a `stale` result (RFC 7616 §3.3). */
  readonly stale?: boolean;
  /**
   * Algorithms to offer, most preferred first. Choose them per realm, never per extension:
   * a different challenge for existing and unknown users would enumerate extensions.
   */
  readonly algorithms?: readonly DigestAlgorithm[];
}

const NC_PATTERN = /^[0-9a-fA-F]{8}$/;
const HEX_PATTERN = /^[0-9a-fA-F]+$/;

type Checked = { readonly algorithm: DigestAlgorithm; readonly nc: number };

function checkAlgorithms(list: readonly DigestAlgorithm[], what: string): readonly DigestAlgorithm[] {
  if (list.length === 0 || list.some((a) => !DIGEST_ALGORITHMS.includes(a))) {
    throw new RangeError(`${what}: expected a non-empty list of ${DIGEST_ALGORITHMS.join(', ')}`);
  }
  return [...new Set(list)];
}

function isHexOfLength(text: string, length: number): boolean {
  return text.length === length && HEX_PATTERN.test(text);
}

/** Issues Digest challenges and verifies credentials for SIP requests. */
export class DigestAuthenticator {
  readonly #nonces: NonceManager;
  readonly #failures: FailureTracker;
  readonly #offer: readonly DigestAlgorithm[];
  readonly #accept: readonly DigestAlgorithm[];
  readonly #logger: Logger | undefined;
  readonly #onAuthenticated: ((source: string) => void) | undefined;
  /** H(A1) stand-ins for unknown users, so that they cost the same hashing as known ones. */
  readonly #dummyHa1: Record<DigestAlgorithm, string>;

  constructor(options: DigestAuthenticatorOptions) {
    this.#nonces = new NonceManager({
      secret: options.secret,
      clock: options.clock,
      ...(options.nonceLifetimeMs !== undefined ? { lifetimeMs: options.nonceLifetimeMs } : {}),
      ...(options.maxTrackedNonces !== undefined ? { maxTracked: options.maxTrackedNonces } : {}),
      ...(options.maxTrackedNonceBytes !== undefined ? { maxTrackedBytes: options.maxTrackedNonceBytes } : {}),
    });
    this.#failures =
      options.failureTracker ??
      new FailureTracker({ clock: options.clock, ...(options.logger ? { logger: options.logger } : {}) });
    this.#offer = checkAlgorithms(options.offer ?? COMPATIBLE_ALGORITHMS, 'offer');
    this.#accept = checkAlgorithms(options.accept ?? DIGEST_ALGORITHMS, 'accept');
    this.#logger = options.logger;
    this.#onAuthenticated = options.onAuthenticated;
    this.#dummyHa1 = { MD5: randomHex(16), 'SHA-256': randomHex(32) };
  }

  /** The failure tracker in use (to inspect blocks or share it with other checks). */
  get failures(): FailureTracker {
    return this.#failures;
  }

  /** The nonce manager in use. */
  get nonces(): NonceManager {
    return this.#nonces;
  }

  /**
   * WWW-Authenticate / Proxy-Authenticate values for `realm`: one per algorithm, most preferred
   * first, sharing one fresh nonce, each with qop="auth". RFC 8760 §2.3: the UAS adds the
   * header fields "in the order in which it would prefer to see them used".
   */
  challenge(realm: string, options: ChallengeOptions): string[] {
    const algorithms = options.algorithms ? checkAlgorithms(options.algorithms, 'algorithms') : this.#offer;
    const nonce = this.#nonces.issue(realm, options.source);
    const stale = options.stale ?? false;
    return algorithms.map((algorithm) => formatChallenge({ realm, nonce, algorithm, qop: ['auth'], stale }));
  }

  /** Verifies the credentials of a request. Never throws on bad input; rejects only if `lookup` does. */
  async verify(input: DigestVerifyInput): Promise<DigestVerifyResult> {
    const accepted = input.algorithms ? checkAlgorithms(input.algorithms, 'algorithms') : this.#accept;
    const picked = this.#pick(input.headerValue, input.realm, accepted);
    if (typeof picked === 'string') return { ok: false, reason: picked };
    const credentials = picked;
    const checked = this.#checkShape(credentials, accepted);
    if (typeof checked === 'string') return { ok: false, reason: checked };
    const { algorithm, nc } = checked;

    if (input.uriMatches && !input.uriMatches(credentials.uri)) return { ok: false, reason: 'uri-mismatch' };

    // The failure tables keep the realm: a copy, so that it does not keep the request text alive.
    const realm = detachedString(input.realm);
    // Blocked sources and extensions are refused before any hashing, known user or not — except over a flow
    // that carries a live registration of this very username.
    const block = this.#failures.blocked(input.source, realm, credentials.username);
    if (block && input.registeredFlow?.(credentials.username) !== true) return { ok: false, reason: 'blocked', blockedUntil: block.until };

    // A nonce we did not issue for this realm tests no password and may come from a spoofed
    // source, so it is refused without a lookup and without counting a failure.
    const nonce = this.#nonces.check(credentials.nonce, input.realm, input.source);
    if (!nonce.valid) return { ok: false, reason: 'invalid' };

    const secrets = await input.lookup(credentials.username, input.realm, algorithm);
    const stored = algorithm === 'MD5' ? secrets?.ha1Md5 : secrets?.ha1Sha256;
    const known = stored !== undefined && isHexOfLength(stored, digestHexLength(algorithm));
    const expected = digestResponse({
      algorithm,
      ha1: known ? stored : this.#dummyHa1[algorithm],
      nonce: credentials.nonce,
      method: input.method,
      uri: credentials.uri,
      qop: credentials.qop,
      nc: credentials.nc,
      cnonce: credentials.cnonce,
    });
    const same = timingSafeEqual(Buffer.from(expected, 'ascii'), Buffer.from(credentials.response.toLowerCase(), 'ascii'));
    if (!same || !known) {
      // Counted only when the nonce was issued to this very source: a spoofed UDP source never
      // received one, so it cannot get a victim's address blocked.
      if (nonce.sameSource) this.#failures.recordFailure(input.source, realm, credentials.username);
      return { ok: false, reason: 'invalid' };
    }

    // RFC 7616 §3.3: stale=true only "if it receives a request for which the nonce is invalid but
    // with a valid digest for that nonce" — here the digest is valid.
    if (nonce.expired || !nonce.sameSource) return { ok: false, reason: 'stale' };

    // RFC 7616 §3.4: nc lets the server detect request replays; a count not above the last one
    // seen with this nonce is a replay. Answering stale makes an honest client (e.g. one that
    // re-sent an old Authorization) simply take a new nonce, and gives a replayer nothing.
    if (!this.#nonces.acceptCount(credentials.nonce, nonce.issuedAt, nc)) {
      this.#logger?.debug({ realm: input.realm, extension: credentials.username }, 'sip auth: nonce-count replay');
      return { ok: false, reason: 'stale' };
    }

    this.#failures.recordSuccess(input.source, realm, credentials.username);
    try {
      this.#onAuthenticated?.(input.source);
    } catch (err) {
      this.#logger?.error({ err }, 'sip auth: onAuthenticated listener threw');
    }
    return { ok: true, username: credentials.username, algorithm };
  }

  /**
   * Picks the credentials to check: the first Digest value for our realm with an accepted
   * algorithm, else the first for our realm. RFC 3261 §22.3 lets a request carry credentials for
   * several realms; newer libre answers each of several challenges with its own value.
   */
  #pick(
    headerValue: string | readonly string[] | undefined,
    realm: string,
    accepted: readonly DigestAlgorithm[],
  ): DigestCredentials | 'missing' | 'malformed' | 'realm' {
    const values = headerValue === undefined ? [] : typeof headerValue === 'string' ? [headerValue] : headerValue;
    if (values.length === 0) return 'missing';
    let sawDigest = false;
    let fallback: DigestCredentials | undefined;
    for (const value of values) {
      const credentials = typeof value === 'string' ? parseCredentials(value) : undefined;
      if (!credentials) continue;
      sawDigest = true;
      if (credentials.realm !== realm) continue;
      const algorithm = parseAlgorithm(credentials.algorithm);
      if (algorithm && accepted.includes(algorithm)) return credentials;
      fallback ??= credentials;
    }
    if (fallback) return fallback;
    return sawDigest ? 'realm' : 'malformed';
  }

  #checkShape(c: DigestCredentials, accepted: readonly DigestAlgorithm[]): Checked | 'malformed' | 'unsupported' {
    const algorithm = parseAlgorithm(c.algorithm);
    if (!algorithm || !accepted.includes(algorithm)) return 'unsupported';
    // Challenges never carry userhash=true, so a client MUST NOT hash the username (RFC 7616 §3.4.4).
    if (c.userhash) return 'unsupported';
    // RFC 7616 §3.4: qop, cnonce and nc "MUST be used by all implementations"; the RFC 2069 form
    // without them has no replay protection, and auth-int was never offered.
    if (c.qop === undefined || c.qop.toLowerCase() !== 'auth') return 'unsupported';
    if (c.username.length === 0 || c.cnonce === undefined || c.cnonce.length === 0) return 'malformed';
    if (c.nc === undefined || !NC_PATTERN.test(c.nc)) return 'malformed';
    const nc = parseInt(c.nc, 16);
    if (nc === 0) return 'malformed';
    if (!isHexOfLength(c.response, digestHexLength(algorithm))) return 'malformed';
    return { algorithm, nc };
  }
}
