import { type ParseResult, parseError, parsed } from '../parse-result.js';
import { g711Decode, g711Encode } from './g711.js';

/*
 * RIFF/WAVE (Microsoft Multimedia Programming Interface and Data Specifications 1.0, and the
 * WAVE_FORMAT_EXTENSIBLE addendum). All integers little-endian.
 *
 *   offset  size  field
 *   0       4     "RIFF"
 *   4       4     size of everything after this field
 *   8       4     "WAVE"
 *   12      …     chunks: id (4) | size (4) | data (size, plus one pad octet if size is odd)
 *
 * "fmt " chunk: formatTag (2) | channels (2) | sampleRate (4) | byteRate (4) | blockAlign (2) |
 *               bitsPerSample (2) [ | cbSize (2) | … extension ]
 * Non-PCM formats (G.711) carry cbSize = 0 and a "fact" chunk holding the sample count per channel.
 */

const RIFF_HEADER_SIZE = 12;
const CHUNK_HEADER_SIZE = 8;
const FMT_PCM_SIZE = 16;
const FMT_NON_PCM_SIZE = 18;
const FACT_SIZE = 4;
/** Offset of the sub-format GUID's format code inside an extensible fmt chunk. */
const FMT_EXTENSIBLE_SUBFORMAT = 24;

/** WAVE format tags. */
const FormatTag = { Pcm: 1, Alaw: 6, Mulaw: 7, Extensible: 0xfffe } as const;

/** Sample encodings Centrala reads and writes. */
export type WavEncoding = 'pcm16' | 'pcmu' | 'pcma';

/** A decoded WAV file. */
export interface WavAudio {
  readonly encoding: WavEncoding;
  readonly sampleRate: number;
  readonly channels: number;
  /** Linear 16-bit samples (decoded from G.711 when needed), channels interleaved. */
  readonly samples: Int16Array;
  /** The data chunk as stored (PCM16 little-endian or G.711 octets). */
  readonly data: Buffer;
  /** True when the data chunk declared more octets than the file holds (an unfinished recording). */
  readonly truncated: boolean;
}

/** What to write: linear samples (encoded to `encoding`), or already-encoded `data`. */
export type WavInput = { encoding: WavEncoding; sampleRate?: number; channels?: number } & (
  | { samples: Int16Array }
  | { data: Buffer }
);

/** Reads a WAV file: PCM 16-bit, µ-law or A-law (plain or WAVE_FORMAT_EXTENSIBLE), any rate and channel count. */
export function readWav(bytes: Uint8Array): ParseResult<WavAudio> {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (buf.length < RIFF_HEADER_SIZE) return parseError('not a WAV file: shorter than the RIFF header');
  if (buf.toString('latin1', 0, 4) !== 'RIFF' || buf.toString('latin1', 8, 12) !== 'WAVE') {
    return parseError('not a WAV file: missing RIFF/WAVE header');
  }
  let format: { encoding: WavEncoding; channels: number; sampleRate: number } | undefined;
  let offset = RIFF_HEADER_SIZE;
  while (offset + CHUNK_HEADER_SIZE <= buf.length) {
    const id = buf.toString('latin1', offset, offset + 4);
    const size = buf.readUInt32LE(offset + 4);
    const start = offset + CHUNK_HEADER_SIZE;
    if (id === 'fmt ') {
      if (size < FMT_PCM_SIZE || start + size > buf.length) return parseError(`fmt chunk of ${size} octets is too short`);
      const fmt = readFormat(buf.subarray(start, start + size));
      if (!fmt.ok) return fmt;
      format = fmt.value;
    } else if (id === 'data') {
      if (!format) return parseError('data chunk before fmt chunk');
      const end = Math.min(start + size, buf.length);
      const data = buf.subarray(start, end);
      const sampleSize = format.encoding === 'pcm16' ? 2 : 1;
      const usable = data.subarray(0, data.length - (data.length % (sampleSize * format.channels)));
      const samples = format.encoding === 'pcm16' ? readPcm16(usable) : g711Decode(format.encoding === 'pcmu' ? 'PCMU' : 'PCMA', usable);
      return parsed({ ...format, samples, data: usable, truncated: start + size > buf.length });
    }
    offset = start + size + (size % 2);
  }
  return parseError(format ? 'no data chunk' : 'no fmt chunk');
}

function readFormat(fmt: Buffer): ParseResult<{ encoding: WavEncoding; channels: number; sampleRate: number }> {
  let tag = fmt.readUInt16LE(0);
  const channels = fmt.readUInt16LE(2);
  const sampleRate = fmt.readUInt32LE(4);
  const bits = fmt.readUInt16LE(14);
  if (tag === FormatTag.Extensible) {
    if (fmt.length < FMT_EXTENSIBLE_SUBFORMAT + 2) return parseError('extensible fmt chunk too short');
    tag = fmt.readUInt16LE(FMT_EXTENSIBLE_SUBFORMAT);
  }
  if (channels === 0) return parseError('fmt chunk declares 0 channels');
  if (sampleRate === 0) return parseError('fmt chunk declares sample rate 0');
  if (tag === FormatTag.Pcm && bits === 16) return parsed({ encoding: 'pcm16', channels, sampleRate });
  if (tag === FormatTag.Mulaw && bits === 8) return parsed({ encoding: 'pcmu', channels, sampleRate });
  if (tag === FormatTag.Alaw && bits === 8) return parsed({ encoding: 'pcma', channels, sampleRate });
  return parseError(`unsupported WAV format: tag ${tag}, ${bits} bits (supported: PCM 16-bit, µ-law, A-law)`);
}

function readPcm16(data: Buffer): Int16Array {
  const out = new Int16Array(data.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = data.readInt16LE(i * 2);
  return out;
}

/** Writes a WAV file (PCM 16-bit, or G.711 with the fmt extension and fact chunk non-PCM formats need). */
export function writeWav(input: WavInput): Buffer {
  const sampleRate = input.sampleRate ?? 8000;
  const channels = input.channels ?? 1;
  let data: Buffer;
  if ('samples' in input) {
    if (input.encoding === 'pcm16') {
      data = Buffer.allocUnsafe(input.samples.length * 2);
      input.samples.forEach((s, i) => data.writeInt16LE(s, i * 2));
    } else {
      data = g711Encode(input.encoding === 'pcmu' ? 'PCMU' : 'PCMA', input.samples);
    }
  } else {
    data = input.data;
  }
  const pcm = input.encoding === 'pcm16';
  const bytesPerSample = pcm ? 2 : 1;
  const fmtSize = pcm ? FMT_PCM_SIZE : FMT_NON_PCM_SIZE;
  const factChunk = pcm ? 0 : CHUNK_HEADER_SIZE + FACT_SIZE;
  const pad = data.length % 2;
  const total = RIFF_HEADER_SIZE + CHUNK_HEADER_SIZE + fmtSize + factChunk + CHUNK_HEADER_SIZE + data.length + pad;
  const out = Buffer.alloc(total);
  let o = 0;
  o += out.write('RIFF', o, 'latin1');
  o = out.writeUInt32LE(total - 8, o);
  o += out.write('WAVE', o, 'latin1');
  o += out.write('fmt ', o, 'latin1');
  o = out.writeUInt32LE(fmtSize, o);
  o = out.writeUInt16LE(pcm ? FormatTag.Pcm : input.encoding === 'pcmu' ? FormatTag.Mulaw : FormatTag.Alaw, o);
  o = out.writeUInt16LE(channels, o);
  o = out.writeUInt32LE(sampleRate, o);
  o = out.writeUInt32LE(sampleRate * channels * bytesPerSample, o);
  o = out.writeUInt16LE(channels * bytesPerSample, o);
  o = out.writeUInt16LE(bytesPerSample * 8, o);
  if (!pcm) {
    o = out.writeUInt16LE(0, o); // cbSize
    o += out.write('fact', o, 'latin1');
    o = out.writeUInt32LE(FACT_SIZE, o);
    o = out.writeUInt32LE(Math.floor(data.length / channels), o);
  }
  o += out.write('data', o, 'latin1');
  o = out.writeUInt32LE(data.length, o);
  data.copy(out, o);
  return out;
}
