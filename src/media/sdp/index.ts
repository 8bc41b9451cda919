export type {
  SessionDescription,
  MediaDescription,
  Origin,
  Connection,
  Bandwidth,
  Timing,
  Attribute,
} from './session-description.js';
export { parseSdp } from './parse-sdp.js';
export { serializeSdp } from './serialize-sdp.js';
export {
  type Direction,
  type Rtpmap,
  type CryptoAttribute,
  type SetupRole,
  attributeValue,
  attributeValues,
  mediaDirection,
  mediaPtime,
  parseRtpmap,
  parseFmtp,
  parseRtcpAttribute,
  parseCrypto,
  parseFingerprint,
  parseSetup,
} from './attributes.js';
export { type RtpCodec, type CodecSpec, mediaCodecs, codecMatches, isRtpProtocol } from './rtp-codecs.js';
export { type MediaAddress, mediaAddress, isUnspecifiedAddress } from './media-address.js';
export { answerDirection, isOnHold, isSessionOnHold } from './direction.js';
export {
  type MediaCapabilities,
  type NegotiationResult,
  type NegotiationFailure,
  type NegotiationFailureReason,
  type Negotiated,
  type StreamPlan,
  type AnswerTransport,
  G711_CAPABILITIES,
  restrictOffer,
  acceptAnswer,
  negotiateAnswer,
} from './offer-answer.js';
export { parseEventList, formatEventList } from './telephone-event-list.js';
export { SdpOriginKeeper } from './origin-keeper.js';
export { rewriteTransport, type RelayTransport } from './rewrite-transport.js';
