import { isIP } from 'node:net';
import { type Direction, mediaDirection } from './attributes.js';
import { answerDirection, isOnHold } from './direction.js';
import { type MediaAddress, mediaAddress } from './media-address.js';
import { type CodecSpec, type RtpCodec, codecMatches, isRtpProtocol, mediaCodecs } from './rtp-codecs.js';
import type { Attribute, MediaDescription, Origin, SessionDescription } from './session-description.js';
import { formatEventList, parseEventList } from './telephone-event-list.js';

/** What one side can carry. */
export interface MediaCapabilities {
  /** Audio codecs, in preference order. */
  readonly codecs: readonly CodecSpec[];
  /** Whether RFC 4733 telephone-event/8000 is accepted. */
  readonly telephoneEvent: boolean;
  /** Transport profiles accepted on m= lines (RTP/AVP …). */
  readonly protocols: readonly string[];
  /** How many audio streams may be accepted; later ones are rejected. Default 1. */
  readonly maxAudioStreams?: number;
  /** What this side can do when it answers itself; default sendrecv. */
  readonly direction?: Direction;
  /** ptime this side sends when it answers itself; default 20. */
  readonly ptime?: number;
}

/** G.711 µ-law and A-law plus RFC 4733 events over plain RTP: what the relay carries without transcoding. */
export const G711_CAPABILITIES: MediaCapabilities = {
  codecs: [
    { name: 'PCMU', clockRate: 8000 },
    { name: 'PCMA', clockRate: 8000 },
  ],
  telephoneEvent: true,
  protocols: ['RTP/AVP'],
  maxAudioStreams: 1,
};

/** Why an offer or answer cannot be used. The call engine answers 488 for all but invalidSdp (400). */
export type NegotiationFailureReason = 'noCommonCodec' | 'unsupportedMedia' | 'answerMismatch' | 'invalidSdp';

/** A failed negotiation, with a human-readable detail for logs and the SIP reason phrase. */
export interface NegotiationFailure {
  readonly ok: false;
  readonly reason: NegotiationFailureReason;
  readonly detail: string;
}

/** What was decided for one m= line. */
export interface StreamPlan {
  readonly index: number;
  readonly type: string;
  readonly accepted: boolean;
  /** Audio codecs kept, in m= order, with the payload type numbers of the SDP's author. */
  readonly codecs: readonly RtpCodec[];
  readonly telephoneEvent: RtpCodec | undefined;
  /** Direction as the SDP's author wrote it. */
  readonly direction: Direction;
  /** Whether the author holds the stream (sendonly / inactive / c=0.0.0.0). */
  readonly hold: boolean;
  /** Where the author receives the stream; undefined when rejected. */
  readonly remote: MediaAddress | undefined;
}

/**
 * A successful negotiation step: the SDP to pass on and, per m= line, what the author of the SDP
 * that came in (the offerer for restrictOffer/negotiateAnswer, the answerer for acceptAnswer) asked.
 */
export interface Negotiated {
  readonly ok: true;
  readonly sdp: SessionDescription;
  readonly streams: readonly StreamPlan[];
}

/** Result of {@link restrictOffer}, {@link acceptAnswer} and {@link negotiateAnswer}. */
export type NegotiationResult = Negotiated | NegotiationFailure;

/**
 * Attributes bound to the writer's transport, which a relay that rewrites addresses must drop
 * (ICE candidates, RTCP address, DTLS/SDES keying for a plain-RTP leg, BUNDLE grouping).
 */
const TRANSPORT_ATTRIBUTES: ReadonlySet<string> = new Set([
  'rtcp',
  'rtcp-mux',
  'rtcp-mux-only',
  'candidate',
  'remote-candidates',
  'end-of-candidates',
  'ice-ufrag',
  'ice-pwd',
  'ice-options',
  'ice-lite',
  'ice-mismatch',
  'crypto',
  'fingerprint',
  'setup',
  'connection',
  'tls-id',
  'group',
]);
/** Attributes whose value starts with a payload type number. */
const FORMAT_ATTRIBUTES: ReadonlySet<string> = new Set(['rtpmap', 'fmtp', 'rtcp-fb']);

/** Whether an m= line is plain audio over a profile the capabilities accept. */
function isUsableAudio(m: MediaDescription, caps: MediaCapabilities): boolean {
  return m.type === 'audio' && isRtpProtocol(m.protocol) && caps.protocols.includes(m.protocol);
}

function isTelephoneEvent(c: RtpCodec): boolean {
  return codecMatches(c, { name: 'telephone-event', clockRate: 8000 });
}

/** Keeps the transport-independent attributes of an accepted stream, and format attributes only for `formats`. */
function keepAttributes(attributes: readonly Attribute[], formats: ReadonlySet<string>): Attribute[] {
  return attributes.filter((a) => {
    if (TRANSPORT_ATTRIBUTES.has(a.name)) return false;
    if (FORMAT_ATTRIBUTES.has(a.name)) {
      const format = (a.value ?? '').split(' ')[0] ?? '';
      return format === '*' || formats.has(format);
    }
    return true;
  });
}

function rejected(m: MediaDescription): MediaDescription {
  // RFC 3264 §6: "To reject an offered stream, the port number ... MUST be set to zero. Any media
  // formats listed are ignored. At least one MUST be present".
  return { ...m, port: 0, portCount: undefined, connection: undefined, bandwidths: [], attributes: [] };
}

function rejectedPlan(index: number, m: MediaDescription, sdp: SessionDescription): StreamPlan {
  return { index, type: m.type, accepted: false, codecs: [], telephoneEvent: undefined, direction: mediaDirection(m, sdp), hold: false, remote: undefined };
}

/**
 * Restricts an offer to what `caps` can carry, for forwarding to the other party: unusable streams
 * get port 0 (RFC 3264 §8.2 keeps their m= line so streams still match by position), codecs and
 * their format attributes are filtered keeping the offerer's payload type numbers and order
 * (RFC 3264 §6.1: "it is RECOMMENDED that ... the answerer list formats in the same relative order
 * they were present in the offer"), transport attributes are dropped. Fails when no stream is left.
 */
export function restrictOffer(offer: SessionDescription, caps: MediaCapabilities): NegotiationResult {
  const media: MediaDescription[] = [];
  const streams: StreamPlan[] = [];
  let accepted = 0;
  let lackedCodec = false;
  offer.media.forEach((m, index) => {
    const remote = mediaAddress(m, offer);
    if (m.port === 0 || !remote || !isUsableAudio(m, caps) || accepted >= (caps.maxAudioStreams ?? 1)) {
      media.push(rejected(m));
      streams.push(rejectedPlan(index, m, offer));
      return;
    }
    const offered = mediaCodecs(m);
    const codecs = offered.filter((c) => !isTelephoneEvent(c) && caps.codecs.some((spec) => codecMatches(c, spec)));
    const telephoneEvent = caps.telephoneEvent ? offered.find(isTelephoneEvent) : undefined;
    if (codecs.length === 0) {
      lackedCodec = true;
      media.push(rejected(m));
      streams.push(rejectedPlan(index, m, offer));
      return;
    }
    accepted++;
    const kept = new Set([...codecs, ...(telephoneEvent ? [telephoneEvent] : [])].map((c) => String(c.payloadType)));
    media.push({
      ...m,
      formats: m.formats.filter((f) => kept.has(f)),
      attributes: keepAttributes(m.attributes, kept),
    });
    const direction = mediaDirection(m, offer);
    streams.push({ index, type: m.type, accepted: true, codecs, telephoneEvent, direction, hold: isOnHold(m, offer), remote });
  });
  if (accepted === 0) return noStreamFailure(offer, lackedCodec, caps);
  const attributes = offer.attributes.filter((a) => !TRANSPORT_ATTRIBUTES.has(a.name));
  return { ok: true, sdp: { ...offer, attributes, media }, streams };
}

function noStreamFailure(sdp: SessionDescription, lackedCodec: boolean, caps: MediaCapabilities): NegotiationFailure {
  const wanted = caps.codecs.map((c) => c.name).join('/');
  if (lackedCodec) return { ok: false, reason: 'noCommonCodec', detail: `no common codec (supported: ${wanted})` };
  const offered = sdp.media.map((m) => `${m.type} ${m.protocol}`).join(', ') || 'no media';
  return { ok: false, reason: 'unsupportedMedia', detail: `no usable audio stream (offered: ${offered}; supported: audio ${caps.protocols.join('/')})` };
}

/**
 * Checks an answer against the offer it answers (the offer as sent) and keeps only what both
 * sides can use. RFC 3264 §6: "The answer MUST contain exactly the same number of "m=" lines as
 * the offer", and "The media type of the stream in the answer MUST match that of the offer".
 * Answered codecs are matched with offered ones by name and rate, keeping the answerer's payload
 * type numbers (each side receives with its own numbering, RFC 3264 §6.1); formats the answer adds
 * beyond the offer (RFC 3264 §6.1 "MAY indicate additional media formats") are dropped.
 */
export function acceptAnswer(offer: SessionDescription, answer: SessionDescription): NegotiationResult {
  if (answer.media.length !== offer.media.length) {
    return { ok: false, reason: 'answerMismatch', detail: `answer has ${answer.media.length} m= lines, the offer ${offer.media.length}` };
  }
  const media: MediaDescription[] = [];
  const streams: StreamPlan[] = [];
  for (const [index, a] of answer.media.entries()) {
    const o = offer.media[index];
    if (!o || o.type !== a.type) {
      return { ok: false, reason: 'answerMismatch', detail: `m= line ${index + 1} is ${a.type} in the answer, ${o?.type} in the offer` };
    }
    const remote = mediaAddress(a, answer);
    const offered = mediaCodecs(o);
    const answered = o.port === 0 || !remote ? [] : mediaCodecs(a).filter((c) => offered.some((x) => codecMatches(x, c)));
    const codecs = answered.filter((c) => !isTelephoneEvent(c));
    if (codecs.length === 0) {
      media.push(rejected(a));
      streams.push(rejectedPlan(index, a, answer));
      continue;
    }
    const telephoneEvent = answered.find(isTelephoneEvent);
    const kept = new Set(answered.map((c) => String(c.payloadType)));
    media.push({ ...a, formats: a.formats.filter((f) => kept.has(f)), attributes: keepAttributes(a.attributes, kept) });
    streams.push({ index, type: a.type, accepted: true, codecs, telephoneEvent, direction: mediaDirection(a, answer), hold: isOnHold(a, answer), remote });
  }
  if (!streams.some((s) => s.accepted)) return { ok: false, reason: 'noCommonCodec', detail: 'the answer accepts no offered codec' };
  const attributes = answer.attributes.filter((a) => !TRANSPORT_ATTRIBUTES.has(a.name));
  return { ok: true, sdp: { ...answer, attributes, media }, streams };
}

/** Where this side receives, for {@link negotiateAnswer}. */
export interface AnswerTransport {
  readonly origin: Origin;
  /** The address written in c= (IPv4 or IPv6 literal). */
  readonly address: string;
  /** RTP port for the m= line at `index`; undefined rejects that stream. RTCP is at port + 1. */
  readonly rtpPort: (index: number) => number | undefined;
}

/**
 * Answers an offer as an endpoint (RFC 3264 §6): one m= line per offered one, port 0 for rejected
 * streams, the offerer's payload type numbers, telephone-event when both sides have it, and the
 * direction mapped from the offer's. Fails with noCommonCodec / unsupportedMedia (→ 488).
 */
export function negotiateAnswer(offer: SessionDescription, caps: MediaCapabilities, transport: AnswerTransport): NegotiationResult {
  const restricted = restrictOffer(offer, caps);
  if (!restricted.ok) return restricted;
  const addrType = isIP(transport.address) === 6 ? 'IP6' : 'IP4';
  const media: MediaDescription[] = [];
  const streams: StreamPlan[] = [];
  for (const plan of restricted.streams) {
    const m = offer.media[plan.index];
    if (!m) continue;
    const port = plan.accepted ? transport.rtpPort(plan.index) : undefined;
    if (port === undefined) {
      media.push(rejected(m));
      streams.push(plan.accepted ? { ...plan, accepted: false, codecs: [], telephoneEvent: undefined, remote: undefined } : plan);
      continue;
    }
    const codecs = [...plan.codecs, ...(plan.telephoneEvent ? [plan.telephoneEvent] : [])];
    const attributes: Attribute[] = [];
    for (const c of codecs) {
      const channels = c.channels === 1 ? '' : `/${c.channels}`;
      attributes.push({ name: 'rtpmap', value: `${c.payloadType} ${c.name}/${c.clockRate}${channels}` });
      if (c === plan.telephoneEvent) {
        // RFC 4733 §7.1.1: without fmtp the events are 0-15; answer with the DTMF events both sides know.
        const events = formatEventList(parseEventList(c.fmtp ?? '0-15'), 15);
        if (events) attributes.push({ name: 'fmtp', value: `${c.payloadType} ${events}` });
      }
    }
    attributes.push({ name: 'ptime', value: String(caps.ptime ?? 20) });
    const direction = answerDirection(plan.direction, caps.direction);
    attributes.push({ name: direction, value: undefined });
    media.push({
      type: m.type,
      port,
      portCount: undefined,
      protocol: m.protocol,
      formats: codecs.map((c) => String(c.payloadType)),
      information: undefined,
      connection: undefined,
      bandwidths: [],
      encryptionKey: undefined,
      attributes,
    });
    streams.push(plan);
  }
  if (!streams.some((s) => s.accepted)) return { ok: false, reason: 'unsupportedMedia', detail: 'no port available for any stream' };
  const answer: SessionDescription = {
    version: 0,
    origin: transport.origin,
    sessionName: offer.sessionName || '-',
    information: undefined,
    uri: undefined,
    emails: [],
    phones: [],
    connection: { netType: 'IN', addrType, address: transport.address },
    bandwidths: [],
    // RFC 3264 §6: "The "t=" line in the answer MUST equal that of the offer."
    timings: offer.timings,
    timeZones: undefined,
    encryptionKey: undefined,
    attributes: [],
    media,
  };
  return { ok: true, sdp: answer, streams };
}
