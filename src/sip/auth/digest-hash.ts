/**
 * The Digest computations of RFC 7616 §3.4.1–§3.4.3, as RFC 8760 applies them to SIP
 * (A2 = Method ":" digest-uri, RFC 3261 §22.4). Hex output is lower-case.
 */
import { createHash } from 'node:crypto';

/** A digest algorithm Centrala computes (RFC 7616 §6.1 names; RFC 8760 §2.1 for SIP). */
export type DigestAlgorithm = 'MD5' | 'SHA-256';

/** Every algorithm Centrala can verify, most preferred first (RFC 8760 §2.3 order). */
export const DIGEST_ALGORITHMS: readonly DigestAlgorithm[] = ['SHA-256', 'MD5'];

const NODE_HASH: Record<DigestAlgorithm, string> = { MD5: 'md5', 'SHA-256': 'sha256' };
const HEX_LENGTH: Record<DigestAlgorithm, number> = { MD5: 32, 'SHA-256': 64 };

/**
 * Maps the `algorithm` parameter to an algorithm. Absent means MD5 (RFC 7616 §3.3: "If the
 * parameter is not present, it is assumed to be MD5"); the comparison is case-insensitive.
 * `-sess` variants and SHA-512-256 give undefined: Centrala neither offers nor accepts them.
 */
export function parseAlgorithm(token: string | undefined): DigestAlgorithm | undefined {
  if (token === undefined) return 'MD5';
  const upper = token.toUpperCase();
  if (upper === 'MD5') return 'MD5';
  if (upper === 'SHA-256') return 'SHA-256';
  return undefined;
}

/** Length in hex characters of a hash of `algorithm` (32 for MD5, 64 for SHA-256). */
export function digestHexLength(algorithm: DigestAlgorithm): number {
  return HEX_LENGTH[algorithm];
}

/** H(data): the lower-case hex hash of the UTF-8 bytes of `data`. */
export function digestHash(algorithm: DigestAlgorithm, data: string): string {
  return createHash(NODE_HASH[algorithm]).update(data, 'utf8').digest('hex');
}

/** H(A1) = H(username ":" realm ":" password) (RFC 7616 §3.4.2, non-session variant). */
export function ha1(algorithm: DigestAlgorithm, username: string, realm: string, password: string): string {
  return digestHash(algorithm, `${username}:${realm}:${password}`);
}

/** The inputs of a digest `response`. */
export interface DigestResponseInput {
  readonly algorithm: DigestAlgorithm;
  /** H(A1), hex. */
  readonly ha1: string;
  readonly nonce: string;
  /** The request method (A2's first half). */
  readonly method: string;
  /** The digest-uri as it appears in the credentials (A2's second half). */
  readonly uri: string;
  /** `auth`; absent only for the RFC 2069 form, which Centrala's verifier refuses. */
  readonly qop?: string;
  /** nc, 8 hex digits as written. */
  readonly nc?: string;
  readonly cnonce?: string;
}

/**
 * response = KD(H(A1), nonce ":" nc ":" cnonce ":" qop ":" H(A2)) with qop (RFC 7616 §3.4.1),
 * or KD(H(A1), nonce ":" H(A2)) without (RFC 2069 form), where KD(s, d) = H(s ":" d).
 */
export function digestResponse(input: DigestResponseInput): string {
  const ha2 = digestHash(input.algorithm, `${input.method}:${input.uri}`);
  const ha1Hex = input.ha1.toLowerCase();
  if (input.qop === undefined) return digestHash(input.algorithm, `${ha1Hex}:${input.nonce}:${ha2}`);
  return digestHash(
    input.algorithm,
    `${ha1Hex}:${input.nonce}:${input.nc ?? ''}:${input.cnonce ?? ''}:${input.qop}:${ha2}`,
  );
}
