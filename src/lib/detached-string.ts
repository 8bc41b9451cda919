/**
 * A copy of `text` that shares no memory with the string it was cut from. V8 represents a
 * substring as a slice of its parent, so a short value taken from a request (a username, a realm,
 * a nonce) kept in a long-lived table keeps the whole request text alive with it, up to 64 KiB per
 * entry. Values that outlive their message go through this before they are stored.
 */
export function detachedString(text: string): string {
  return Buffer.from(text, 'utf8').toString('utf8');
}
