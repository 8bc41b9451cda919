import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { FakeClock } from '../../lib/index.js';
import { MAX_AUTH_VALUE_LENGTH, readDigestParams } from './digest-params.js';
import { parseCredentials } from './digest-credentials.js';
import { parseChallenge } from './digest-challenge.js';
import { DigestAuthenticator } from './digest-authenticator.js';

describe('Digest parameters', () => {
  it('reads a Digest value with names lower-cased and values unquoted', () => {
    const p = readDigestParams('digest UserName="al\\"ice", Realm="pbx.example.com",nc=00000001');
    assert.deepEqual(p && [...p], [
      ['username', 'al"ice'],
      ['realm', 'pbx.example.com'],
      ['nc', '00000001'],
    ]);
  });

  const refused: Array<[string, string]> = [
    ['empty', ''],
    ['another scheme', 'Basic realm="a"'],
    ['a token68 value', 'Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ=='],
    ['a repeated parameter', 'Digest realm="a", realm="b"'],
    ['a repeated parameter in another case', 'Digest nonce="a", NONCE="b"'],
    ['an unterminated quoted-string', 'Digest realm="abc'],
    ['a missing =', 'Digest realm "a"'],
    ['CR LF inside a quoted-string', 'Digest realm="a\r\nVia: x"'],
    ['a NUL byte inside a quoted-string', 'Digest username="100\u0000admin"'],
    ['an escaped NUL byte', 'Digest username="100\\\u0000"'],
    ['a value over the length limit', `Digest realm="${'a'.repeat(MAX_AUTH_VALUE_LENGTH)}"`],
    ['more than 32 parameters', `Digest ${Array.from({ length: 33 }, (_, i) => `p${i}=1`).join(', ')}`],
  ];
  for (const [what, value] of refused) {
    it(`refuses ${what}`, () => {
      assert.equal(readDigestParams(value), undefined);
    });
  }

  it('parseCredentials wants all of username, realm, nonce, uri and response (RFC 3261 §22.4)', () => {
    const full = 'Digest username="a", realm="r", nonce="n", uri="sip:r", response="00"';
    assert.ok(parseCredentials(full));
    for (const name of ['username', 'realm', 'nonce', 'uri', 'response']) {
      const without = full.replace(new RegExp(`,? ?${name}="[^"]*"`), '');
      assert.equal(parseCredentials(without), undefined, name);
    }
  });

  it('parseChallenge reads qop-options as a list and stale case-insensitively', () => {
    const c = parseChallenge('Digest realm="r", nonce="n", qop="auth, auth-int", stale=TRUE');
    assert.deepEqual(c, { realm: 'r', nonce: 'n', algorithm: 'MD5', qop: ['auth', 'auth-int'], stale: true });
  });
});

describe('parsers never throw on garbage (fast-check)', () => {
  const authenticator = new DigestAuthenticator({ secret: 'x'.repeat(32), clock: new FakeClock() });
  const fragments = fc.constantFrom(
    'Digest ', 'digest', ' ', ',', '=', '"', '\\', 'username', 'realm', 'nonce', 'uri', 'response', 'qop',
    'nc', 'cnonce', 'algorithm', 'auth', 'MD5', 'SHA-256', '00000001', '\r\n', '\u0000', 'é', '%', ';', 'userhash=true',
  );
  const headerish = fc.oneof(
    fc.string({ maxLength: 300 }),
    fc.string({ unit: 'binary', maxLength: 300 }),
    fc.array(fragments, { maxLength: 60 }).map((parts) => parts.join('')),
  );

  it('readDigestParams, parseCredentials and parseChallenge return a value or undefined', () => {
    fc.assert(
      fc.property(headerish, (value) => {
        readDigestParams(value);
        parseCredentials(value);
        parseChallenge(value);
      }),
      { numRuns: 3000 },
    );
  });

  it('DigestAuthenticator.verify resolves (never rejects) for any header values', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(headerish, { maxLength: 3 }), async (values) => {
        const result = await authenticator.verify({
          method: 'REGISTER',
          headerValue: values,
          realm: 'r',
          source: '192.0.2.1',
          lookup: async () => undefined,
        });
        assert.equal(result.ok, false);
      }),
      { numRuns: 1000 },
    );
  });
});
