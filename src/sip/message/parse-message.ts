/**
 * Bytes → SipRequest | SipResponse (RFC 3261 §7), strict where RFC 3261 is and liberal where
 * RFC 4475 allows it. Never throws: a malformed message yields a {@link SipParseError} carrying
 * the response to send, and the request to build it from when one can be routed back.
 */
import { HeaderList } from './header-list.js';
import { SipParseError, type ParseResult } from './parse-error.js';
import { SipRequest } from './sip-request.js';
import { SipResponse } from './sip-response.js';
import { SipUri } from './uri.js';
import { checkHeaders } from './header-checks.js';
import { readHeaderSection, skipLeadingNewlines } from './header-section.js';
import { readStartLine } from './start-line.js';

/** The largest message accepted, in octets (64 KiB); larger ones are refused with 513. */
export const MAX_MESSAGE_SIZE = 65536;

/** Stands in for a Request-URI that did not parse, in `SipParseError.request` only. */
export const UNPARSABLE_REQUEST_URI = SipUri.create({ host: 'invalid' });

const EMPTY = new Uint8Array(0);

function failure(status: number, reason: string, header?: string, request?: SipRequest): ParseResult {
  const options: { header?: string; request?: SipRequest } = {};
  if (header !== undefined) options.header = header;
  if (request !== undefined) options.request = request;
  return { ok: false, error: new SipParseError(status, reason, options) };
}

/**
 * Parses one message: a UDP datagram, a WebSocket message or a message cut from a stream by
 * StreamFramer. Without Content-Length the body is the rest of the input (RFC 3261 §18.3, as
 * Linphone sends ACK and BYE); with it, octets after the body are ignored (RFC 4475 §3.1.1.8
 * dblreq). CRLFs before the start line are skipped (§7.5). The body shares memory with `input`.
 */
export function parseMessage(input: Uint8Array): ParseResult {
  const bytes = Buffer.isBuffer(input) ? input : Buffer.from(input.buffer, input.byteOffset, input.byteLength);
  const start = skipLeadingNewlines(bytes);
  if (start >= bytes.length) return failure(400, 'Empty message');
  const section = readHeaderSection(bytes, start);
  const line = readStartLine(section.startLine);
  if (line.kind === 'unreadable') return failure(line.problem.status, line.problem.reason);

  const checked = checkHeaders(section.fields, section.keys, line.kind === 'request' ? line.method : undefined);
  const headers = HeaderList.fromParsed(section.fields, section.keys);
  const available = bytes.length - section.bodyStart;
  let body: Uint8Array = EMPTY;
  let bodyProblem: string | undefined;
  if (checked.contentLength === undefined) {
    body = bytes.subarray(section.bodyStart);
  } else if (checked.contentLength > available) {
    // RFC 4475 §3.1.2.2 clerr: a Content-Length larger than the datagram's body is a 400.
    bodyProblem = 'Content-Length larger than message body';
  } else {
    body = bytes.subarray(section.bodyStart, section.bodyStart + checked.contentLength);
  }

  if (line.kind === 'response') {
    // A malformed response cannot be answered: the caller drops it (RFC 4475 §3.1.2.5, §3.1.2.19).
    if (bytes.length > MAX_MESSAGE_SIZE) return failure(513, 'Message Too Large');
    if (section.problem !== undefined) return failure(400, section.problem);
    if (checked.problem !== undefined) return failure(400, checked.problem.reason, checked.problem.header);
    if (bodyProblem !== undefined) return failure(400, bodyProblem, 'Content-Length');
    return { ok: true, message: new SipResponse(line.status, line.reason, headers, body, checked.parsed) };
  }

  const uri = line.problem === undefined ? SipUri.parse(line.uriText) : undefined;
  const answerable = (): SipRequest | undefined =>
    checked.topViaValid ? new SipRequest(line.method, uri ?? UNPARSABLE_REQUEST_URI, headers, body) : undefined;
  // RFC 3261 §18.1.1 / §21.5.14: a message too large to process gets 513.
  if (bytes.length > MAX_MESSAGE_SIZE) return failure(513, 'Message Too Large', undefined, answerable());
  if (line.problem !== undefined) return failure(line.problem.status, line.problem.reason, undefined, answerable());
  if (section.problem !== undefined) return failure(400, section.problem, undefined, answerable());
  // RFC 4475 §3.1.2.7 ltgtruri: a Request-URI in <> is malformed.
  if (uri === undefined) return failure(400, 'Invalid Request-URI', undefined, answerable());
  // RFC 3261 §19.1.1 (table 1): headers are not allowed in a Request-URI (RFC 4475 §3.1.2.11 escruri).
  if (uri.headers.size > 0) return failure(400, 'Invalid Request-URI (headers not allowed)', undefined, answerable());
  if (checked.problem !== undefined) {
    return failure(400, checked.problem.reason, checked.problem.header, answerable());
  }
  if (bodyProblem !== undefined) return failure(400, bodyProblem, 'Content-Length', answerable());
  return { ok: true, message: new SipRequest(line.method, uri, headers, body, checked.parsed) };
}
