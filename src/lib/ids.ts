import { randomBytes, randomUUID } from 'node:crypto';

/** A random token of `bytes` random bytes, base64url-encoded (safe in SIP tags, branches and URLs). */
export function randomToken(bytes = 12): string {
  return randomBytes(bytes).toString('base64url');
}

/** A random lower-case hex string of `bytes` random bytes. */
export function randomHex(bytes = 8): string {
  return randomBytes(bytes).toString('hex');
}

/** A random UUID (v4). */
export function uuid(): string {
  return randomUUID();
}
