export type {
  Services,
  TenantService,
  NumberService,
  ExtensionService,
  ExtensionWriteResult,
  ExtensionListFilter,
  ConfirmOptions,
  QuoteService,
  QuoteRequest,
  LedgerService,
  PriceListService,
  AuthService,
  CreatedToken,
  ApiTokenView,
  SipLookups,
  ExtensionAuthRecord,
  CallSettingsRecord,
} from './services.js';
export type { Db } from '../store/index.js';
export {
  createServices,
  openServices,
  DEFAULT_QUOTE_TTL_MS,
  DEFAULT_SESSION_TTL_MS,
  type ServicesOptions,
  type OpenServicesOptions,
  type OpenedServices,
} from './create-services.js';
export { TOKEN_PREFIXES } from './auth-service.js';
export { openStore, type OpenStoreOptions, type StoreLocation } from './open-store.js';
export { migrateToLatest, StoreNotInitialisedError } from '../store/index.js';
export { IDEMPOTENCY_RETENTION_MS, type IdempotencyService, type IdempotencyStart, type IdempotentRequest } from './idempotency-service.js';
export { createDeviceService, type DeviceService, type DeviceView } from './device-service.js';
export {
  createCallHistoryService,
  callRecordView,
  type CallHistoryService,
  type CallHistoryFilter,
  type CallRecordView,
} from './call-history-service.js';
export { parseIsoDateTime } from './date-time-filter.js';
export {
  createLiveCallService,
  type LiveCallService,
  type LiveCallSource,
  type LiveCallRecord,
  type LiveCallMedia,
  type LiveCallView,
  type LiveCallHangUpBy,
} from './live-call-service.js';
export {
  createSecurityBlockService,
  type SecurityBlockService,
  type SecurityBlockView,
  type SecurityBlockFilter,
  type SecurityBlockEvents,
} from './security-block-service.js';
