import { createHash } from 'node:crypto';

/** Digest algorithms whose HA1 the store keeps. */
export type DigestAlgorithm = 'MD5' | 'SHA-256';

/**
 * HA1 of HTTP digest: `H(username ":" realm ":" password)` as lower-case hex (RFC 7616 §3.4.2, RFC 2617 §3.2.2.2).
 * The username is the extension number and the realm the tenant's SIP domain.
 */
export function ha1(algorithm: DigestAlgorithm, username: string, realm: string, password: string): string {
  const hash = algorithm === 'MD5' ? 'md5' : 'sha256';
  return createHash(hash).update(`${username}:${realm}:${password}`, 'utf8').digest('hex');
}

/** MD5 HA1 of `user:realm:password`. */
export function ha1Md5(username: string, realm: string, password: string): string {
  return ha1('MD5', username, realm, password);
}

/** SHA-256 HA1 of `user:realm:password`. */
export function ha1Sha256(username: string, realm: string, password: string): string {
  return ha1('SHA-256', username, realm, password);
}
