export { DomainError, domainError, isDomainError, type LocalizedMessage, type DomainErrorOptions } from './domain-error.js';
export {
  DOMAIN_ERRORS,
  DOMAIN_ERROR_MESSAGES,
  type CataloguedErrorCode,
  type DomainErrorCode,
  type DomainErrorInfo,
} from './domain-errors.js';
export type { Money } from './money.js';
export {
  type Tenant,
  type TenantCreateInput,
  type TenantPatch,
  type Language,
  LANGUAGES,
  TENANT_DEFAULTS,
} from './tenant.js';
export type { PhoneNumber, PhoneNumberCreateInput } from './phone-number.js';
export {
  type Extension,
  type ExtensionView,
  type ExtensionSettings,
  type ExtensionSecrets,
  type ExtensionGeneral,
  type ExtensionVoicemail,
  type ExtensionForwarding,
  type ExtensionAdvanced,
  type CallerId,
  type InternalCallerId,
  type ForwardTarget,
  type InternationalLevel,
  type Greeting,
  type GreetingAppliesTo,
  INTERNATIONAL_LEVELS,
  EXTENSION_DEFAULTS,
  toExtensionView,
  extensionSettings,
} from './extension.js';
export {
  EXTENSION_SETTING_CATALOG,
  type ExtensionSettingInfo,
  type ExtensionSettingStatus,
} from './extension-setting-catalog.js';
export type {
  ExtensionCreateInput,
  ExtensionPatch,
  ExtensionVoicemailInput,
  ExtensionAdvancedInput,
} from './extension-input.js';
export { PAID_OPTIONS, type PaidOption, type PriceList, DEFAULT_PRICE_LIST } from './price-list.js';
export {
  type Quote,
  type QuoteLine,
  type QuoteLineItem,
  type QuoteExposure,
  type PriceQuote,
  quote,
  prorate,
  prorationOf,
  paidOptionsOf,
  exposureOf,
} from './quote.js';
export type { LedgerEntry } from './ledger-entry.js';
export { SECURITY_BLOCK_SCOPES, type SecurityBlock, type SecurityBlockScope } from './security-block.js';
export {
  type Page,
  type PageRequest,
  type PageQuery,
  PAGE_LIMITS,
  resolvePageRequest,
  encodeCursor,
  toPage,
} from './pagination.js';
export type { Principal, ApiToken, Admin, AdminSession } from './principal.js';
export { ha1, ha1Md5, ha1Sha256, type DigestAlgorithm } from './ha1.js';
export { hashSecret, verifySecret, SCRYPT_PARAMS } from './secret-hash.js';
export { generateSipPassword, GENERATED_PASSWORD_LENGTH } from './sip-password.js';
export { normalizePhoneNumber, isSupportedCountryCode } from './normalize-phone-number.js';
export {
  resolveExtensionCreate,
  resolveExtensionPatch,
  type ExtensionRuleContext,
  type ResolvedExtensionChange,
} from './extension-rules.js';
export { resolveTenantCreate, resolveTenantPatch, normalizeSipDomain, type TenantFields } from './tenant-rules.js';
export { resolvePriceList } from './price-list-rules.js';
export {
  EMERGENCY_NUMBERS,
  RESERVED_EXTENSION_PREFIXES,
  GSM_LETTERS,
  shadowedEmergencyNumber,
  validEmail,
  validPin,
} from './field-rules.js';
export { RuleIssues, type RuleIssue } from './rule-issues.js';
export {
  type JsonType,
  jsonTypeOf,
  hasJsonType,
  wrongTypeMessage,
  unknownFieldMessage,
  missingFieldMessage,
} from './field-messages.js';
export {
  type Feature,
  type FeatureSwitch,
  UNAVAILABLE_FEATURES,
  FEATURE_SWITCHES,
  FEATURE_NAMES,
  isFeatureAvailable,
  unavailableFeaturesTurnedOn,
} from './feature-availability.js';
export { BINDING_TRANSPORTS, isBindingTransport, type BindingRecord, type BindingTransport } from './binding.js';
export type { ExtensionCallSettings } from './call-settings.js';
export {
  CALL_DISPOSITIONS,
  CALL_ENDED_BY,
  isCallDisposition,
  isCallEndedBy,
  type CallDetailRecord,
  type CallDisposition,
  type CallEndedBy,
  type CallHopRecord,
  type CallLegRecord,
} from './call-record.js';
export type { ActiveCall, ActiveCallMedia } from './active-call.js';
