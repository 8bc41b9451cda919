/**
 * The registrar's documented limits (docs/registrar.md). Values are in seconds unless named `…Ms`.
 *
 * - Expiry: a contact's `expires` parameter wins over the Expires header, which wins over the default.
 *   Non-zero values below {@link RegistrarPolicy.minExpires} get 423 Interval Too Brief with
 *   `Min-Expires` (RFC 3261 §10.3 step 7); values above {@link RegistrarPolicy.maxExpires} are shortened
 *   to it (the registrar MAY shorten, §10.3), and the 200 says so in each contact's `expires`.
 * - At most {@link RegistrarPolicy.maxContacts} contacts per extension. A REGISTER that would leave more
 *   gets 503 Service Unavailable with `Retry-After` = seconds until the oldest binding expires (the slot
 *   frees itself; a stuck phone retries then rather than giving up as it would after a 403).
 */
export interface RegistrarPolicy {
  /** Shortest accepted non-zero expiry (Min-Expires). */
  readonly minExpires: number;
  /** Longest granted expiry; longer requests are shortened. */
  readonly maxExpires: number;
  /** Expiry when the REGISTER names none. */
  readonly defaultExpires: number;
  /** Bindings per address-of-record. */
  readonly maxContacts: number;
  /** How often expired bindings are swept from memory and store, in ms. */
  readonly sweepIntervalMs: number;
}

/** The defaults: min 60 s, max 3600 s, default 3600 s, 5 contacts, sweep every 30 s. */
export const DEFAULT_REGISTRAR_POLICY: RegistrarPolicy = Object.freeze({
  minExpires: 60,
  maxExpires: 3600,
  defaultExpires: 3600,
  maxContacts: 5,
  sweepIntervalMs: 30_000,
});
