import type { DigestAuthenticator } from '../../sip/index.js';
import type { AuthExtension } from '../ports.js';
import type { AuthDecision, RegistrarAuthenticator } from './registrar-authenticator.js';

/**
 * The registrar's authenticator over src/sip/auth's DigestAuthenticator (nonces bound to the
 * source, nonce-count replay, FailureTracker). Every failure except a block and a stale nonce is the
 * same plain challenge, so unknown users and wrong passwords look identical (SPEC 4).
 */
export function createSipRegistrarAuthenticator(digest: DigestAuthenticator): RegistrarAuthenticator {
  return {
    async check(input): Promise<AuthDecision> {
      let found: AuthExtension | undefined;
      const result = await digest.verify({
        method: input.method,
        headerValue: input.authorizations,
        realm: input.realm,
        source: input.sourceAddress,
        ...(input.registeredFlow ? { registeredFlow: input.registeredFlow } : {}),
        lookup: async (username) => {
          found = await input.lookup(username);
          return found ? { ha1Md5: found.ha1Md5, ha1Sha256: found.ha1Sha256 } : undefined;
        },
      });
      if (result.ok) {
        // verify() only succeeds after a lookup that found the extension.
        if (!found || found.number !== result.username) return { kind: 'challenge', stale: false };
        return { kind: 'authenticated', extension: found, username: result.username };
      }
      if (result.reason === 'blocked') return { kind: 'blocked' };
      return { kind: 'challenge', stale: result.reason === 'stale' };
    },
    challenge(realm, sourceAddress, stale, algorithms) {
      return digest.challenge(realm, { source: sourceAddress, stale, algorithms });
    },
  };
}
