/**
 * Writes a message as bytes (RFC 3261 §7): start line, one canonical `Name: value` line per header
 * line, an empty line and the body. Content-Length is always written, computed from the body:
 * a stale value can never go out (RFC 3261 §18.3, §20.14).
 */
import type { SipMessage } from './sip-message.js';
import { canonicalHeaderName, headerKey } from './compact-forms.js';

const CRLF = '\r\n';

/** The wire form of a request or response. */
export function serializeMessage(message: SipMessage): Buffer {
  const length = message.body.length;
  let head = message.startLine() + CRLF;
  let lengthWritten = false;
  for (const field of message.headers.fields()) {
    if (headerKey(field.name) === 'content-length') {
      // The first Content-Length line keeps its place; duplicates are dropped.
      if (!lengthWritten) head += `Content-Length: ${length}${CRLF}`;
      lengthWritten = true;
      continue;
    }
    head += `${canonicalHeaderName(field.name)}: ${field.value}${CRLF}`;
  }
  if (!lengthWritten) head += `Content-Length: ${length}${CRLF}`;
  head += CRLF;
  const headBytes = Buffer.from(head, 'utf8');
  return length === 0 ? headBytes : Buffer.concat([headBytes, message.body], headBytes.length + length);
}
