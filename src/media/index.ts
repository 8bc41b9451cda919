// Centrala's media engine. Knows RTP, not calls. Imports only src/lib.
export { MediaEngine, type MediaEngineOptions, type LegInterface, type MediaEngineObserverEvents } from './engine.js';
export {
  MediaRelay,
  MediaLeg,
  PortRangeExhaustedError,
  DEFAULT_PORT_RANGE,
  type MediaRelayEvents,
  type MediaRelayObserverEvents,
  type RtpTimeout,
  type RelaySdpResult,
  type LegName,
  type LegStats,
  type StreamCounters,
  type ReceptionQuality,
  type LatchChange,
  type PortRange,
  type UdpEndpoint,
  MediaEndpoint,
  MonotonicClock,
  type MediaEndpointEvents,
  type EndpointSdpResult,
  type PlayItem,
  type PlayOptions,
  type PlayResult,
  type CollectOptions,
  type CollectResult,
  type RecordOptions,
  type RecordResult,
  type RecordEndReason,
  type ReceivedDigit,
} from './endpoint/index.js';
export { type ParseResult } from './parse-result.js';
export { type NegotiationFailureReason, type MediaCapabilities, G711_CAPABILITIES } from './sdp/index.js';
export * as rtp from './rtp/index.js';
export * as sdp from './sdp/index.js';
export * as codec from './codec/index.js';
export * as dtmf from './dtmf/index.js';
export { PromptCatalogue, type PromptId, type PromptLanguage } from './prompts/index.js';
export * as prompts from './prompts/index.js';
