/**
 * Validation of the headers every element depends on, done once while parsing (RFC 3261 §8.1.1,
 * §8.2.2, §16.3, §20): mandatory headers present, single-valued headers single, and Via, From, To,
 * Call-ID, CSeq, Max-Forwards, Contact, Route, Record-Route, Content-Type and Content-Length well
 * formed. The parsed values seed the message's accessor cache. Other headers are parsed lazily.
 */
import type { HeaderField } from './types.js';
import type { ParsedHeaders } from './sip-message.js';
import { NameAddr } from './name-addr.js';
import { Via } from './via.js';
import { parseCSeq } from './cseq.js';
import { parseContentLength, parseMaxForwards } from './numeric-headers.js';
import { parseMediaType } from './media-type.js';
import { SINGLE_VALUED_HEADERS, canonicalHeaderName, splitHeaderList } from './compact-forms.js';
import { trimWsp } from './tokenizer.js';

/** A 400 naming the header at fault. */
export interface HeaderProblem {
  readonly reason: string;
  readonly header: string;
}

/** The outcome of {@link checkHeaders}. */
export interface CheckedHeaders {
  /** Values parsed on the way (complete only when there is no problem). */
  readonly parsed: ParsedHeaders;
  /** True when the topmost Via value is well formed, i.e. a response can be routed back. */
  readonly topViaValid: boolean;
  /** The Content-Length value, when present and valid. */
  readonly contentLength: number | undefined;
  /** The first problem found, in the order of the checks. */
  readonly problem: HeaderProblem | undefined;
}

/** Headers a request and a response must carry (RFC 3261 §8.1.1; Max-Forwards is tolerated missing for RFC 2543 peers, RFC 4475 §3.4.1). */
const MANDATORY = ['via', 'from', 'to', 'call-id', 'cseq'] as const;

const SINGLE_VALUED: ReadonlySet<string> = new Set(SINGLE_VALUED_HEADERS);

function problemFor(key: string, what: 'Missing' | 'Duplicate' | 'Invalid'): HeaderProblem {
  const header = canonicalHeaderName(key);
  return { reason: `${what} ${header} header`, header };
}

/** callid = word [ "@" word ]; accepted more widely as any run of visible ASCII (it is only ever compared). */
function isCallId(text: string): boolean {
  if (text.length === 0) return false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c <= 0x20 || c >= 0x7f) return false;
  }
  return true;
}

/** Parses a comma list of name-addrs; undefined when an element is empty or malformed. */
function parseAddressList(values: readonly string[]): NameAddr[] | undefined {
  const out: NameAddr[] = [];
  for (const value of values) {
    for (const element of splitHeaderList(value)) {
      const parsed = element === '' ? undefined : NameAddr.parse(element);
      if (parsed === undefined) return undefined;
      out.push(parsed);
    }
  }
  return out;
}

/**
 * Checks the header lines of a request (`method` given: its CSeq method must match, RFC 3261
 * §8.1.1.5) or of a response (`method` undefined).
 */
export function checkHeaders(
  fields: readonly HeaderField[],
  keys: readonly string[],
  method: string | undefined,
): CheckedHeaders {
  const single = new Map<string, string>();
  let duplicate: string | undefined;
  const via: Via[] = [];
  let viaInvalid = false;
  let topViaValid = false;
  let sawVia = false;
  const contacts: string[] = [];
  const routes: string[] = [];
  const recordRoutes: string[] = [];
  for (let i = 0; i < fields.length; i++) {
    const key = keys[i] ?? '';
    const value = fields[i]?.value ?? '';
    switch (key) {
      case 'via':
        for (const element of splitHeaderList(value)) {
          const parsed = element === '' || viaInvalid ? undefined : Via.parse(element);
          if (parsed === undefined) viaInvalid = true;
          else via.push(parsed);
          if (!sawVia) topViaValid = parsed !== undefined;
          sawVia = true;
        }
        break;
      case 'contact':
        contacts.push(value);
        break;
      case 'route':
        routes.push(value);
        break;
      case 'record-route':
        recordRoutes.push(value);
        break;
      default:
        // RFC 3261 §7.3.1: only list headers may appear more than once (RFC 4475 §3.3.8 multi01, §3.3.9 mcl01).
        if (SINGLE_VALUED.has(key)) {
          if (single.has(key)) duplicate ??= key;
          else single.set(key, value);
        }
    }
  }
  const parsed: ParsedHeaders = { via };
  const result = (problem: HeaderProblem | undefined, contentLength?: number): CheckedHeaders => ({
    parsed,
    topViaValid,
    contentLength,
    problem,
  });
  if (duplicate !== undefined) return result(problemFor(duplicate, 'Duplicate'));
  for (const key of MANDATORY) {
    // RFC 4475 §3.3.1 insuf: missing Call-ID, From or To must not break the element; answer 400.
    if (key === 'via' ? !sawVia : !single.has(key)) return result(problemFor(key, 'Missing'));
  }
  if (viaInvalid) return result(problemFor('via', 'Invalid'));
  parsed.from = NameAddr.parse(single.get('from') ?? '');
  if (parsed.from === undefined) return result(problemFor('from', 'Invalid'));
  parsed.to = NameAddr.parse(single.get('to') ?? '');
  if (parsed.to === undefined) return result(problemFor('to', 'Invalid'));
  parsed.callId = trimWsp(single.get('call-id') ?? '');
  if (!isCallId(parsed.callId)) return result(problemFor('call-id', 'Invalid'));
  parsed.cseq = parseCSeq(single.get('cseq') ?? '');
  if (parsed.cseq === undefined) return result(problemFor('cseq', 'Invalid'));
  // RFC 3261 §8.1.1.5 / RFC 4475 §3.1.2.17 mismatch01: the CSeq method MUST match the request's.
  if (method !== undefined && parsed.cseq.method !== method) {
    return result({ reason: 'CSeq method mismatch', header: 'CSeq' });
  }
  const maxForwards = single.get('max-forwards');
  parsed.maxForwards = maxForwards === undefined ? undefined : parseMaxForwards(maxForwards);
  if (maxForwards !== undefined && parsed.maxForwards === undefined) return result(problemFor('max-forwards', 'Invalid'));
  if (contacts.length > 0) {
    const wildcard = contacts.length === 1 && trimWsp(contacts[0] ?? '') === '*';
    const list = wildcard ? '*' : parseAddressList(contacts);
    if (list === undefined) return result(problemFor('contact', 'Invalid'));
    parsed.contacts = list;
  }
  if (parseAddressList(routes) === undefined) return result(problemFor('route', 'Invalid'));
  if (parseAddressList(recordRoutes) === undefined) return result(problemFor('record-route', 'Invalid'));
  const contentType = single.get('content-type');
  parsed.contentType = contentType === undefined ? undefined : parseMediaType(contentType)?.mediaType;
  if (contentType !== undefined && parsed.contentType === undefined) return result(problemFor('content-type', 'Invalid'));
  const lengthText = single.get('content-length');
  const contentLength = lengthText === undefined ? undefined : parseContentLength(lengthText);
  if (lengthText !== undefined && contentLength === undefined) {
    // RFC 4475 §3.1.2.3 ncl: a negative Content-Length is malformed.
    return result(problemFor('content-length', 'Invalid'));
  }
  return result(undefined, contentLength);
}
