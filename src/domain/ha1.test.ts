import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, test } from 'node:test';
import { ha1, ha1Md5, ha1Sha256 } from './ha1.js';

const h = (alg: 'md5' | 'sha256', text: string): string => createHash(alg).update(text).digest('hex');

/** RFC 7616 §3.4.1 response = KD(HA1, nonce:nc:cnonce:qop:HA2) with qop=auth, HA2 = H(method:uri). */
function response(alg: 'md5' | 'sha256', ha1Hex: string): string {
  const nonce = '7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v';
  const cnonce = 'f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ';
  return h(alg, `${ha1Hex}:${nonce}:00000001:${cnonce}:auth:${h(alg, 'GET:/dir/index.html')}`);
}

describe('HA1 (RFC 2617 §3.2.2.2, RFC 7616 §3.4.2)', () => {
  test('MD5 HA1 of the RFC 2617 example is 939e7578ed9e3c518a452acee763bce9', () => {
    assert.equal(ha1Md5('Mufasa', 'testrealm@host.com', 'Circle Of Life'), '939e7578ed9e3c518a452acee763bce9');
  });

  test('SHA-256 HA1 yields the RFC 7616 §3.9.1 example response', () => {
    const key = ha1Sha256('Mufasa', 'http-auth@example.org', 'Circle of Life');
    assert.equal(response('sha256', key), '753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1');
  });

  test('MD5 HA1 yields the RFC 7616 §3.9.1 example response', () => {
    const key = ha1Md5('Mufasa', 'http-auth@example.org', 'Circle of Life');
    assert.equal(response('md5', key), '8ca523f5e9506fed4657c9700eebdbec');
  });

  test('ha1() dispatches by algorithm name and gives lower-case hex of the right length', () => {
    assert.match(ha1('MD5', '101', 'acme.pbx.example', 'pw'), /^[0-9a-f]{32}$/);
    assert.match(ha1('SHA-256', '101', 'acme.pbx.example', 'pw'), /^[0-9a-f]{64}$/);
    assert.equal(ha1('SHA-256', '101', 'acme.pbx.example', 'pw'), ha1Sha256('101', 'acme.pbx.example', 'pw'));
  });
});
