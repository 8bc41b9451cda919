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
  ExtensionDirectory,
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
export { migrateToLatest } from '../store/index.js';
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
