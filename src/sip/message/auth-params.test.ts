import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { formatAuthHeader, parseAuthHeader } from './auth-params.js';

describe('challenge and credentials headers (RFC 3261 §22.4, RFC 7616 §3)', () => {
  it('reads a Digest challenge: quoted and token values, names lower-cased', () => {
    const parsed = parseAuthHeader(
      'Digest realm="atlanta.com", domain="sip:boxesbybob.com", qop="auth", nonce="f84f1cec41e6cbe5aea9c8e88d359", opaque="", stale=FALSE, Algorithm=MD5',
    );
    assert.ok(parsed);
    assert.equal(parsed.scheme, 'Digest');
    assert.equal(parsed.params.get('realm'), 'atlanta.com');
    assert.equal(parsed.params.get('opaque'), '');
    assert.equal(parsed.params.get('stale'), 'FALSE');
    assert.equal(parsed.params.get('algorithm'), 'MD5');
  });

  it('reads Digest credentials with LWS around "=" and "," and without space after commas', () => {
    const parsed = parseAuthHeader(
      'Digest username="bob" ,realm = "biloxi.com",nonce="dcd98b7102dd2f0e8b11d0f600bfb0c093", uri="sip:bob@biloxi.com", qop=auth, nc=00000001, cnonce="0a4f113b", response="6629fae49393a05397450978507c4ef1"',
    );
    assert.equal(parsed?.params.get('username'), 'bob');
    assert.equal(parsed?.params.get('realm'), 'biloxi.com');
    assert.equal(parsed?.params.get('nc'), '00000001');
    assert.equal(parsed?.params.get('qop'), 'auth');
  });

  it('undoes quoted-pairs in values', () => {
    assert.equal(parseAuthHeader('Digest username="a\\"b\\\\c"')?.params.get('username'), 'a"b\\c');
  });

  it('reads an unknown scheme with its parameters (RFC 4475 §3.3.7 regaut01)', () => {
    const parsed = parseAuthHeader('NoOneKnowsThisScheme opaque-data=here');
    assert.equal(parsed?.scheme, 'NoOneKnowsThisScheme');
    assert.equal(parsed?.params.get('opaque-data'), 'here');
  });

  it('reads token68 credentials (RFC 7235 §2.1)', () => {
    assert.deepEqual(parseAuthHeader('Basic dXNlcjpwYXNzd29yZA=='), {
      scheme: 'Basic',
      params: new Map(),
      token68: 'dXNlcjpwYXNzd29yZA==',
    });
  });

  for (const [text, why] of [
    ['', 'empty'],
    ['Digest realm="unterminated', 'an unterminated quoted string'],
    ['Digest realm="a" nonce="b"', 'a missing comma'],
    ['Digest realm="a", realm="b"', 'a repeated parameter'],
    ['Digest realm=, nonce="x"', 'a missing value'],
    ['Digest =x', 'a missing name'],
  ]) {
    it(`rejects ${why}`, () => assert.equal(parseAuthHeader(text as string), undefined));
  }

  it('writes a challenge that parses back, quoting all but algorithm, stale and nc by default', () => {
    const text = formatAuthHeader('Digest', {
      realm: 'acme.pbx.example',
      nonce: 'abc"def',
      algorithm: 'SHA-256',
      qop: 'auth',
      stale: 'true',
    });
    assert.equal(text, 'Digest realm="acme.pbx.example", nonce="abc\\"def", algorithm=SHA-256, qop="auth", stale=true');
    assert.equal(parseAuthHeader(text)?.params.get('nonce'), 'abc"def');
    assert.equal(formatAuthHeader('Digest', [['qop', 'auth']], { tokens: ['qop'] }), 'Digest qop=auth');
    assert.throws(() => formatAuthHeader('Bad Scheme', {}), TypeError);
  });
});
