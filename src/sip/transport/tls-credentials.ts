import { X509Certificate, createPrivateKey } from 'node:crypto';
import { chmod, mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createSecureContext } from 'node:tls';
import { generate } from 'selfsigned';
import type { TlsCredentials } from './types.js';

/** Certificate and key as PEM text, with the files they live in. */
export interface TlsCredentialFiles extends TlsCredentials {
  readonly cert: string;
  readonly key: string;
  readonly certPath: string;
  readonly keyPath: string;
}

/** A dev certificate is valid this long… */
export const DEV_CERTIFICATE_DAYS = 365;
/** …and replaced at start when it has fewer days than this left. */
export const DEV_CERTIFICATE_RENEW_DAYS = 30;

const DAY_MS = 86_400_000;

/**
 * Reads a PEM certificate (chain) and private key and checks they form a usable TLS context, so a
 * bad path or mismatched pair stops the start with one clear line instead of failing per handshake.
 */
export async function loadTlsCredentials(certPath: string, keyPath: string): Promise<TlsCredentialFiles> {
  const [cert, key] = await Promise.all([readFile(certPath, 'utf8'), readFile(keyPath, 'utf8')]);
  try {
    createSecureContext({ cert, key });
  } catch (err) {
    throw new Error(`TLS certificate ${certPath} and key ${keyPath} are not a usable pair: ${String(err)}`, { cause: err });
  }
  return { cert, key, certPath, keyPath };
}

/**
 * For development when no certificate is configured: returns the self-signed certificate kept in
 * `<dataDir>/tls/` (dev-cert.pem, dev-key.pem with mode 0600), creating it first when it is missing,
 * unreadable or expires within {@link DEV_CERTIFICATE_RENEW_DAYS} days. RSA 2048 / SHA-256 (what
 * desk phones accept), CN localhost, SANs localhost, 127.0.0.1 and ::1. Clients must be told to
 * trust it; it is not for production.
 */
export async function ensureDevCertificate(dataDir: string, now: Date = new Date()): Promise<TlsCredentialFiles> {
  const dir = join(dataDir, 'tls');
  const certPath = join(dir, 'dev-cert.pem');
  const keyPath = join(dir, 'dev-key.pem');
  try {
    const existing = await loadTlsCredentials(certPath, keyPath);
    const validTo = Date.parse(new X509Certificate(existing.cert).validTo);
    if (validTo - now.getTime() > DEV_CERTIFICATE_RENEW_DAYS * DAY_MS) return existing;
  } catch {
    // Missing, unreadable or mismatched: make a new one below.
  }
  const notAfter = new Date(now.getTime() + DEV_CERTIFICATE_DAYS * DAY_MS);
  const pems = await generate([{ name: 'commonName', value: 'localhost' }], {
    keyType: 'rsa',
    keySize: 2048,
    algorithm: 'sha256',
    notBeforeDate: new Date(now.getTime() - DAY_MS),
    notAfterDate: notAfter,
    extensions: [
      { name: 'basicConstraints', cA: false, critical: true },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
      { name: 'extKeyUsage', serverAuth: true, clientAuth: true },
      {
        name: 'subjectAltName',
        altNames: [
          { type: 2, value: 'localhost' },
          { type: 7, ip: '127.0.0.1' },
          { type: 7, ip: '::1' },
        ],
      },
    ],
  });
  // Normalise the key to PKCS#8 PEM whatever the package emits.
  const key = createPrivateKey(pems.private).export({ type: 'pkcs8', format: 'pem' }).toString();
  await mkdir(dir, { recursive: true, mode: 0o700 });
  await writeAtomically(keyPath, key, 0o600);
  await writeAtomically(certPath, pems.cert, 0o644);
  return { cert: pems.cert, key, certPath, keyPath };
}

async function writeAtomically(path: string, text: string, mode: number): Promise<void> {
  const tmp = `${path}.${process.pid}.tmp`;
  await writeFile(tmp, text, { mode });
  await chmod(tmp, mode);
  await rename(tmp, path);
}
