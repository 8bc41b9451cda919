export type {
  AddressFamily,
  BoundAddress,
  ConnectionInfo,
  InboundPacket,
  RefusedMessage,
  ListenAddress,
  ListenConfig,
  SendOptions,
  TlsCredentials,
  TlsListenAddress,
  TransportAddress,
  TransportProtocol,
} from './types.js';
export { TRANSPORT_PROTOCOLS } from './types.js';
export { TransportError, type TransportErrorCode, type FailedListener } from './transport-error.js';
export {
  TransportLayer,
  TRANSPORT_DEFAULTS,
  isReliableTransport,
  type TransportLayerEvents,
  type TransportLayerOptions,
} from './transport-layer.js';
export type { TlsClientOptions } from './outbound-connector.js';
export {
  addressKey,
  formatHostPort,
  formatTransportAddress,
  ipFamily,
  isWildcard,
  normalizeIp,
  parseHostPort,
  parsePort,
  transportAddress,
  type HostPort,
} from './address.js';
export {
  ensureDevCertificate,
  loadTlsCredentials,
  DEV_CERTIFICATE_DAYS,
  DEV_CERTIFICATE_RENEW_DAYS,
  type TlsCredentialFiles,
} from './tls-credentials.js';
export { SIP_SUBPROTOCOL } from './websocket-listener.js';
export { buildListenConfig, DEFAULT_SIP_PORT, DEFAULT_SIP_TLS_PORT, type SipListenSettings } from './listen-config.js';
export { MAX_DATAGRAM_SIZE } from './udp-endpoint.js';
