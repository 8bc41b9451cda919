import { type ParseResult, parseError, parsed } from '../parse-result.js';
import { digitToEvent, eventToDigit } from './telephone-event.js';

/** A digit carried in a SIP INFO body. */
export interface InfoDigit {
  readonly digit: string;
  /** Duration in ms when the body says (application/dtmf-relay Duration=), else undefined. */
  readonly durationMs: number | undefined;
}

/** The body types of SIP INFO DTMF that phones send (no RFC; Cisco's and the de-facto "application/dtmf"). */
export const DTMF_INFO_CONTENT_TYPES = ['application/dtmf-relay', 'application/dtmf'] as const;

/**
 * Parses the DTMF in a SIP INFO request, the fallback for phones that do not send RFC 4733 events:
 *
 *   Content-Type: application/dtmf-relay        Content-Type: application/dtmf
 *   Signal=5                                    5
 *   Duration=160
 *
 * `Signal` (case-insensitive key) is a digit 0–9, *, #, A–D, or an RFC 4733 event code 10–15 as some
 * phones write * and # ("Signal=11"); `Duration` is in milliseconds. Parameters in the Content-Type
 * (`; charset=…`) are ignored.
 */
export function parseInfoDtmf(contentType: string, body: string | Uint8Array): ParseResult<InfoDigit> {
  const type = (contentType.split(';')[0] ?? '').trim().toLowerCase();
  const text = typeof body === 'string' ? body : Buffer.from(body).toString('utf8');
  if (type === 'application/dtmf') return signal(text.trim(), undefined);
  if (type !== 'application/dtmf-relay') {
    return parseError(`Content-Type ${type || '(none)'} carries no DTMF (expected ${DTMF_INFO_CONTENT_TYPES.join(' or ')})`);
  }
  const fields = new Map<string, string>();
  for (const line of text.split(/\r?\n/)) {
    const m = /^\s*([A-Za-z-]+)\s*=\s*(.*?)\s*$/.exec(line);
    if (m?.[1] !== undefined && m[2] !== undefined) fields.set(m[1].toLowerCase(), m[2]);
  }
  const value = fields.get('signal');
  if (value === undefined) return parseError('application/dtmf-relay body has no Signal= line');
  const duration = fields.get('duration');
  if (duration !== undefined && !/^\d{1,6}$/.test(duration)) return parseError(`Duration=${duration} is not a number of milliseconds`);
  return signal(value, duration === undefined ? undefined : Number(duration));
}

function signal(value: string, durationMs: number | undefined): ParseResult<InfoDigit> {
  if (/^1[0-5]$/.test(value)) {
    const digit = eventToDigit(Number(value));
    if (digit !== undefined) return parsed({ digit, durationMs });
  }
  if (digitToEvent(value) === undefined) return parseError(`DTMF signal "${value.slice(0, 20)}" is not a digit 0-9, *, #, A-D`);
  return parsed({ digit: value.toUpperCase(), durationMs });
}
