/*
 * ITU-T G.711 µ-law (PCMU) and A-law (PCMA), transcribed from the ITU-T G.191 Software Tool
 * Library reference (g711.c: ulaw_compress/ulaw_expand, alaw_compress/alaw_expand), which is
 * bit-exact with the tables of G.711 (Tables 1a/1b and 2a/2b). Linear samples are 16-bit two's
 * complement; µ-law uses their top 14 bits, A-law their top 13. Negative inputs use the one's
 * complement (as G.191 does), so −1 encodes to the "negative zero" code and decodes to 0.
 *
 * Encoding and decoding go through tables built once at load (2 × 64 KiB + 2 × 256 entries).
 */

/** Half the distance between µ-law and A-law thresholds, in 14-bit units (G.191 "33"). */
const ULAW_BIAS = 33;
/** Largest biased µ-law magnitude (14-bit). */
const ULAW_CLIP = 0x1fff;
/** G.711 A-law: even bits are inverted on the line. */
const ALAW_TOGGLE = 0x55;
const SIGN_BIT = 0x80;

function ulawCompress(sample: number): number {
  // G.191: "Change from 14 bit left justified to 14 bit right justified; compute 1's complement in case of negative samples."
  let absno = (sample < 0 ? ~sample >> 2 : sample >> 2) + ULAW_BIAS;
  if (absno > ULAW_CLIP) absno = ULAW_CLIP;
  let segno = 1;
  for (let i = absno >> 6; i !== 0; i >>= 1) segno++;
  const highNibble = 0x8 - segno;
  const lowNibble = 0xf - ((absno >> segno) & 0xf);
  const code = (highNibble << 4) | lowNibble;
  return sample >= 0 ? code | SIGN_BIT : code;
}

function ulawExpand(code: number): number {
  const sign = code < SIGN_BIT ? -1 : 1;
  const inverted = ~code & 0xff;
  const exponent = (inverted >> 4) & 0x7;
  const mantissa = inverted & 0xf;
  const step = 4 << (exponent + 1);
  // G.191: '1' preceding the mantissa + mantissa steps + 1/2 quantization step − bias (4 × 33).
  return sign * ((0x80 << exponent) + step * mantissa + step / 2 - 4 * ULAW_BIAS);
}

function alawCompress(sample: number): number {
  // 0 <= ix < 2048; one's complement for negative values.
  let ix = sample < 0 ? ~sample >> 4 : sample >> 4;
  if (ix > 15) {
    let exponent = 1;
    while (ix > 16 + 15) {
      ix >>= 1;
      exponent++;
    }
    ix -= 16; // remove the leading '1'
    ix += exponent << 4;
  }
  if (sample >= 0) ix |= SIGN_BIT;
  return ix ^ ALAW_TOGGLE;
}

function alawExpand(code: number): number {
  const ix = (code ^ ALAW_TOGGLE) & 0x7f;
  const exponent = ix >> 4;
  let mantissa = ix & 0xf;
  if (exponent > 0) mantissa += 16; // leading '1'
  mantissa = (mantissa << 4) + 0x8; // left-justified, plus 1/2 quantization step
  if (exponent > 1) mantissa <<= exponent - 1;
  return code > 127 ? mantissa : -mantissa;
}

function buildEncodeTable(compress: (sample: number) => number): Uint8Array {
  const table = new Uint8Array(0x10000);
  for (let i = 0; i < 0x10000; i++) table[i] = compress(i >= 0x8000 ? i - 0x10000 : i);
  return table;
}

function buildDecodeTable(expand: (code: number) => number): Int16Array {
  const table = new Int16Array(256);
  for (let i = 0; i < 256; i++) table[i] = expand(i);
  return table;
}

const ULAW_ENCODE = buildEncodeTable(ulawCompress);
const ULAW_DECODE = buildDecodeTable(ulawExpand);
const ALAW_ENCODE = buildEncodeTable(alawCompress);
const ALAW_DECODE = buildDecodeTable(alawExpand);

/** Encodes one 16-bit linear sample to a µ-law code. */
export function linearToMulaw(sample: number): number {
  return ULAW_ENCODE[sample & 0xffff] ?? 0;
}

/** Decodes one µ-law code to a 16-bit linear sample. */
export function mulawToLinear(code: number): number {
  return ULAW_DECODE[code & 0xff] ?? 0;
}

/** Encodes one 16-bit linear sample to an A-law code. */
export function linearToAlaw(sample: number): number {
  return ALAW_ENCODE[sample & 0xffff] ?? 0;
}

/** Decodes one A-law code to a 16-bit linear sample. */
export function alawToLinear(code: number): number {
  return ALAW_DECODE[code & 0xff] ?? 0;
}

/** The two G.711 laws by their RTP encoding names (RFC 3551 §4.5.14). */
export type G711Law = 'PCMU' | 'PCMA';

/** Encodes linear PCM to G.711 (one octet per sample). */
export function g711Encode(law: G711Law, samples: Int16Array): Buffer {
  const table = law === 'PCMU' ? ULAW_ENCODE : ALAW_ENCODE;
  const out = Buffer.allocUnsafe(samples.length);
  for (let i = 0; i < samples.length; i++) out[i] = table[(samples[i] ?? 0) & 0xffff] ?? 0;
  return out;
}

/** Decodes G.711 octets to linear PCM. */
export function g711Decode(law: G711Law, codes: Uint8Array): Int16Array {
  const table = law === 'PCMU' ? ULAW_DECODE : ALAW_DECODE;
  const out = new Int16Array(codes.length);
  for (let i = 0; i < codes.length; i++) out[i] = table[codes[i] ?? 0] ?? 0;
  return out;
}

/** The static RTP payload type of each law (RFC 3551 Table 4). */
export const G711_PAYLOAD_TYPE: Readonly<Record<G711Law, number>> = { PCMU: 0, PCMA: 8 };

/** G.711 silence: the code of linear 0 (0xFF for µ-law, 0xD5 for A-law). */
export const G711_SILENCE: Readonly<Record<G711Law, number>> = { PCMU: 0xff, PCMA: 0xd5 };
