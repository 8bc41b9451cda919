export { MediaRelay, type MediaRelayEvents, type MediaRelayObserverEvents, type RtpTimeout, type MediaRelaySettings } from './media-relay.js';
export { MediaLeg, type LegName, type LegStats, type StreamCounters, type ReceptionQuality, type LatchChange } from './media-leg.js';
export { type RelaySdpResult } from './relay-sdp-result.js';
export { PortAllocator, PortRangeExhaustedError, DEFAULT_PORT_RANGE, type PortRange, type SocketPair } from './port-allocator.js';
export { SourceLatch, type UdpEndpoint, type LatchVerdict } from './source-latch.js';
