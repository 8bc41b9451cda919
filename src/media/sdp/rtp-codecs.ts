import { attributeValues, parseFmtp, parseRtpmap } from './attributes.js';
import type { MediaDescription } from './session-description.js';

/** One RTP payload format of an m= line, resolved through rtpmap or the static table. */
export interface RtpCodec {
  readonly payloadType: number;
  /** Encoding name as written (compare case-insensitively). */
  readonly name: string;
  readonly clockRate: number;
  /** Audio channels (1 unless the rtpmap says otherwise). */
  readonly channels: number;
  /** The fmtp parameters for this payload type, if any. */
  readonly fmtp: string | undefined;
}

/** A codec by name, clock rate and channels, as a capability list names it. */
export interface CodecSpec {
  readonly name: string;
  readonly clockRate: number;
  readonly channels?: number;
}

/**
 * RFC 3551 §6 Table 4: static audio payload types, usable without an rtpmap. ("An rtpmap attribute
 * ... is not required for static payload types" — RFC 4566 §6, though most devices send one.)
 */
const STATIC_AUDIO: ReadonlyMap<number, CodecSpec> = new Map([
  [0, { name: 'PCMU', clockRate: 8000 }],
  [3, { name: 'GSM', clockRate: 8000 }],
  [4, { name: 'G723', clockRate: 8000 }],
  [5, { name: 'DVI4', clockRate: 8000 }],
  [6, { name: 'DVI4', clockRate: 16000 }],
  [7, { name: 'LPC', clockRate: 8000 }],
  [8, { name: 'PCMA', clockRate: 8000 }],
  [9, { name: 'G722', clockRate: 8000 }],
  [10, { name: 'L16', clockRate: 44100, channels: 2 }],
  [11, { name: 'L16', clockRate: 44100 }],
  [12, { name: 'QCELP', clockRate: 8000 }],
  [13, { name: 'CN', clockRate: 8000 }],
  [14, { name: 'MPA', clockRate: 90000 }],
  [15, { name: 'G728', clockRate: 8000 }],
  [16, { name: 'DVI4', clockRate: 11025 }],
  [17, { name: 'DVI4', clockRate: 22050 }],
  [18, { name: 'G729', clockRate: 8000 }],
]);

/** Whether an m= line's protocol is an RTP profile (RTP/AVP, RTP/SAVP, RTP/AVPF, UDP/TLS/RTP/SAVPF …). */
export function isRtpProtocol(protocol: string): boolean {
  return /(^|\/)RTP\//i.test(protocol);
}

/**
 * The codecs of an RTP m= line in m= order. A dynamic payload type without an rtpmap is skipped
 * (it cannot be identified), as are non-numeric formats.
 */
export function mediaCodecs(media: MediaDescription): RtpCodec[] {
  const rtpmaps = new Map<number, { name: string; clockRate: number; channels: number }>();
  for (const value of attributeValues(media.attributes, 'rtpmap')) {
    const r = parseRtpmap(value);
    if (r && !rtpmaps.has(r.payloadType)) {
      const channels = r.parameters !== undefined && /^\d+$/.test(r.parameters) ? Number(r.parameters) : 1;
      rtpmaps.set(r.payloadType, { name: r.encodingName, clockRate: r.clockRate, channels });
    }
  }
  const fmtps = new Map<string, string>();
  for (const value of attributeValues(media.attributes, 'fmtp')) {
    const f = parseFmtp(value);
    if (f && !fmtps.has(f.format)) fmtps.set(f.format, f.parameters);
  }
  const codecs: RtpCodec[] = [];
  for (const format of media.formats) {
    if (!/^\d{1,3}$/.test(format)) continue;
    const payloadType = Number(format);
    const known = rtpmaps.get(payloadType) ?? staticCodec(payloadType);
    if (!known) continue;
    codecs.push({ payloadType, name: known.name, clockRate: known.clockRate, channels: known.channels, fmtp: fmtps.get(format) });
  }
  return codecs;
}

function staticCodec(payloadType: number): { name: string; clockRate: number; channels: number } | undefined {
  const s = STATIC_AUDIO.get(payloadType);
  return s ? { name: s.name, clockRate: s.clockRate, channels: s.channels ?? 1 } : undefined;
}

/** Whether a codec is the one a spec names: encoding names compare case-insensitively (RFC 4855 §3). */
export function codecMatches(codec: Pick<RtpCodec, 'name' | 'clockRate' | 'channels'>, spec: CodecSpec): boolean {
  return (
    codec.name.toLowerCase() === spec.name.toLowerCase() &&
    codec.clockRate === spec.clockRate &&
    codec.channels === (spec.channels ?? 1)
  );
}

/** Whether a payload type number is static (0–95, RFC 3551 §3), so that its rtpmap is optional. */
export function isStaticPayloadType(payloadType: number): boolean {
  return payloadType < 96;
}
