/** Building a response to a request as a UAS does (RFC 3261 §8.2.6). */
import type { HeaderField } from './types.js';
import type { SipRequest } from './sip-request.js';
import { SipResponse } from './sip-response.js';
import { toBody, type BodyInput } from './sip-message.js';
import { canonicalHeaderName, headerKey } from './compact-forms.js';
import { reasonPhrase } from './status-codes.js';
import { isToken } from './tokenizer.js';

/** Options of {@link createResponse}. */
export interface CreateResponseOptions {
  /** Tag to add to To when the request's To has none (RFC 3261 §8.2.6.2). */
  readonly toTag?: string;
  /** Extra header lines, after the copied ones (Contact, Allow, WWW-Authenticate, …). */
  readonly headers?: readonly (readonly [string, string])[];
  readonly body?: BodyInput;
  /** Content-Type of `body`. */
  readonly contentType?: string;
}

const COPIED = ['via', 'from', 'to', 'call-id', 'cseq'] as const;

/**
 * A response to `request`. RFC 3261 §8.2.6.2: From, Call-ID and CSeq MUST equal the request's,
 * the Via values MUST be copied in the same order, and To is copied with a tag added when it had
 * none and `toTag` is given. §8.2.6.1: a 100 (Trying) copies Timestamp. Content-Length is set.
 */
export function createResponse(
  request: SipRequest,
  status: number,
  reason: string = reasonPhrase(status),
  options: CreateResponseOptions = {},
): SipResponse {
  if (options.toTag !== undefined && !isToken(options.toTag)) {
    throw new TypeError(`createResponse: invalid To tag ${JSON.stringify(options.toTag)}`);
  }
  const lines: HeaderField[] = [];
  const fields = request.headers.fields();
  for (const key of COPIED) {
    for (const field of fields) {
      if (headerKey(field.name) !== key) continue;
      let value = field.value;
      if (key === 'to' && options.toTag !== undefined && request.to()?.tag === undefined) {
        value = `${value};tag=${options.toTag}`;
      }
      lines.push({ name: canonicalHeaderName(key), value });
    }
  }
  if (status === 100) {
    const timestamp = request.headers.get('timestamp');
    if (timestamp !== undefined) lines.push({ name: 'Timestamp', value: timestamp });
  }
  for (const [name, value] of options.headers ?? []) lines.push({ name, value });
  const body = toBody(options.body);
  if (options.contentType !== undefined) lines.push({ name: 'Content-Type', value: options.contentType });
  lines.push({ name: 'Content-Length', value: String(body.length) });
  return SipResponse.create({ status, reason, headers: lines, body });
}
