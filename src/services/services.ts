import type { CallHistoryService } from './call-history-service.js';
import type { DeviceService } from './device-service.js';
import type { IdempotencyService } from './idempotency-service.js';
import type { LiveCallService } from './live-call-service.js';
import type { SecurityBlockService } from './security-block-service.js';
import type {
  Admin,
  AdminSession,
  ApiToken,
  ExtensionCallSettings,
  ExtensionCreateInput,
  ExtensionPatch,
  ExtensionView,
  LedgerEntry,
  Page,
  PageRequest,
  PhoneNumber,
  PhoneNumberCreateInput,
  PriceList,
  Principal,
  Quote,
  Tenant,
  TenantCreateInput,
  TenantPatch,
} from '../domain/index.js';

/** Tenants (operator use cases). */
export interface TenantService {
  /** Creates a tenant; throws SIP_DOMAIN_TAKEN, SIP_DOMAIN_INVALID, TENANT_NAME_INVALID … */
  create(input: TenantCreateInput): Promise<Tenant>;
  /** Tenants ordered by SIP domain. */
  list(page?: PageRequest): Promise<Page<Tenant>>;
  /** Throws TENANT_NOT_FOUND. */
  get(id: string): Promise<Tenant>;
  /** A tenant by its id or its SIP domain (case-insensitive). Throws TENANT_NOT_FOUND. */
  find(ref: string): Promise<Tenant>;
  /** Partial change; `mainNumber` must be owned; `sipDomain` only while the tenant has no extensions. */
  update(id: string, patch: TenantPatch): Promise<Tenant>;
}

/** Public numbers (DIDs) of a tenant. Numbers may be given as E.164 or national form of the tenant country. */
export interface NumberService {
  /** Adds a number; the first number becomes the main number. Throws NUMBER_TAKEN, PHONE_NUMBER_INVALID. */
  add(tenantId: string, input: PhoneNumberCreateInput): Promise<PhoneNumber>;
  /** Numbers ordered by E.164. */
  list(tenantId: string, page?: PageRequest): Promise<Page<PhoneNumber>>;
  /** Throws NUMBER_NOT_FOUND. */
  get(tenantId: string, number: string): Promise<PhoneNumber>;
  /** Removes a number; refused with NUMBER_IN_USE while it is a caller ID / SMS sender, or main with others left. */
  remove(tenantId: string, number: string): Promise<void>;
  /** Routes inbound calls to an extension (by extension number), or stops routing with null. */
  route(tenantId: string, number: string, extensionNumber: string | null): Promise<PhoneNumber>;
}

/** How a save that costs money is confirmed: the id of a quote for exactly this change. */
export interface ConfirmOptions {
  quoteId?: string;
}

/** Outcome of creating or changing an extension. */
export interface ExtensionWriteResult {
  readonly extension: ExtensionView;
  /** The plaintext SIP password, shown once: on create, and on update when the password or number changed. */
  readonly password: string | null;
  /** Ledger entries written for this save (empty when it cost nothing). */
  readonly charges: LedgerEntry[];
}

/** Filters of the extension list. */
export interface ExtensionListFilter {
  readonly number?: string;
}

/** Extensions (SIP accounts) of a tenant. */
export interface ExtensionService {
  /** Creates an extension. Costs money → `quoteId` required (QUOTE_REQUIRED / QUOTE_STALE). */
  create(tenantId: string, input: ExtensionCreateInput, options?: ConfirmOptions): Promise<ExtensionWriteResult>;
  /** Throws EXTENSION_NOT_FOUND. */
  get(tenantId: string, id: string): Promise<ExtensionView>;
  /** Throws EXTENSION_NOT_FOUND. */
  getByNumber(tenantId: string, number: string): Promise<ExtensionView>;
  /** An extension by its number (digits only) or its id. Throws EXTENSION_NOT_FOUND. */
  find(tenantId: string, ref: string): Promise<ExtensionView>;
  /** Extensions ordered by number (as text); `filter.number` narrows the list to that extension (or none). */
  list(tenantId: string, page?: PageRequest, filter?: ExtensionListFilter): Promise<Page<ExtensionView>>;
  /**
   * Applies a partial change validated as a whole. A new number without a new password generates one (the HA1
   * includes the number). Turning on a paid option → `quoteId` required.
   */
  update(tenantId: string, id: string, patch: ExtensionPatch, options?: ConfirmOptions): Promise<ExtensionWriteResult>;
  /** Deletes; refused with EXTENSION_IN_USE while other extensions forward to it. Numbers routed to it are unrouted. */
  delete(tenantId: string, id: string): Promise<void>;
  /** Generates and stores a new SIP password, returned once. */
  resetPassword(tenantId: string, id: string): Promise<{ extension: ExtensionView; password: string }>;
}

/** What to price: creating an extension or changing one. */
export type QuoteRequest =
  | { kind: 'create'; input: ExtensionCreateInput }
  | { kind: 'update'; extensionId: string; patch: ExtensionPatch };

/** Quotes: price a change (validated first) before confirming it. */
export interface QuoteService {
  /** Validates the change, prices it and stores the quote (valid 15 minutes by default). */
  quote(tenantId: string, request: QuoteRequest): Promise<Quote>;
  /** Throws QUOTE_NOT_FOUND. */
  get(tenantId: string, id: string): Promise<Quote>;
}

/** The tenant's ledger of confirmed charges. */
export interface LedgerService {
  /** Entries newest first. */
  list(tenantId: string, page?: PageRequest): Promise<Page<LedgerEntry>>;
}

/** The operator's price list. */
export interface PriceListService {
  /** The price list in force ({@link DEFAULT_PRICE_LIST} until one is set). */
  get(): Promise<PriceList>;
  /** Replaces the price list (kept as a new version). Throws PRICE_LIST_INVALID / CURRENCY_INVALID. */
  set(priceList: PriceList): Promise<PriceList>;
}

/** A freshly created API token: the plaintext is returned only here. */
export interface CreatedToken {
  readonly token: string;
  readonly record: ApiToken;
}

/** An API token as listed: its record and when it was revoked (null while it works). */
export interface ApiTokenView extends ApiToken {
  readonly revokedAt: Date | null;
}

/** API tokens, admins and panel sessions. Secrets are stored hashed only. */
export interface AuthService {
  /** Creates the first operator token if none exists and returns its plaintext once; undefined otherwise. */
  bootstrapOperatorToken(): Promise<string | undefined>;
  /** Creates another operator token. */
  createOperatorToken(label?: string): Promise<CreatedToken>;
  /** Creates a token scoped to one tenant. Throws TENANT_NOT_FOUND. */
  createTenantToken(tenantId: string, label?: string): Promise<CreatedToken>;
  /** Revokes a token by id (idempotent). */
  revokeToken(tokenId: string): Promise<void>;
  /** Every API token, operator and tenant, revoked ones too, oldest first (never the token or its hash). */
  listTokens(): Promise<ApiTokenView[]>;
  /** The principal of a bearer token, or undefined for an unknown/revoked one. */
  verifyToken(token: string): Promise<Principal | undefined>;
  /** Creates a customer admin. Throws ADMIN_EMAIL_TAKEN, ADMIN_PASSWORD_WEAK, EMAIL_INVALID, TENANT_NOT_FOUND. */
  createAdmin(tenantId: string, input: { email: string; password: string }): Promise<Admin>;
  /**
   * Starts a panel session; throws INVALID_CREDENTIALS for an unknown e-mail or a wrong password alike.
   * `source` is the client's IP address: repeated failures block the address and the e-mail for a while
   * (LOGIN_BLOCKED, with `details.retryAfterSeconds`), unknown e-mails exactly like known ones.
   */
  login(email: string, password: string, source?: string): Promise<AdminSession>;
  /** The live session for a session id (cookie value), or undefined when unknown or expired. */
  verifySession(sessionId: string): Promise<AdminSession | undefined>;
  /** Ends a session (idempotent). */
  logout(sessionId: string): Promise<void>;
}

/** What the SIP registrar needs to challenge a device: the extension's digest hashes. */
export interface ExtensionAuthRecord {
  readonly tenantId: string;
  readonly extensionId: string;
  readonly ha1Md5: string;
  readonly ha1Sha256: string;
}

/** The call settings of one extension as the call engine needs them (SPEC 2.2–2.4): the domain's record. */
export type CallSettingsRecord = ExtensionCallSettings;

/**
 * Look-ups for the SIP layer (the composition root adapts them to the PBX's ExtensionDirectory and CallDirectory
 * ports; a different interface, hence a different name).
 */
export interface SipLookups {
  /** The digest hashes of `<extensionNumber>@<sipDomain>`, or undefined (unknown domain or extension). */
  findExtensionForAuth(sipDomain: string, extensionNumber: string): Promise<ExtensionAuthRecord | undefined>;
  /** The call settings of extension `number` of tenant `tenantId`, or undefined when there is none. */
  findCallSettings(tenantId: string, number: string): Promise<CallSettingsRecord | undefined>;
}

/** Every use case, shared by the REST API and the CLI. */
export interface Services {
  readonly tenants: TenantService;
  readonly numbers: NumberService;
  readonly extensions: ExtensionService;
  readonly quotes: QuoteService;
  readonly ledger: LedgerService;
  readonly priceList: PriceListService;
  readonly auth: AuthService;
  readonly directory: SipLookups;
  /** Registered devices of extensions (issue 3). */
  readonly devices: DeviceService;
  /** The call history (issue 4). */
  readonly calls: CallHistoryService;
  /** Calls in progress, from the running call engine (attached by the composition root). */
  readonly liveCalls: LiveCallService;
  /** Idempotency keys of the API's creates (SPEC 3). */
  readonly idempotency: IdempotencyService;
  /** Brute-force blocks of SIP authentication (issue 8). */
  readonly securityBlocks: SecurityBlockService;
}
