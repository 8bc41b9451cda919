import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { FailureTracker, FakeClock } from '../../lib/index.js';
import {
  COMPATIBLE_ALGORITHMS,
  DigestAuthenticator,
  type DigestSecretLookup,
  type DigestVerifyInput,
} from './digest-authenticator.js';
import { parseChallenge } from './digest-challenge.js';
import { formatCredentials, parseCredentials } from './digest-credentials.js';
import { DIGEST_ALGORITHMS, digestResponse, ha1, type DigestAlgorithm } from './digest-hash.js';

const REALM = 'acme.pbx.example.com';
const PHONE = '203.0.113.7';
const URI = 'sip:acme.pbx.example.com';
const ACCOUNTS: Record<string, string> = { '100': 'correct horse battery', '101': 'other secret' };

const lookup: DigestSecretLookup = async (username, realm) => {
  const password = ACCOUNTS[username];
  if (password === undefined || realm !== REALM) return undefined;
  return { ha1Md5: ha1('MD5', username, realm, password), ha1Sha256: ha1('SHA-256', username, realm, password) };
};

function setup(options: { failureTracker?: FailureTracker } = {}): { clock: FakeClock; auth: DigestAuthenticator } {
  const clock = new FakeClock();
  const auth = new DigestAuthenticator({ secret: 'test-secret-test-secret-test', clock, ...options });
  return { clock, auth };
}

/** What a phone does with a 401: take the topmost challenge and answer it. */
function answer(
  challenge: string,
  opts: { username?: string; password?: string; nc?: number; method?: string; uri?: string; cnonce?: string } = {},
): string {
  const c = parseChallenge(challenge);
  assert.ok(c, `unreadable challenge ${challenge}`);
  const username = opts.username ?? '100';
  return formatCredentials({
    algorithm: c.algorithm,
    username,
    realm: c.realm,
    ha1: ha1(c.algorithm, username, c.realm, opts.password ?? ACCOUNTS[username] ?? 'whatever'),
    nonce: c.nonce,
    method: opts.method ?? 'REGISTER',
    uri: opts.uri ?? URI,
    cnonce: opts.cnonce ?? 'a1b2c3d4',
    nc: opts.nc ?? 1,
  });
}

function first(challenges: string[]): string {
  const [top] = challenges;
  assert.ok(top);
  return top;
}

function input(headerValue: DigestVerifyInput['headerValue'], extra: Partial<DigestVerifyInput> = {}): DigestVerifyInput {
  return { method: 'REGISTER', headerValue, realm: REALM, source: PHONE, lookup, ...extra };
}

/** Rewrites one parameter of a credentials value. */
function withParam(value: string, name: string, replacement: string | undefined): string {
  const pattern = new RegExp(`(, )?${name}=("[^"]*"|[^,]*)`);
  return value.replace(pattern, replacement === undefined ? '' : `$1${replacement}`);
}

describe('DigestAuthenticator', () => {
  describe('challenge', () => {
    it('offers MD5 alone by default, qop="auth", no stale', () => {
      const { auth } = setup();
      assert.deepEqual(COMPATIBLE_ALGORITHMS, ['MD5']);
      const [only, ...rest] = auth.challenge(REALM, { source: PHONE });
      assert.equal(rest.length, 0);
      assert.match(only ?? '', /^Digest realm="acme\.pbx\.example\.com", nonce="[A-Za-z0-9_-]{71}", algorithm=MD5, qop="auth"$/);
    });

    it('RFC 8760 §2.3: offers SHA-256 first, then MD5, with one shared nonce, when asked', () => {
      const { auth } = setup();
      const challenges = auth.challenge(REALM, { source: PHONE, algorithms: DIGEST_ALGORITHMS });
      const parsed = challenges.map(parseChallenge);
      assert.deepEqual(parsed.map((c) => c?.algorithm), ['SHA-256', 'MD5']);
      assert.equal(parsed[0]?.nonce, parsed[1]?.nonce);
      assert.deepEqual(parsed[0]?.qop, ['auth']);
    });

    it('sets stale=true only when asked', () => {
      const { auth } = setup();
      assert.equal(parseChallenge(first(auth.challenge(REALM, { source: PHONE, stale: true })))?.stale, true);
      assert.equal(parseChallenge(first(auth.challenge(REALM, { source: PHONE })))?.stale, false);
    });

    it('refuses an empty or unknown algorithm list (configuration error)', () => {
      const { auth } = setup();
      assert.throws(() => auth.challenge(REALM, { source: PHONE, algorithms: [] }), RangeError);
      assert.throws(() => auth.challenge(REALM, { source: PHONE, algorithms: ['SHA-1' as DigestAlgorithm] }), RangeError);
    });
  });

  describe('verify: a sipp-like registration', () => {
    for (const algorithm of DIGEST_ALGORITHMS) {
      it(`REGISTER → 401 → REGISTER with ${algorithm} credentials → ok`, async () => {
        const { auth } = setup();
        assert.deepEqual(await auth.verify(input(undefined)), { ok: false, reason: 'missing' });
        const challenge = first(auth.challenge(REALM, { source: PHONE, algorithms: [algorithm] }));
        assert.deepEqual(await auth.verify(input(answer(challenge))), { ok: true, username: '100', algorithm });
      });
    }

    it('takes the credentials for our realm among several values', async () => {
      const { auth } = setup();
      const challenge = first(auth.challenge(REALM, { source: PHONE }));
      const foreign = 'Digest username="x", realm="proxy.example.net", nonce="n", uri="sip:x", response="00"';
      assert.equal((await auth.verify(input([foreign, answer(challenge)]))).ok, true);
    });

    it('prefers an accepted algorithm when a client answers both challenges (newer libre)', async () => {
      const { auth } = setup();
      const [sha, md5] = auth.challenge(REALM, { source: PHONE, algorithms: DIGEST_ALGORITHMS });
      assert.ok(sha && md5);
      const result = await auth.verify(input([answer(sha), answer(md5)], { algorithms: ['MD5'] }));
      assert.deepEqual(result, { ok: true, username: '100', algorithm: 'MD5' });
    });

    it('authenticates an INVITE with the nonce of the REGISTER and the next nc (A2 uses the method)', async () => {
      const { auth } = setup();
      const challenge = first(auth.challenge(REALM, { source: PHONE }));
      assert.equal((await auth.verify(input(answer(challenge, { nc: 1 })))).ok, true);
      const invite = answer(challenge, { nc: 2, method: 'INVITE', uri: 'sip:200@acme.pbx.example.com' });
      assert.equal((await auth.verify(input(invite, { method: 'INVITE' }))).ok, true);
      const wrongMethod = answer(challenge, { nc: 3, method: 'INVITE' });
      assert.deepEqual(await auth.verify(input(wrongMethod, { method: 'BYE' })), { ok: false, reason: 'invalid' });
    });
  });

  describe('verify: no extension enumeration', () => {
    it('an unknown user and a wrong password give exactly the same result', async () => {
      for (const algorithm of DIGEST_ALGORITHMS) {
        const { auth } = setup();
        const challenge = first(auth.challenge(REALM, { source: PHONE, algorithms: [algorithm] }));
        const wrongPassword = await auth.verify(input(answer(challenge, { username: '100', password: 'guess' })));
        const unknownUser = await auth.verify(input(answer(challenge, { username: '999', password: 'guess' })));
        assert.deepEqual(wrongPassword, { ok: false, reason: 'invalid' });
        assert.deepEqual(unknownUser, wrongPassword);
      }
    });

    it('looks up an unknown user exactly as a known one (the dummy-H(A1) timing is by construction, not unit-tested)', async () => {
      const { auth } = setup();
      const challenge = first(auth.challenge(REALM, { source: PHONE }));
      let lookups = 0;
      const counting: DigestSecretLookup = async (u, r, a) => {
        lookups++;
        return lookup(u, r, a);
      };
      await auth.verify(input(answer(challenge, { username: '999' }), { lookup: counting }));
      await auth.verify(input(answer(challenge, { username: '100', password: 'x', nc: 2 }), { lookup: counting }));
      assert.equal(lookups, 2);
    });

    it('an account without the H(A1) of the algorithm used is refused like an unknown user', async () => {
      const { auth } = setup();
      const challenge = first(auth.challenge(REALM, { source: PHONE, algorithms: ['SHA-256'] }));
      const md5Only: DigestSecretLookup = async () => ({ ha1Md5: ha1('MD5', '100', REALM, ACCOUNTS['100'] ?? '') });
      assert.deepEqual(await auth.verify(input(answer(challenge), { lookup: md5Only })), { ok: false, reason: 'invalid' });
    });

    it('an unknown user and a wrong password are blocked alike after repeated failures', async () => {
      const { auth } = setup();
      const results: unknown[] = [];
      for (const username of ['100', '999']) {
        const source = username === '100' ? '192.0.2.1' : '192.0.2.2';
        for (let i = 0; i < 10; i++) {
          const challenge = first(auth.challenge(REALM, { source }));
          await auth.verify(input(answer(challenge, { username, password: `guess${i}` }), { source }));
        }
        const challenge = first(auth.challenge(REALM, { source }));
        results.push(await auth.verify(input(answer(challenge, { username, password: 'guess' }), { source })));
      }
      assert.deepEqual(results[0], results[1]);
      assert.equal((results[0] as { reason: string }).reason, 'blocked');
    });
  });

  describe('verify: nonces', () => {
    it('a nonce past its 300 s lifetime with the right password is stale', async () => {
      const { clock, auth } = setup();
      const challenge = first(auth.challenge(REALM, { source: PHONE }));
      clock.advance(300_001);
      assert.deepEqual(await auth.verify(input(answer(challenge))), { ok: false, reason: 'stale' });
      const fresh = first(auth.challenge(REALM, { source: PHONE, stale: true }));
      assert.equal((await auth.verify(input(answer(fresh)))).ok, true);
    });

    it('RFC 7616 §3.3: an old nonce with a wrong password is not stale but invalid', async () => {
      const { clock, auth } = setup();
      const challenge = first(auth.challenge(REALM, { source: PHONE }));
      clock.advance(300_001);
      assert.deepEqual(await auth.verify(input(answer(challenge, { password: 'guess' }))), { ok: false, reason: 'invalid' });
    });

    it('a tampered nonce is invalid, not stale, even with the right password, and is not counted', async () => {
      const tracker = new FailureTracker({ clock: new FakeClock() });
      const { auth } = setup({ failureTracker: tracker });
      const challenge = first(auth.challenge(REALM, { source: PHONE }));
      const nonce = parseChallenge(challenge)?.nonce ?? '';
      const tampered = `${nonce.slice(0, 10)}${nonce[10] === 'A' ? 'B' : 'A'}${nonce.slice(11)}`;
      const forged = challenge.replace(nonce, tampered);
      for (let i = 0; i < 30; i++) {
        assert.deepEqual(await auth.verify(input(answer(forged, { nc: i + 1 }))), { ok: false, reason: 'invalid' });
      }
      assert.equal(tracker.blocked(PHONE, REALM, '100'), undefined);
    });

    it('a nonce made up by the client (or from before a secret change) is invalid', async () => {
      const { auth } = setup();
      const madeUp = `Digest realm="${REALM}", nonce="7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v", algorithm=MD5, qop="auth"`;
      assert.deepEqual(await auth.verify(input(answer(madeUp))), { ok: false, reason: 'invalid' });
    });

    it('a nonce of another tenant is invalid here', async () => {
      const { auth } = setup();
      const other = first(auth.challenge('other.pbx.example.com', { source: PHONE })).replace('other.pbx.example.com', REALM);
      assert.deepEqual(await auth.verify(input(answer(other))), { ok: false, reason: 'invalid' });
    });

    it('a nonce used from another address with the right password is stale (the phone moved)', async () => {
      const { auth } = setup();
      const challenge = first(auth.challenge(REALM, { source: PHONE }));
      assert.deepEqual(await auth.verify(input(answer(challenge), { source: '198.51.100.99' })), { ok: false, reason: 'stale' });
    });

    it('failures with a nonce issued to another address are not counted (spoofed UDP sources)', async () => {
      const { auth } = setup();
      for (let i = 0; i < 25; i++) {
        const attackerNonce = first(auth.challenge(REALM, { source: '198.51.100.66' }));
        const spoofed = answer(attackerNonce, { password: `guess${i}` });
        assert.deepEqual(await auth.verify(input(spoofed, { source: PHONE })), { ok: false, reason: 'invalid' });
      }
      assert.equal(auth.failures.blocked(PHONE, REALM, '100'), undefined);
      assert.equal(auth.failures.blocked('192.0.2.200', REALM, '100'), undefined);
      assert.equal((await auth.verify(input(answer(first(auth.challenge(REALM, { source: PHONE })))))).ok, true);
    });
  });

  describe('verify: nonce-count', () => {
    it('accepts increasing nc with one nonce', async () => {
      const { auth } = setup();
      const challenge = first(auth.challenge(REALM, { source: PHONE }));
      for (const nc of [1, 2, 3, 7, 8]) {
        assert.equal((await auth.verify(input(answer(challenge, { nc })))).ok, true, `nc ${nc}`);
      }
    });

    it('a replayed Authorization (same nc) is answered stale, a lower nc too', async () => {
      const { auth } = setup();
      const challenge = first(auth.challenge(REALM, { source: PHONE }));
      const firstRequest = answer(challenge, { nc: 1 });
      assert.equal((await auth.verify(input(firstRequest))).ok, true);
      assert.deepEqual(await auth.verify(input(firstRequest)), { ok: false, reason: 'stale' });
      assert.equal((await auth.verify(input(answer(challenge, { nc: 5 })))).ok, true);
      assert.deepEqual(await auth.verify(input(answer(challenge, { nc: 4 }))), { ok: false, reason: 'stale' });
    });

    it('garbage with a high nc does not burn the counts of the real client', async () => {
      const { auth } = setup();
      const challenge = first(auth.challenge(REALM, { source: PHONE }));
      await auth.verify(input(answer(challenge, { nc: 0xffff, password: 'guess' })));
      assert.equal((await auth.verify(input(answer(challenge, { nc: 1 })))).ok, true);
    });
  });

  describe('verify: refused forms', () => {
    const cases: Array<[string, (v: string) => string, string]> = [
      ['qop absent (RFC 2069 form)', (v) => withParam(withParam(withParam(v, 'qop', undefined), 'nc', undefined), 'cnonce', undefined), 'unsupported'],
      ['qop=auth-int', (v) => withParam(v, 'qop', 'qop=auth-int'), 'unsupported'],
      ['algorithm=MD5-sess', (v) => withParam(v, 'algorithm', 'algorithm=MD5-sess'), 'unsupported'],
      ['algorithm=SHA-512-256', (v) => withParam(v, 'algorithm', 'algorithm=SHA-512-256'), 'unsupported'],
      ['userhash=true', (v) => `${v}, userhash=true`, 'unsupported'],
      ['nc missing', (v) => withParam(v, 'nc', undefined), 'malformed'],
      ['nc not 8 hex digits', (v) => withParam(v, 'nc', 'nc=1'), 'malformed'],
      ['nc zero', (v) => withParam(v, 'nc', 'nc=00000000'), 'malformed'],
      ['cnonce missing', (v) => withParam(v, 'cnonce', undefined), 'malformed'],
      ['cnonce empty', (v) => withParam(v, 'cnonce', 'cnonce=""'), 'malformed'],
      ['response of the wrong length', (v) => withParam(v, 'response', 'response="abcd"'), 'malformed'],
      ['response not hex', (v) => withParam(v, 'response', `response="${'z'.repeat(32)}"`), 'malformed'],
      ['empty username', (v) => withParam(v, 'username', 'username=""'), 'malformed'],
      ['uri missing', (v) => withParam(v, 'uri', undefined), 'malformed'],
      ['the Basic scheme', () => 'Basic MTAwOnNlY3JldA==', 'malformed'],
      ['an unparseable value', () => 'Digest username="100', 'malformed'],
      ['another realm only', (v) => withParam(v, 'realm', 'realm="evil.example.com"'), 'realm'],
    ];
    for (const [what, mutate, reason] of cases) {
      it(`refuses ${what} as ${reason}`, async () => {
        const { auth } = setup();
        const good = answer(first(auth.challenge(REALM, { source: PHONE })));
        assert.deepEqual(await auth.verify(input(mutate(good))), { ok: false, reason });
      });
    }

    it('refuses SHA-256 credentials where only MD5 is accepted (no downgrade/upgrade surprise)', async () => {
      const { auth } = setup();
      const challenge = first(auth.challenge(REALM, { source: PHONE, algorithms: ['SHA-256'] }));
      assert.deepEqual(await auth.verify(input(answer(challenge), { algorithms: ['MD5'] })), { ok: false, reason: 'unsupported' });
    });

    it('refuses a digest-uri that does not match the Request-URI when asked to check', async () => {
      const { auth } = setup();
      const value = answer(first(auth.challenge(REALM, { source: PHONE })), { uri: 'sip:900@premium.example.com' });
      const check = (u: string): boolean => u === URI;
      assert.deepEqual(await auth.verify(input(value, { uriMatches: check })), { ok: false, reason: 'uri-mismatch' });
    });

    it('accepts an upper-case hex response and nc (case-insensitive hex)', async () => {
      const { auth } = setup();
      const challenge = parseChallenge(first(auth.challenge(REALM, { source: PHONE })));
      assert.ok(challenge);
      const h1 = ha1('MD5', '100', REALM, ACCOUNTS['100'] ?? '');
      const response = digestResponse({ algorithm: 'MD5', ha1: h1, nonce: challenge.nonce, method: 'REGISTER', uri: URI, qop: 'auth', nc: '0000000A', cnonce: 'x' });
      const value = `Digest username="100", realm="${REALM}", nonce="${challenge.nonce}", uri="${URI}", response="${response.toUpperCase()}", qop=auth, nc=0000000A, cnonce="x"`;
      assert.ok(parseCredentials(value));
      assert.equal((await auth.verify(input(value))).ok, true);
    });
  });

  describe('verify: blocking', () => {
    async function failFrom(auth: DigestAuthenticator, source: string, username: string, times: number): Promise<void> {
      for (let i = 0; i < times; i++) {
        const challenge = first(auth.challenge(REALM, { source }));
        await auth.verify(input(answer(challenge, { username, password: `guess${i}` }), { source }));
      }
    }

    it('blocks an extension from a source after 10 failures in 60 s, even with the right password, and lets it in after 5 min', async () => {
      const { clock, auth } = setup();
      await failFrom(auth, '192.0.2.1', '100', 10);
      const blocked = await auth.verify(input(answer(first(auth.challenge(REALM, { source: '192.0.2.1' }))), { source: '192.0.2.1' }));
      assert.deepEqual(blocked, { ok: false, reason: 'blocked', blockedUntil: clock.now() + 300_000 });
      clock.advance(300_000);
      const after = await auth.verify(input(answer(first(auth.challenge(REALM, { source: '192.0.2.1' }))), { source: '192.0.2.1' }));
      assert.equal(after.ok, true);
    });

    it('blocks an extension for new sources after 20 failures from many sources, but not the phone that registered', async () => {
      const { clock, auth } = setup();
      assert.equal((await auth.verify(input(answer(first(auth.challenge(REALM, { source: PHONE })))))).ok, true);
      for (let i = 0; i < 20; i++) await failFrom(auth, `198.51.100.${i + 1}`, '100', 1);
      const newcomer = await auth.verify(input(answer(first(auth.challenge(REALM, { source: '192.0.2.77' }))), { source: '192.0.2.77' }));
      assert.equal(newcomer.ok === false && newcomer.reason, 'blocked');
      const phone = await auth.verify(input(answer(first(auth.challenge(REALM, { source: PHONE })))));
      assert.equal(phone.ok, true);
      clock.advance(300_000);
      const later = await auth.verify(input(answer(first(auth.challenge(REALM, { source: '192.0.2.77' }))), { source: '192.0.2.77' }));
      assert.equal(later.ok, true);
    });

    it('over a flow carrying a live registration of the username, a block does not apply; the password is still checked', async () => {
      const { auth } = setup();
      // A second device of 100 behind the phone's address guesses: 100 is blocked from that address.
      await failFrom(auth, PHONE, '100', 10);
      const flowOf100 = (username: string): boolean => username === '100';
      const fresh = (): string => first(auth.challenge(REALM, { source: PHONE }));
      assert.equal((await auth.verify(input(answer(fresh())))).ok === false, true, 'a new flow is blocked');
      assert.equal((await auth.verify(input(answer(fresh()), { registeredFlow: flowOf100 }))).ok, true, 'the registered flow is not');
      assert.deepEqual(await auth.verify(input(answer(fresh(), { password: 'guess' }), { registeredFlow: flowOf100 })), {
        ok: false,
        reason: 'invalid',
      });
      // The flow is 100's: guessing another extension from it is blocked like from anywhere else at that address.
      await failFrom(auth, PHONE, '101', 10);
      const other = await auth.verify(input(answer(fresh(), { username: '101' }), { registeredFlow: flowOf100 }));
      assert.equal(other.ok === false && other.reason, 'blocked');
    });

    it('a blocked request is refused before the lookup', async () => {
      const { auth } = setup();
      await failFrom(auth, '192.0.2.1', '100', 10);
      let lookups = 0;
      const counting: DigestSecretLookup = async (u, r, a) => {
        lookups++;
        return lookup(u, r, a);
      };
      const challenge = first(auth.challenge(REALM, { source: '192.0.2.1' }));
      await auth.verify(input(answer(challenge), { source: '192.0.2.1', lookup: counting }));
      assert.equal(lookups, 0);
    });
  });

  it('rejects when the lookup rejects (the caller answers 500)', async () => {
    const { auth } = setup();
    const challenge = first(auth.challenge(REALM, { source: PHONE }));
    const broken: DigestSecretLookup = async () => {
      throw new Error('database down');
    };
    await assert.rejects(auth.verify(input(answer(challenge), { lookup: broken })), /database down/);
  });

  it('keeps no part of the requests in its tables: failures and successes from large messages cost only their records', async () => {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    const { auth } = setup({ failureTracker: new FailureTracker({ clock: new FakeClock(), perSource: { maxFailures: 1_000_000, windowMs: 60_000, blockMs: 1 } }) });
    const padding = 'x'.repeat(64 * 1024);
    gc();
    const before = process.memoryUsage().heapUsed;
    for (let i = 0; i < 300; i++) {
      // As the parser hands them over: the Authorization value and the realm are substrings of a 64 KiB header section.
      const credentials = answer(first(auth.challenge(REALM, { source: PHONE })), { username: `u${i}`, password: 'wrong' });
      const message = `REGISTER sip:${REALM} SIP/2.0\r\nX-Padding: ${padding}${i}\r\nTo: <sip:u${i}@${REALM}>\r\nAuthorization: ${credentials}\r\n`;
      const value = message.slice(message.indexOf('Authorization: ') + 15, message.length - 2);
      const realm = message.slice(message.indexOf('@') + 1, message.indexOf('>'));
      assert.deepEqual(await auth.verify(input(value, { realm })), { ok: false, reason: 'invalid' });
    }
    gc();
    const grown = process.memoryUsage().heapUsed - before;
    // Pinned messages would take 300 × 64 KiB ≈ 20 MB.
    assert.ok(grown < 4 * 1024 * 1024, `the heap grew by ${grown} bytes`);
  });
});
