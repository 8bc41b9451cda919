/**
 * Header field names: compact forms (RFC 3261 §7.3.3 and the extensions that define one),
 * canonical spellings, and which headers are comma-separated lists (RFC 3261 §7.3.1).
 */
import { trimWsp } from './tokenizer.js';

/** Compact form → lower-cased full name. */
const COMPACT: Readonly<Record<string, string>> = {
  a: 'accept-contact', // RFC 3841
  b: 'referred-by', // RFC 3892
  c: 'content-type',
  d: 'request-disposition', // RFC 3841
  e: 'content-encoding',
  f: 'from',
  i: 'call-id',
  j: 'reject-contact', // RFC 3841
  k: 'supported',
  l: 'content-length',
  m: 'contact',
  n: 'identity-info', // RFC 4474
  o: 'event', // RFC 6665
  r: 'refer-to', // RFC 3515
  s: 'subject',
  t: 'to',
  u: 'allow-events', // RFC 6665
  v: 'via',
  x: 'session-expires', // RFC 4028
  y: 'identity', // RFC 8224
};

/** Canonical spellings of known headers, by lower-cased name. */
const CANONICAL = new Map<string, string>(
  [
    'Accept', 'Accept-Contact', 'Accept-Encoding', 'Accept-Language', 'Alert-Info', 'Allow', 'Allow-Events',
    'Authentication-Info', 'Authorization', 'Call-ID', 'Call-Info', 'Contact', 'Content-Disposition',
    'Content-Encoding', 'Content-Language', 'Content-Length', 'Content-Type', 'CSeq', 'Date', 'Error-Info',
    'Event', 'Expires', 'Flow-Timer', 'From', 'History-Info', 'Identity', 'Identity-Info', 'In-Reply-To',
    'Max-Forwards', 'Min-Expires', 'Min-SE', 'MIME-Version', 'Organization', 'P-Asserted-Identity',
    'P-Preferred-Identity', 'Path', 'Priority', 'Privacy', 'Proxy-Authenticate', 'Proxy-Authorization',
    'Proxy-Require', 'RAck', 'Reason', 'Record-Route', 'Refer-To', 'Referred-By', 'Reject-Contact', 'Reply-To',
    'Request-Disposition', 'Require', 'Retry-After', 'Route', 'RSeq', 'Server', 'Service-Route',
    'Session-Expires', 'SIP-ETag', 'SIP-If-Match', 'Subject', 'Subscription-State', 'Supported', 'Timestamp',
    'To', 'Unsupported', 'User-Agent', 'Via', 'Warning', 'WWW-Authenticate',
  ].map((name) => [name.toLowerCase(), name]),
);

/**
 * Headers whose values are comma-separated lists, so that several lines and one line with
 * commas mean the same (RFC 3261 §7.3.1). WWW-Authenticate, Authorization, Proxy-Authenticate,
 * Proxy-Authorization, Date and the like contain commas that do not separate values.
 */
const LIST_HEADERS: ReadonlySet<string> = new Set([
  'accept', 'accept-contact', 'accept-encoding', 'accept-language', 'alert-info', 'allow', 'allow-events',
  'call-info', 'contact', 'content-encoding', 'content-language', 'error-info', 'history-info', 'in-reply-to',
  'p-asserted-identity', 'p-preferred-identity', 'path', 'proxy-require', 'reason', 'record-route',
  'reject-contact', 'request-disposition', 'require', 'route', 'security-client', 'security-server',
  'security-verify', 'service-route', 'supported', 'unsupported', 'via', 'warning',
]);

/**
 * Headers a message may carry at most once (RFC 3261 §7.3.1, §20): a second line is a 400.
 * The order is the order in which a missing or invalid one is reported.
 */
export const SINGLE_VALUED_HEADERS: readonly string[] = [
  'from', 'to', 'call-id', 'cseq', 'max-forwards', 'content-length', 'content-type',
];

const keyCache = new Map<string, string>();

/** The lookup key of a header name: lower-cased, compact forms expanded (`i` → `call-id`). */
export function headerKey(name: string): string {
  const cached = keyCache.get(name);
  if (cached !== undefined) return cached;
  const lower = name.toLowerCase();
  const key = COMPACT[lower] ?? lower;
  if (keyCache.size < 4096) keyCache.set(name, key);
  return key;
}

/** The canonical spelling of a header name (`i` → `Call-ID`, `cseq` → `CSeq`); unknown names as given. */
export function canonicalHeaderName(name: string): string {
  return CANONICAL.get(headerKey(name)) ?? name;
}

/** True when the header (by key, see {@link headerKey}) holds a comma-separated list. */
export function isListHeader(key: string): boolean {
  return LIST_HEADERS.has(key);
}

/**
 * Splits a header value at commas that are not inside a quoted-string or `<…>`, trimming SP/HTAB.
 * Empty elements are kept (`a,,b` → `['a', '', 'b']`) so that callers can reject them.
 */
export function splitHeaderList(value: string): string[] {
  if (!value.includes(',')) return [trimWsp(value)];
  const out: string[] = [];
  let start = 0;
  let angle = false;
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c === 34 && !angle) {
      // Skip the quoted-string, honouring quoted-pairs; an unterminated one runs to the end.
      i++;
      while (i < value.length && value.charCodeAt(i) !== 34) i += value.charCodeAt(i) === 92 ? 2 : 1;
    } else if (c === 60) {
      angle = true;
    } else if (c === 62) {
      angle = false;
    } else if (c === 44 && !angle) {
      out.push(trimWsp(value.slice(start, i)));
      start = i + 1;
    }
  }
  out.push(trimWsp(value.slice(start)));
  return out;
}
