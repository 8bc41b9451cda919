export { MediaRelay, type MediaRelayEvents, type MediaRelayObserverEvents, type RtpTimeout, type MediaRelaySettings } from './media-relay.js';
export { MediaLeg, type LegName, type LegStats, type StreamCounters, type ReceptionQuality, type LatchChange } from './media-leg.js';
export { type RelaySdpResult } from './relay-sdp-result.js';
export { PortAllocator, PortRangeExhaustedError, DEFAULT_PORT_RANGE, type PortRange, type SocketPair } from './port-allocator.js';
export { SourceLatch, type UdpEndpoint, type LatchVerdict } from './source-latch.js';
export {
  MediaEndpoint,
  type MediaEndpointEvents,
  type MediaEndpointSettings,
  type EndpointSdpResult,
  type PlayOptions,
  type PlayResult,
  type CollectOptions,
  type CollectResult,
  type RecordResult,
  type ReceivedDigit,
} from './media-endpoint.js';
export { type RecordOptions, type RecordEndReason } from './recorder.js';
export { type PlayItem, PromptLoader } from './play-items.js';
export { JitterBuffer, type JitterOutput, type JitterStats, type JitterBufferOptions } from './jitter-buffer.js';
export { RtpSender, type RtpSenderTarget, type FrameSource, FRAME_MS, FRAME_SAMPLES } from './rtp-sender.js';
export { MonotonicClock } from './monotonic-clock.js';
