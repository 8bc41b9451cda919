import { isIP } from 'node:net';

/** Outcome of parsing one raw setting: the value, or why the text is not acceptable. */
export type ParseResult<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly reason: string };

/** A parser turns the raw text of a flag or environment variable into a typed value. */
export type Parser<T> = (raw: string) => ParseResult<T>;

const ok = <T>(value: T): ParseResult<T> => ({ ok: true, value });
const fail = (reason: string): ParseResult<never> => ({ ok: false, reason });

/** An integer in [min, max], written in decimal without sign, spaces or fractions. */
export function integerIn(min: number, max: number): Parser<number> {
  return (raw) => {
    const text = raw.trim();
    if (!/^\d{1,10}$/.test(text)) return fail(`must be an integer ${min}-${max}`);
    const n = Number(text);
    return n >= min && n <= max ? ok(n) : fail(`must be an integer ${min}-${max}`);
  };
}

/** A TCP/UDP port, 1-65535. */
export const port: Parser<number> = integerIn(1, 65535);

/** A TCP/UDP port, or 0 to let the operating system pick one (used by tests and for "disabled"). */
export const portOrZero: Parser<number> = integerIn(0, 65535);

/** An inclusive port range written `from-to` (e.g. `10000-20000`), both ends 1-65535, from ≤ to. */
export const portRange: Parser<{ readonly from: number; readonly to: number }> = (raw) => {
  const m = /^\s*(\d{1,5})\s*-\s*(\d{1,5})\s*$/.exec(raw);
  const reason = 'must be a port range like 10000-20000 (1-65535, first ≤ last)';
  if (!m?.[1] || !m[2]) return fail(reason);
  const from = Number(m[1]);
  const to = Number(m[2]);
  return from >= 1 && to <= 65535 && from <= to ? ok({ from, to }) : fail(reason);
};

/** A non-empty string (a path, a name). */
export const nonEmpty: Parser<string> = (raw) => (raw.trim() === '' ? fail('must not be empty') : ok(raw));

/** An IPv4/IPv6 address or a DNS host name to bind or connect to. */
export const host: Parser<string> = (raw) => {
  const text = raw.trim();
  if (isIP(text) !== 0) return ok(text);
  const label = /^(?!-)[A-Za-z0-9-]{1,63}(?<!-)$/;
  const valid = text.length > 0 && text.length <= 253 && text.split('.').every((part) => label.test(part));
  return valid ? ok(text) : fail('must be an IP address or a host name');
};

/**
 * Bind addresses separated by commas, at most one per address family (`0.0.0.0,::` serves IPv4 and IPv6); a host
 * name counts as IPv4. One socket per family is what lets every UDP reply leave from the address its request came
 * to (several IPv4 interfaces: bind 0.0.0.0 and the kernel picks the source address by route).
 */
export const hostPerFamily: Parser<readonly string[]> = (raw) => {
  const hosts: string[] = [];
  const families = new Set<number>();
  for (const part of raw.split(',').map((p) => p.trim())) {
    const parsed = host(part);
    if (!parsed.ok) return fail(`${part === '' ? 'an empty entry' : part}: ${parsed.reason}`);
    const family = isIP(parsed.value) === 6 ? 6 : 4;
    if (families.has(family)) return fail(`at most one IPv${family} address (for several IPv${family} interfaces bind ${family === 6 ? '::' : '0.0.0.0'})`);
    families.add(family);
    hosts.push(parsed.value);
  }
  return ok(hosts);
};

/** One of a fixed list of words (case-insensitive; the canonical lower-case word is kept). */
export function oneOf<const W extends string>(words: readonly W[]): Parser<W> {
  return (raw) => {
    const text = raw.trim().toLowerCase();
    const found = words.find((w) => w === text);
    return found !== undefined ? ok(found) : fail(`must be one of ${words.join(', ')}`);
  };
}

/** A yes/no switch: true/false, yes/no, on/off, 1/0 (a flag given without a value means true). */
export const boolean: Parser<boolean> = (raw) => {
  const text = raw.trim().toLowerCase();
  if (['1', 'true', 'yes', 'on'].includes(text)) return ok(true);
  if (['0', 'false', 'no', 'off'].includes(text)) return ok(false);
  return fail('must be true or false');
};

/** A PostgreSQL connection URL (`postgres://user@host:5432/db` or `postgresql://…`). */
export const postgresUrl: Parser<string> = (raw) => {
  const text = raw.trim();
  const reason = 'must be a PostgreSQL URL like postgres://user:password@host:5432/database';
  if (!/^postgres(ql)?:\/\//i.test(text)) return fail(reason);
  try {
    const url = new URL(text);
    return url.hostname === '' ? fail(reason) : ok(text);
  } catch {
    return fail(reason);
  }
};

/**
 * A PostgreSQL `application_name`: 1–63 printable ASCII characters (the server keeps 63 bytes and shows other
 * characters as `?`).
 */
export const applicationName: Parser<string> = (raw) =>
  /^[\x20-\x7e]{1,63}$/.test(raw) && raw.trim() !== '' ? ok(raw) : fail('must be 1-63 printable ASCII characters');
