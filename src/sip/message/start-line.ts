/**
 * Request-Line and Status-Line (RFC 3261 §7.1, §7.2, §25.1):
 *   Request-Line = Method SP Request-URI SP SIP-Version CRLF
 *   Status-Line  = SIP-Version SP Status-Code SP Reason-Phrase CRLF
 */
import { isDigit, isToken, isWsp, trimWsp } from './tokenizer.js';

/** A start line's problem: the status and reason phrase to answer with. */
export interface StartLineProblem {
  readonly status: number;
  readonly reason: string;
}

/** A Request-Line taken apart; `problem` is set when the version or the URI text is wrong. */
export interface RequestLine {
  readonly kind: 'request';
  readonly method: string;
  readonly uriText: string;
  readonly problem: StartLineProblem | undefined;
}

/** A Status-Line taken apart. */
export interface StatusLine {
  readonly kind: 'response';
  readonly status: number;
  readonly reason: string;
}

/** A start line that cannot be read at all: nothing can be answered. */
export interface UnreadableLine {
  readonly kind: 'unreadable';
  readonly problem: StartLineProblem;
}

/** What a start line turned out to be. */
export type StartLine = RequestLine | StatusLine | UnreadableLine;

function isSipVersionShape(text: string): boolean {
  // SIP-Version = "SIP" "/" 1*DIGIT "." 1*DIGIT (literal text is case-insensitive in ABNF)
  if (text.length < 7 || text.slice(0, 4).toUpperCase() !== 'SIP/') return false;
  const dot = text.indexOf('.', 4);
  if (dot <= 4 || dot === text.length - 1) return false;
  for (let i = 4; i < text.length; i++) if (i !== dot && !isDigit(text.charCodeAt(i))) return false;
  return true;
}

function isSip20(text: string): boolean {
  return text.length === 7 && text.toUpperCase() === 'SIP/2.0';
}

function unreadable(reason: string, status = 400): UnreadableLine {
  return { kind: 'unreadable', problem: { status, reason } };
}

function readStatusLine(line: string): StartLine {
  const sp = line.indexOf(' ');
  const version = sp < 0 ? line : line.slice(0, sp);
  if (!isSip20(version)) {
    return isSipVersionShape(version) ? unreadable('Version Not Supported', 505) : unreadable('Malformed Status-Line');
  }
  if (sp < 0) return unreadable('Malformed Status-Line');
  // Status-Code = 3DIGIT in 100–699 (RFC 3261 §7.2; RFC 4475 §3.1.2.19 bigcode).
  const code = line.slice(sp + 1, sp + 4);
  const after = line.charCodeAt(sp + 4);
  if (code.length !== 3 || ![...code].every((c) => isDigit(c.charCodeAt(0))) || !(Number.isNaN(after) || after === 32)) {
    return unreadable('Malformed Status-Code');
  }
  const status = Number(code);
  if (status < 100 || status > 699) return unreadable('Status-Code out of range');
  // Reason-Phrase may be empty (RFC 4475 §3.1.1.13 noreason) and UTF-8 (§3.1.1.12 unreason).
  return { kind: 'response', status, reason: line.slice(sp + 5) };
}

function readRequestLine(line: string): StartLine {
  const sp = line.indexOf(' ');
  if (sp <= 0) return unreadable('Malformed Request-Line');
  const method = line.slice(0, sp);
  // Method is a token, case-sensitive; RE%47IST%45R is a method of its own (RFC 4475 §3.1.1.5).
  if (!isToken(method)) return unreadable('Malformed Request-Line');
  // Liberal (RFC 4475 §3.1.2.9 lwsstart, §3.1.2.10 trws): extra SP between the parts and
  // trailing SP are accepted.
  const rest = trimWsp(line.slice(sp + 1));
  let lastGap = rest.length - 1;
  while (lastGap >= 0 && !isWsp(rest.charCodeAt(lastGap))) lastGap--;
  if (lastGap < 0) return unreadable('Malformed Request-Line');
  const version = rest.slice(lastGap + 1);
  const uriText = trimWsp(rest.slice(0, lastGap));
  if (!isSipVersionShape(version)) return unreadable('Malformed Request-Line');
  let problem: StartLineProblem | undefined;
  if (!isSip20(version)) {
    // RFC 3261 §8.2.2 / §21.5.6: a request of an unsupported SIP version gets 505.
    problem = { status: 505, reason: 'Version Not Supported' };
  } else {
    for (let i = 0; i < uriText.length; i++) {
      // RFC 4475 §3.1.2.8 lwsruri: LWS inside the Request-URI makes the request malformed.
      if (isWsp(uriText.charCodeAt(i))) {
        problem = { status: 400, reason: 'Invalid Request-URI (contains whitespace)' };
        break;
      }
    }
  }
  return { kind: 'request', method, uriText, problem };
}

/** Reads a start line; a line starting with `SIP/` is a Status-Line, anything else a Request-Line. */
export function readStartLine(line: string): StartLine {
  if (line.length >= 4 && line.slice(0, 4).toUpperCase() === 'SIP/') return readStatusLine(line);
  return readRequestLine(line);
}
