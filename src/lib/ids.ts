import { randomBytes, randomUUID } from 'node:crypto';

/**
 * Random bytes drawn from a pool filled 4 KiB at a time by the CSPRNG: a SIP message needs several small
 * random values (tags, branches, nonces), and one `randomBytes` call per value costs more than the bytes.
 * Every byte is used once; values larger than the pool come straight from `randomBytes`.
 */
const POOL_SIZE = 4096;
let pool = Buffer.alloc(0);
let offset = 0;

function random(bytes: number): Buffer {
  if (bytes > POOL_SIZE) return randomBytes(bytes);
  if (offset + bytes > pool.length) {
    pool = randomBytes(POOL_SIZE);
    offset = 0;
  }
  const out = pool.subarray(offset, offset + bytes);
  offset += bytes;
  return out;
}

/** A random token of `bytes` random bytes, base64url-encoded (safe in SIP tags, branches and URLs). */
export function randomToken(bytes = 12): string {
  return random(bytes).toString('base64url');
}

/** A random lower-case hex string of `bytes` random bytes. */
export function randomHex(bytes = 8): string {
  return random(bytes).toString('hex');
}

/** A random UUID (v4). */
export function uuid(): string {
  return randomUUID();
}
