import type { AuthExtension } from '../ports.js';

/** A digest algorithm the registrar may offer (RFC 8760). */
export type DigestAlgorithmName = 'SHA-256' | 'MD5';

/** What the authenticator concluded about a request's credentials. */
export type AuthDecision =
  | { readonly kind: 'authenticated'; readonly extension: AuthExtension; readonly username: string }
  /** No usable credentials, wrong ones, or an unknown user: answer 401 (stale: RFC 7616 §3.3). */
  | { readonly kind: 'challenge'; readonly stale: boolean }
  /** Too many failures from this source or for this user (brute-force protection), and not a registered flow: answer 403. */
  | { readonly kind: 'blocked' };

/** Inputs of one credentials check. */
export interface AuthCheckInput {
  readonly method: string;
  /** Authorization header values of the request (all of them; the one for `realm` is used). */
  readonly authorizations: readonly string[];
  readonly realm: string;
  /** Source IP, for the failure tracker. */
  readonly sourceAddress: string;
  /** Finds the extension by digest username within `realm`. */
  readonly lookup: (username: string) => Promise<AuthExtension | undefined>;
  /** True when the request came over a flow carrying a live registration of `username`: blocks do not apply to it. */
  readonly registeredFlow?: (username: string) => boolean;
}

/**
 * Digest authentication as the registrar needs it, so the registrar does not depend on the auth
 * module's internals. Implemented over src/sip/auth by {@link createSipRegistrarAuthenticator}.
 * Unknown users and wrong passwords MUST give the same decision (SPEC 4: no enumeration).
 */
export interface RegistrarAuthenticator {
  /** Checks credentials; counts failures; never throws for bad input. */
  check(input: AuthCheckInput): Promise<AuthDecision>;
  /** WWW-Authenticate values for `realm`, one per algorithm, in the given order; the nonce is bound to `sourceAddress`. */
  challenge(realm: string, sourceAddress: string, stale: boolean, algorithms: readonly DigestAlgorithmName[]): string[];
}

/** User agents that break on a SHA-256 challenge (measured here, or reported by the auth module). */
const MD5_ONLY_AGENTS = /^(baresip v?[01]\.|sipp\b|jssip\b|sip\.js\b)/i;

/**
 * Which algorithms to challenge a device with, most preferred first (RFC 8760 §2.3: SHA-256 before
 * MD5). `offer` is the deployment's list (default SHA-256, MD5).
 *
 * Interop quirks (measured, docs/registrar.md): baresip 1.x (libre 1.1) fails the whole registration
 * with ENOSYS as soon as any challenge names SHA-256, and sipp 3.6.1 only reads the first
 * WWW-Authenticate and only knows MD5; JsSIP and SIP.js answer only the first challenge. Those user
 * agents get MD5 alone. The choice depends on the User-Agent only, never on the extension, so it
 * reveals nothing about which extensions exist.
 */
export function challengeAlgorithms(
  userAgent: string | undefined,
  offer: readonly DigestAlgorithmName[] = ['SHA-256', 'MD5'],
): DigestAlgorithmName[] {
  if (userAgent !== undefined && MD5_ONLY_AGENTS.test(userAgent.trim()) && offer.includes('MD5')) return ['MD5'];
  return [...offer];
}
