import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { X509Certificate, createPrivateKey } from 'node:crypto';
import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEV_CERTIFICATE_DAYS, ensureDevCertificate, loadTlsCredentials } from './tls-credentials.js';

describe('ensureDevCertificate', () => {
  let dataDir: string;
  before(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'centrala-cert-'));
  });
  after(() => rm(dataDir, { recursive: true, force: true }));

  it('creates a self-signed certificate for localhost, 127.0.0.1 and ::1 under <dataDir>/tls', async () => {
    const created = await ensureDevCertificate(dataDir);
    assert.equal(created.certPath, join(dataDir, 'tls', 'dev-cert.pem'));
    assert.equal(created.keyPath, join(dataDir, 'tls', 'dev-key.pem'));
    const x509 = new X509Certificate(created.cert);
    assert.match(x509.subject, /CN=localhost/);
    assert.equal(x509.issuer, x509.subject);
    const san = x509.subjectAltName ?? '';
    assert.match(san, /DNS:localhost/);
    assert.match(san, /IP Address:127\.0\.0\.1/);
    assert.match(san, /IP Address:(0:0:0:0:0:0:0:1|::1)/);
    assert.equal(x509.checkPrivateKey(createPrivateKey(created.key)), true);
    const days = (Date.parse(x509.validTo) - Date.now()) / 86_400_000;
    assert.ok(days > DEV_CERTIFICATE_DAYS - 2 && days <= DEV_CERTIFICATE_DAYS + 1, `valid for ${days} days`);
    assert.equal((await stat(created.keyPath)).mode & 0o777, 0o600);
  });

  it('returns the persisted certificate on the next start instead of making a new one', async () => {
    const first = await ensureDevCertificate(dataDir);
    const second = await ensureDevCertificate(dataDir);
    assert.equal(second.cert, first.cert);
    assert.equal(second.key, first.key);
  });

  it('replaces a certificate that is about to expire', async () => {
    const first = await ensureDevCertificate(dataDir);
    const inElevenMonths = new Date(Date.now() + 340 * 86_400_000);
    const renewed = await ensureDevCertificate(dataDir, inElevenMonths);
    assert.notEqual(renewed.cert, first.cert);
    assert.equal((await loadTlsCredentials(renewed.certPath, renewed.keyPath)).cert, renewed.cert);
  });

  it('replaces a corrupt certificate file', async () => {
    const { certPath } = await ensureDevCertificate(dataDir);
    await writeFile(certPath, 'not a certificate');
    const fixed = await ensureDevCertificate(dataDir);
    assert.doesNotThrow(() => new X509Certificate(fixed.cert));
  });
});

describe('loadTlsCredentials', () => {
  it('rejects a key that does not belong to the certificate, naming both files', async () => {
    const a = await mkdtemp(join(tmpdir(), 'centrala-cert-a-'));
    const b = await mkdtemp(join(tmpdir(), 'centrala-cert-b-'));
    try {
      const one = await ensureDevCertificate(a);
      const two = await ensureDevCertificate(b);
      await assert.rejects(loadTlsCredentials(one.certPath, two.keyPath), (err: Error) => err.message.includes(one.certPath) && err.message.includes(two.keyPath));
      await assert.rejects(loadTlsCredentials(join(a, 'missing.pem'), one.keyPath), /ENOENT/);
    } finally {
      await rm(a, { recursive: true, force: true });
      await rm(b, { recursive: true, force: true });
    }
  });
});
