import type { Selectable } from 'kysely';

// Column conventions, identical on SQLite and PostgreSQL: ids are text (UUID), times are ISO-8601 UTC text
// (`2024-05-01T12:00:00.000Z`, sortable), booleans are integers 0/1, money is integer minor units, nested
// settings are JSON text. The repositories' mappers convert; nothing else touches rows.

/** Table `tenants`. */
export interface TenantsTable {
  id: string;
  name: string;
  sip_domain: string;
  country: string;
  main_number: string | null;
  default_max_rate_minor: number;
  default_max_rate_currency: string;
  language: string;
  created_at: string;
  updated_at: string;
}

/** Table `numbers`: DIDs. */
export interface NumbersTable {
  id: string;
  tenant_id: string;
  e164: string;
  extension_id: string | null;
  created_at: string;
}

/** Table `extensions`: basics and flat options as columns, nested sections as JSON text. */
export interface ExtensionsTable {
  id: string;
  tenant_id: string;
  number: string;
  name: string;
  ha1_md5: string;
  ha1_sha256: string;
  /** JSON of CallerId. */
  caller_id: string;
  /** JSON of InternalCallerId. */
  internal_caller_id: string;
  sms_sender: string | null;
  ring_time_seconds: number;
  call_waiting: number;
  voicemail_enabled: number;
  voicemail_pin_hash: string | null;
  voicemail_email: string | null;
  voicemail_greeting: string;
  greeting_no_answer: number;
  greeting_busy: number;
  /** JSON of ExtensionForwarding. */
  forwarding: string;
  encryption: number;
  international_level: string;
  allow_premium: number;
  max_rate_minor: number | null;
  outgoing_pin_hash: string | null;
  monitoring: number;
  fax: number;
  created_at: string;
  updated_at: string;
}

/** Table `price_list`: append-only versions; the highest version is in force. */
export interface PriceListTable {
  version: number;
  currency: string;
  extension_monthly_minor: number;
  voicemail_monthly_minor: number;
  monitoring_monthly_minor: number;
  fax_monthly_minor: number;
  encryption_monthly_minor: number;
  activation_minor: number;
  created_at: string;
}

/** Table `quotes`. */
export interface QuotesTable {
  id: string;
  tenant_id: string;
  kind: string;
  extension_id: string | null;
  /** SHA-256 hex of the normalised change and price list that were quoted. */
  payload_hash: string;
  /** JSON of QuoteLine[]. */
  lines: string;
  total_minor: number;
  currency: string;
  /** JSON of QuoteExposure. */
  exposure: string;
  created_at: string;
  expires_at: string;
  used_at: string | null;
}

/** Table `ledger_entries`. */
export interface LedgerEntriesTable {
  id: string;
  tenant_id: string;
  quote_id: string | null;
  extension_id: string | null;
  extension_number: string | null;
  code: string;
  amount_minor: number;
  currency: string;
  created_at: string;
}

/** Table `api_tokens`: SHA-256 hex of each token, never the token. */
export interface ApiTokensTable {
  id: string;
  token_hash: string;
  kind: string;
  tenant_id: string | null;
  label: string;
  created_at: string;
  revoked_at: string | null;
}

/** Table `admins`: customer admins with scrypt password hashes. */
export interface AdminsTable {
  id: string;
  tenant_id: string;
  email: string;
  password_hash: string;
  created_at: string;
}

/** Table `sessions`: SHA-256 hex of the session id (the cookie value), never the id. */
export interface SessionsTable {
  id_hash: string;
  admin_id: string;
  csrf_token: string;
  created_at: string;
  expires_at: string;
}

/** Table `call_records` (migration 0003): one call detail record per call; times in epoch ms. */
export interface CallRecordsTable {
  id: string;
  tenant_id: string;
  /** SIP Call-ID of the caller's INVITE. */
  call_id: string;
  caller_number: string;
  caller_name: string | null;
  caller_extension_id: string | null;
  callee: string;
  callee_extension_id: string | null;
  answered_by: string | null;
  /** JSON of CallRecordLeg[]. */
  legs: string;
  /** JSON of CallRecordHop[]. */
  hops: string;
  /** bigint: PostgreSQL returns it as a string, SQLite as a number. */
  started_at: number | string;
  answered_at: number | string | null;
  ended_at: number | string;
  disposition: string;
  ended_by: string;
  end_status: number;
  end_reason: string;
}

/** Table `call_record_numbers`: every number a call involved, one row per number, for the extension filter. */
export interface CallRecordNumbersTable {
  call_record_id: string;
  tenant_id: string;
  number: string;
  /** The call's start (epoch ms), copied so the index serves the newest-first order. */
  started_at: number | string;
}

/** Table `idempotency_keys`: a create's idempotency key, its request fingerprint and the response to replay. */
export interface IdempotencyKeysTable {
  scope: string;
  key: string;
  /** SHA-256 of the request (method, path, body) the key was first used with. */
  fingerprint: string;
  /** HTTP status of the stored response; null while the first request is running. */
  status: number | null;
  /** The stored response body (JSON text, secrets removed); null while running. */
  body: string | null;
  created_at: string;
}

/** Table `security_blocks`: brute-force blocks of SIP authentication, to list, lift and keep across restarts. */
export interface SecurityBlocksTable {
  id: string;
  /** `source`, `source-extension` or `extension`. */
  scope: string;
  /** Source key: IPv4 address or IPv6 /64. */
  source: string;
  realm: string;
  username: string;
  tenant_id: string | null;
  failures: number;
  since: string;
  until: string;
}

/** The whole schema as Kysely sees it. */
export interface Database {
  tenants: TenantsTable;
  numbers: NumbersTable;
  extensions: ExtensionsTable;
  price_list: PriceListTable;
  quotes: QuotesTable;
  ledger_entries: LedgerEntriesTable;
  api_tokens: ApiTokensTable;
  admins: AdminsTable;
  sessions: SessionsTable;
  call_records: CallRecordsTable;
  call_record_numbers: CallRecordNumbersTable;
  idempotency_keys: IdempotencyKeysTable;
  security_blocks: SecurityBlocksTable;
}

/** A row of `security_blocks`. */
export type SecurityBlockRow = Selectable<SecurityBlocksTable>;
/** A row of `idempotency_keys`. */
export type IdempotencyKeyRow = Selectable<IdempotencyKeysTable>;
/** A row of `tenants`. */
export type TenantRow = Selectable<TenantsTable>;
/** A row of `numbers`. */
export type NumberRow = Selectable<NumbersTable>;
/** A row of `extensions`. */
export type ExtensionRow = Selectable<ExtensionsTable>;
/** A row of `price_list`. */
export type PriceListRow = Selectable<PriceListTable>;
/** A row of `quotes`. */
export type QuoteRow = Selectable<QuotesTable>;
/** A row of `ledger_entries`. */
export type LedgerEntryRow = Selectable<LedgerEntriesTable>;
/** A row of `api_tokens`. */
export type ApiTokenRow = Selectable<ApiTokensTable>;
/** A row of `admins`. */
export type AdminRow = Selectable<AdminsTable>;
/** A row of `sessions`. */
export type SessionRow = Selectable<SessionsTable>;
/** A row of `call_records`. */
export type CallRecordRow = Selectable<CallRecordsTable>;
/** A row of `call_record_numbers`. */
export type CallRecordNumberRow = Selectable<CallRecordNumbersTable>;
