export {
  openDatabase,
  isPostgresUrl,
  SQLITE_FILE_NAME,
  MIGRATION_TABLE,
  StoreNotInitialisedError,
  DEFAULT_POOL_SETTINGS,
  STORE_PROBE_INTERVAL_MS,
  type Db,
  type DatabaseOptions,
  type DialectName,
  type PoolSettings,
} from './database.js';
export { StoreHealth, type StoreState, type StoreHealthEvents } from './store-health.js';
export { failureKind, type FailureKind } from './store-errors.js';
export type * from './schema.js';
export { migrateToLatest, StaticMigrationProvider } from './migrate.js';
export { MIGRATIONS } from './migrations/index.js';
export { type Executor, isUniqueViolation, toDbTime, fromDbTime, toDbBool, fromDbBool } from './columns.js';
export { tenantRepository, tenantFromRow, tenantToRow } from './repositories/tenant-repository.js';
export { extensionRepository, extensionFromRow, extensionToRow, type ExtensionAuthRow } from './repositories/extension-repository.js';
export { numberRepository, phoneNumberFromRow, phoneNumberToRow } from './repositories/number-repository.js';
export { priceListRepository, priceListFromRow, priceListToRow } from './repositories/price-list-repository.js';
export { idempotencyRepository } from './repositories/idempotency-repository.js';
export {
  securityBlockRepository,
  securityBlockFromRow,
  securityBlockToRow,
  type SecurityBlockQuery,
} from './repositories/security-block-repository.js';
export { quoteRepository, quoteFromRow, quoteToRow, type StoredQuote } from './repositories/quote-repository.js';
export { ledgerRepository, ledgerEntryFromRow, ledgerEntryToRow } from './repositories/ledger-repository.js';
export { authRepository, type StoredToken, type StoredAdmin, type StoredSession } from './repositories/auth-repository.js';
export {
  createRegistrationRepository,
  registrationRowToRecord,
  type RegistrationRepository,
  type RegistrationRecord,
  type RegistrationRow,
  type RegistrationsTable,
  type RegistrationTransport,
} from './repositories/registration-repository.js';
export {
  createCallRecordRepository,
  callRecordFromRow,
  callRecordToRow,
  involvedNumbers,
  type CallRecordRepository,
  type CallRecord,
  type CallRecordLeg,
  type CallRecordHop,
  type CallRecordDisposition,
  type CallRecordEndedBy,
  type CallRecordQuery,
} from './repositories/call-record-repository.js';
