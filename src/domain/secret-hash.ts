import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';

/** scrypt cost parameters written into every hash so they can be raised later without breaking old hashes. */
export const SCRYPT_PARAMS = { N: 16384, r: 8, p: 1, keyLength: 32, saltBytes: 16 } as const;

function scryptAsync(secret: string, salt: Buffer, keyLength: number, N: number, r: number, p: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(secret, salt, keyLength, { N, r, p, maxmem: 256 * N * r + 1024 * 1024 }, (err, key) => {
      if (err) reject(err);
      else resolve(key);
    });
  });
}

/** Hashes a PIN or password with salted scrypt into `scrypt$N$r$p$salt$hash` (salt and hash base64url). */
export async function hashSecret(secret: string): Promise<string> {
  const { N, r, p, keyLength, saltBytes } = SCRYPT_PARAMS;
  const salt = randomBytes(saltBytes);
  const key = await scryptAsync(secret, salt, keyLength, N, r, p);
  return `scrypt$${N}$${r}$${p}$${salt.toString('base64url')}$${key.toString('base64url')}`;
}

/** Checks a secret against a {@link hashSecret} string in constant time; false for malformed hashes. */
export async function verifySecret(secret: string, encoded: string): Promise<boolean> {
  const parts = encoded.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return false;
  const [N, r, p] = [Number(parts[1]), Number(parts[2]), Number(parts[3])];
  if (![N, r, p].every((n) => Number.isInteger(n) && n > 0) || N > 1 << 20) return false;
  const salt = Buffer.from(parts[4] ?? '', 'base64url');
  const expected = Buffer.from(parts[5] ?? '', 'base64url');
  if (salt.length === 0 || expected.length === 0) return false;
  const key = await scryptAsync(secret, salt, expected.length, N, r, p);
  return timingSafeEqual(key, expected);
}
