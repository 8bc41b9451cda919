/** The CSeq header (RFC 3261 §20.16): `1*DIGIT LWS Method`. */
import type { CSeqValue } from './types.js';
import { Cursor, isDigit } from './tokenizer.js';

/** RFC 3261 §8.1.1.5: the sequence number MUST be expressible as a 32-bit unsigned integer and MUST be less than 2**31. */
export const MAX_CSEQ = 2 ** 31 - 1;

/** Parses a CSeq value; undefined when malformed or the number is 2**31 or more (RFC 4475 §3.1.2.4 scalar02). */
export function parseCSeq(text: string): CSeqValue | undefined {
  const cur = new Cursor(text);
  cur.skipWsp();
  const start = cur.pos;
  let seq = 0;
  // Leading zeros are legal (wsinv: "0009"); the value is capped so that huge numbers cannot overflow.
  while (isDigit(cur.peek())) {
    seq = Math.min(seq * 10 + (cur.peek() - 48), MAX_CSEQ + 1);
    cur.pos++;
  }
  if (cur.pos === start || seq > MAX_CSEQ || cur.skipWsp() === 0) return undefined;
  const method = cur.readToken();
  if (method === '') return undefined;
  cur.skipWsp();
  if (!cur.done) return undefined;
  return { seq, method };
}

/** Writes a CSeq value: `seq METHOD`. */
export function formatCSeq(value: CSeqValue): string {
  return `${value.seq} ${value.method}`;
}
