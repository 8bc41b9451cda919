import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { digestHash, digestResponse, ha1, parseAlgorithm } from './digest-hash.js';
import { formatCredentials, parseCredentials } from './digest-credentials.js';
import { formatChallenge, parseChallenge } from './digest-challenge.js';

// RFC 7616 §3.9.1 — the same request answered with SHA-256 and with MD5.
const RFC7616 = {
  username: 'Mufasa',
  password: 'Circle of Life',
  realm: 'http-auth@example.org',
  nonce: '7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v',
  cnonce: 'f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ',
  opaque: 'FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS',
  nc: '00000001',
  uri: '/dir/index.html',
  method: 'GET',
  responses: {
    'SHA-256': '753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1',
    MD5: '8ca523f5e9506fed4657c9700eebdbec',
  },
} as const;

describe('digest computations', () => {
  for (const algorithm of ['SHA-256', 'MD5'] as const) {
    it(`gives RFC 7616 §3.9.1's published ${algorithm} response`, () => {
      const response = digestResponse({
        algorithm,
        ha1: ha1(algorithm, RFC7616.username, RFC7616.realm, RFC7616.password),
        nonce: RFC7616.nonce,
        method: RFC7616.method,
        uri: RFC7616.uri,
        qop: 'auth',
        nc: RFC7616.nc,
        cnonce: RFC7616.cnonce,
      });
      assert.equal(response, RFC7616.responses[algorithm]);
    });

    it(`reads RFC 7616 §3.9.1's ${algorithm} Authorization header and its response checks out`, () => {
      const header =
        `Digest username="Mufasa", realm="http-auth@example.org", uri="/dir/index.html", algorithm=${algorithm}, ` +
        `nonce="${RFC7616.nonce}", nc=00000001, cnonce="${RFC7616.cnonce}", qop=auth, ` +
        `response="${RFC7616.responses[algorithm]}", opaque="${RFC7616.opaque}"`;
      const c = parseCredentials(header);
      assert.ok(c);
      assert.equal(c.username, 'Mufasa');
      assert.equal(c.opaque, RFC7616.opaque);
      const parsedAlgorithm = parseAlgorithm(c.algorithm);
      assert.equal(parsedAlgorithm, algorithm);
      const expected = digestResponse({
        algorithm,
        ha1: ha1(algorithm, c.username, c.realm, RFC7616.password),
        nonce: c.nonce,
        method: 'GET',
        uri: c.uri,
        qop: c.qop,
        nc: c.nc,
        cnonce: c.cnonce,
      });
      assert.equal(expected, c.response);
    });
  }

  it("gives RFC 2617 §3.5's published MD5 response", () => {
    const response = digestResponse({
      algorithm: 'MD5',
      ha1: ha1('MD5', 'Mufasa', 'testrealm@host.com', 'Circle Of Life'),
      nonce: 'dcd98b7102dd2f0e8b11d0f600bfb0c093',
      method: 'GET',
      uri: '/dir/index.html',
      qop: 'auth',
      nc: '00000001',
      cnonce: '0a4f113b',
    });
    assert.equal(response, '6629fae49393a05397450978507c4ef1');
  });

  it('computes the RFC 2069 form KD(H(A1), nonce ":" H(A2)) when qop is absent', () => {
    const h1 = ha1('MD5', 'u', 'r', 'p');
    const h2 = digestHash('MD5', 'REGISTER:sip:r');
    assert.equal(
      digestResponse({ algorithm: 'MD5', ha1: h1, nonce: 'n', method: 'REGISTER', uri: 'sip:r' }),
      digestHash('MD5', `${h1}:n:${h2}`),
    );
  });

  it('takes an absent algorithm as MD5, compares case-insensitively and refuses -sess and SHA-512-256', () => {
    assert.equal(parseAlgorithm(undefined), 'MD5');
    assert.equal(parseAlgorithm('md5'), 'MD5');
    assert.equal(parseAlgorithm('sha-256'), 'SHA-256');
    for (const other of ['MD5-sess', 'SHA-256-sess', 'SHA-512-256', 'AKAv1-MD5', '']) {
      assert.equal(parseAlgorithm(other), undefined, other);
    }
  });

  it('formatCredentials writes a value that parses back and carries the RFC 7616 response', () => {
    const value = formatCredentials({
      algorithm: 'SHA-256',
      username: RFC7616.username,
      realm: RFC7616.realm,
      ha1: ha1('SHA-256', RFC7616.username, RFC7616.realm, RFC7616.password),
      nonce: RFC7616.nonce,
      method: 'GET',
      uri: RFC7616.uri,
      cnonce: RFC7616.cnonce,
      nc: 1,
      opaque: RFC7616.opaque,
    });
    const c = parseCredentials(value);
    assert.ok(c);
    assert.equal(c.response, RFC7616.responses['SHA-256']);
    assert.equal(c.nc, '00000001');
    assert.equal(c.qop, 'auth');
    assert.match(value, /algorithm=SHA-256, cnonce="[^"]+", qop=auth, nc=00000001/);
  });

  it('formatChallenge writes algorithm as a token, qop quoted, stale only when set, and parses back', () => {
    const base = { realm: 'pbx.example.com', nonce: 'abc', algorithm: 'SHA-256', qop: ['auth'] } as const;
    assert.equal(
      formatChallenge({ ...base, stale: false }),
      'Digest realm="pbx.example.com", nonce="abc", algorithm=SHA-256, qop="auth"',
    );
    const stale = formatChallenge({ ...base, stale: true });
    assert.match(stale, /, stale=true$/);
    assert.deepEqual(parseChallenge(stale), { ...base, qop: ['auth'], stale: true });
  });

  it('formatChallenge escapes quotes in the realm and cannot be used to inject a header', () => {
    const value = formatChallenge({ realm: 'a"b\\c', nonce: 'n', algorithm: 'MD5', qop: ['auth'], stale: false });
    assert.match(value, /realm="a\\"b\\\\c"/);
    assert.equal(parseChallenge(value)?.realm, 'a"b\\c');
    const injected = formatChallenge({ realm: 'a\r\nX-Injected: 1', nonce: 'n', algorithm: 'MD5', qop: ['auth'], stale: false });
    assert.doesNotMatch(injected, /[\r\n]/);
  });
});
