/**
 * Splits the bytes of a message into start line, header lines and body offset (RFC 3261 §7),
 * undoing header folding (§7.3.1: a line starting with SP or HTAB continues the previous one).
 */
import type { HeaderField } from './types.js';
import { headerKey } from './compact-forms.js';
import { isToken, isWsp, trimWsp } from './tokenizer.js';

const LF = 10;
const CR = 13;

/** The start line, the header lines (folding undone) and where the body starts. */
export interface HeaderSection {
  readonly startLine: string;
  readonly fields: HeaderField[];
  /** Lookup keys of `fields` (lower-cased, compact forms expanded). */
  readonly keys: string[];
  /** Offset of the first body octet in the input. */
  readonly bodyStart: number;
  /** False when the input ended without the empty line that closes the header section. */
  readonly terminated: boolean;
  /** The first problem with the header lines (the bad lines are left out), if any. */
  readonly problem: string | undefined;
}

/** Offset just after the LF of the empty line ending the header section, or -1 when there is none. */
function findBodyStart(bytes: Buffer, from: number): number {
  let pos = from;
  for (;;) {
    const lf = bytes.indexOf(LF, pos);
    if (lf < 0) return -1;
    // The empty line is CRLF (or a bare LF, tolerated).
    if (bytes[lf + 1] === LF) return lf + 2;
    if (bytes[lf + 1] === CR && bytes[lf + 2] === LF) return lf + 3;
    pos = lf + 1;
  }
}

/** Offset of the first octet that is not CR or LF: RFC 3261 §7.5 says to ignore CRLFs before the start line. */
export function skipLeadingNewlines(bytes: Uint8Array, from = 0): number {
  let pos = from;
  while (pos < bytes.length && (bytes[pos] === CR || bytes[pos] === LF)) pos++;
  return pos;
}

/** Reads the header section of `bytes` starting at `start` (the start line's first octet). */
export function readHeaderSection(bytes: Buffer, start: number): HeaderSection {
  const bodyStart = findBodyStart(bytes, start);
  const terminated = bodyStart >= 0;
  const end = terminated ? bodyStart : bytes.length;
  const text = bytes.toString('utf8', start, end);
  const fields: HeaderField[] = [];
  const keys: string[] = [];
  let problem: string | undefined;
  let startLine = '';
  let name: string | undefined;
  let value = '';
  const flush = (): void => {
    if (name === undefined) return;
    fields.push({ name, value });
    keys.push(headerKey(name));
    name = undefined;
  };
  // A CR must end a line (CRLF); checking the whole text once spares a scan of every line.
  const bareCr = /\r(?!\n)/.test(text);
  let pos = 0;
  let first = true;
  while (pos < text.length) {
    let lf = text.indexOf('\n', pos);
    if (lf < 0) {
      lf = text.length;
      if (problem === undefined) problem = 'Incomplete header section';
    }
    let line = text.slice(pos, lf > pos && text.charCodeAt(lf - 1) === CR ? lf - 1 : lf);
    pos = lf + 1;
    if (line.length === 0) break;
    if (bareCr && line.includes('\r')) {
      problem ??= 'Malformed header line (bare CR)';
      line = line.replaceAll('\r', ' ');
    }
    if (first) {
      startLine = line;
      first = false;
      continue;
    }
    if (isWsp(line.charCodeAt(0))) {
      // RFC 3261 §7.3.1: a continuation line is folded LWS, equivalent to a single SP.
      const more = trimWsp(line);
      if (name === undefined) problem ??= 'Malformed header line';
      else if (more !== '') value = value === '' ? more : `${value} ${more}`;
      continue;
    }
    flush();
    const colon = line.indexOf(':');
    // header-name HCOLON: HCOLON = *( SP / HTAB ) ":" SWS
    const fieldName = colon > 0 ? trimWsp(line.slice(0, colon)) : '';
    if (!isToken(fieldName)) {
      problem ??= 'Malformed header line';
      continue;
    }
    name = fieldName;
    value = trimWsp(line.slice(colon + 1));
  }
  flush();
  return { startLine, fields, keys, bodyStart: terminated ? bodyStart : bytes.length, terminated, problem };
}
