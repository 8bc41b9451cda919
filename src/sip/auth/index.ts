/**
 * SIP Digest authentication, server side (RFC 3261 §22, RFC 7616, RFC 8760). See README.md in
 * this folder for the thresholds and decisions.
 */
export { MAX_AUTH_VALUE_LENGTH } from './digest-params.js';
export {
  type DigestAlgorithm,
  DIGEST_ALGORITHMS,
  parseAlgorithm,
  digestHash,
  digestHexLength,
  digestResponse,
  ha1,
  type DigestResponseInput,
} from './digest-hash.js';
export { formatChallenge, parseChallenge, type DigestChallenge } from './digest-challenge.js';
export {
  parseCredentials,
  formatCredentials,
  type DigestCredentials,
  type CredentialsInput,
} from './digest-credentials.js';
export {
  NonceManager,
  type NonceManagerOptions,
  type NonceSecret,
  type NonceCheck,
  DEFAULT_NONCE_LIFETIME_MS,
  DEFAULT_MAX_TRACKED_NONCES,
  DEFAULT_MAX_TRACKED_NONCE_BYTES,
  NONCE_RECORD_OVERHEAD_BYTES,
} from './nonce-manager.js';
export {
  DigestAuthenticator,
  COMPATIBLE_ALGORITHMS,
  type DigestAuthenticatorOptions,
  type ChallengeOptions,
  type DigestVerifyInput,
  type DigestVerifyResult,
  type DigestFailureReason,
  type DigestSecrets,
  type DigestSecretLookup,
} from './digest-authenticator.js';
