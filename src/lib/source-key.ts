/**
 * The key a request's source address is counted and bound under. IPv4 counts per address
 * (IPv4-mapped IPv6 is folded into IPv4, so a dual-stack socket does not double the budget).
 * IPv6 counts per /64: one host usually owns a whole /64 (SLAAC, privacy addresses), so counting
 * per address would hand an attacker 2^64 fresh budgets.
 */
import { isIPv4, isIPv6 } from 'node:net';

const MAX_OTHER_LENGTH = 64;

/** The /64 prefix of a valid IPv6 address, as `a:b:c:d::/64` with hex groups in short form. */
function ipv6Prefix64(address: string): string {
  const [left = '', right] = address.split('::', 2);
  const groupsOf = (part: string): string[] => {
    if (part === '') return [];
    const groups = part.split(':');
    // A trailing dotted IPv4 takes the room of two groups (e.g. 64:ff9b::192.0.2.1).
    const last = groups[groups.length - 1] ?? '';
    if (last.includes('.')) groups.splice(groups.length - 1, 1, '0', '0');
    return groups;
  };
  const head = groupsOf(left);
  const tail = right === undefined ? [] : groupsOf(right);
  const groups = right === undefined ? head : [...head, ...Array<string>(8 - head.length - tail.length).fill('0'), ...tail];
  return `${groups
    .slice(0, 4)
    .map((g) => parseInt(g, 16).toString(16))
    .join(':')}::/64`;
}

/**
 * Normalises a source address (no port) for counting and nonce binding: IPv4 as is, IPv4-mapped
 * IPv6 as IPv4, IPv6 as its /64, anything else lower-cased and cut to 64 characters.
 */
export function sourceKey(address: string): string {
  let a = address.trim().toLowerCase();
  if (a.startsWith('[') && a.endsWith(']')) a = a.slice(1, -1);
  const zone = a.indexOf('%');
  if (zone >= 0) a = a.slice(0, zone);
  if (a.startsWith('::ffff:') && isIPv4(a.slice(7))) return a.slice(7);
  if (isIPv4(a)) return a;
  if (isIPv6(a)) return ipv6Prefix64(a);
  return a.slice(0, MAX_OTHER_LENGTH);
}
