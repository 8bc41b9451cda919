/**
 * Small text builders for SIP header values (RFC 3261 §25.1), so the features can hand the engine
 * ready strings without depending on the SIP stack.
 */

const HEX = (byte: number): string => `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;

function escapeWith(text: string, allowed: RegExp): string {
  let out = '';
  for (const ch of text) {
    if (allowed.test(ch)) out += ch;
    else for (const byte of Buffer.from(ch, 'utf8')) out += HEX(byte);
  }
  return out;
}

/** RFC 3261 §25.1: user = 1*( unreserved / escaped / user-unreserved ); everything else is %-escaped. */
export function escapeUser(user: string): string {
  return escapeWith(user, /^[A-Za-z0-9\-_.!~*'()&=+$,;?/]$/);
}

/** RFC 3261 §25.1: paramchar = param-unreserved / unreserved / escaped. */
export function escapeParamValue(value: string): string {
  return escapeWith(value, /^[A-Za-z0-9\-_.!~*'()[\]/:&+$]$/);
}

/**
 * RFC 3261 §25.1 quoted-string: `"` and `\` become quoted-pairs; CR, LF and other control characters
 * cannot appear in a header and are dropped.
 */
export function quoteDisplayName(name: string): string {
  // eslint-disable-next-line no-control-regex
  const clean = name.replace(/[\u0000-\u001f\u007f]/g, '');
  return `"${clean.replace(/["\\]/g, (c) => `\\${c}`)}"`;
}

/** `sip:<user>@<domain>` with the user part escaped. */
export function sipUri(user: string, domain: string, params: readonly string[] = []): string {
  return `sip:${escapeUser(user)}@${domain}${params.map((p) => `;${p}`).join('')}`;
}

/** A name-addr: `"Display" <uri>`, or `<uri>` without a display name. */
export function nameAddr(uri: string, displayName?: string): string {
  return displayName === undefined || displayName === '' ? `<${uri}>` : `${quoteDisplayName(displayName)} <${uri}>`;
}
