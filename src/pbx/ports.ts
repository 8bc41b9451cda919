/**
 * Interfaces the PBX needs from outside. The store (and later notify/) implements them; `main.ts`
 * wires the implementations in. The PBX never imports store or api directly (STYLE.md, layout).
 */
import type { BindingRecord, CallDetailRecord, ExtensionCallSettings } from '../domain/index.js';
import type { Block } from '../lib/index.js';

// The records these ports carry live in domain/, shared with the store and services that implement them.
export type {
  BindingRecord,
  BindingTransport,
  CallDetailRecord,
  CallDisposition,
  CallEndedBy,
  CallHopRecord,
  CallLegRecord,
  ExtensionCallSettings,
} from '../domain/index.js';

/** The credentials of one extension as the registrar needs them for digest auth (SPEC 2.1). */
export interface AuthExtension {
  /** Tenant that owns the extension. */
  readonly tenantId: string;
  /** Extension id (stable, not the number). */
  readonly extensionId: string;
  /** Extension number: the user part of the AOR and the digest username. */
  readonly number: string;
  /** The tenant's SIP domain, which is also the digest realm. */
  readonly sipDomain: string;
  /** HA1 = H(number ":" realm ":" password) with MD5, lower-case hex (RFC 2617). */
  readonly ha1Md5: string;
  /** HA1 with SHA-256, lower-case hex (RFC 7616 / RFC 8760). */
  readonly ha1Sha256: string;
}

/** Looks extensions up by their SIP identity. */
export interface ExtensionDirectory {
  /**
   * The extension `number` of the tenant whose SIP domain is `sipDomain` (case-insensitive), or
   * undefined when either does not exist. Callers must not reveal which of the two was missing.
   */
  findForAuth(sipDomain: string, number: string): Promise<AuthExtension | undefined>;
  /** True when `sipDomain` is some tenant's SIP domain (case-insensitive). */
  hasDomain(sipDomain: string): Promise<boolean>;
}

/**
 * Durable storage of registrations. The registrar keeps an in-memory index and writes through to
 * this store before it answers 200, so a restart keeps every binding the device was told about.
 */
export interface LocationStore {
  /** Every binding with `expiresAt > now`. */
  loadActive(now: number): Promise<BindingRecord[]>;
  /** Atomically replaces all bindings of `aor` with `bindings` (empty = remove all). */
  replaceAor(aor: string, bindings: readonly BindingRecord[]): Promise<void>;
  /** Deletes bindings with `expiresAt <= now`; returns how many. */
  deleteExpired(now: number): Promise<number>;
}

/**
 * Where the brute-force blocks of SIP authentication are kept, so that the operator can list and lift them (API,
 * CLI, another process) and a restart keeps them. Never on the per-packet path: written when a block starts,
 * read at start and by a periodic resync.
 */
export interface BlockStore {
  /** Stores a block that just started (idempotent on its id). */
  record(block: Block): Promise<void>;
  /** Every block in force. */
  loadActive(): Promise<Block[]>;
  /** Of `ids`, those still stored: the others were lifted elsewhere. */
  stored(ids: readonly string[]): Promise<ReadonlySet<string>>;
  /** Deletes ended blocks. */
  purgeEnded(): Promise<void>;
}

/** Looks up the call settings of extensions by tenant and number. */
export interface CallDirectory {
  /** The extension `number` of tenant `tenantId`, or undefined when there is none. */
  findCallSettings(tenantId: string, number: string): Promise<ExtensionCallSettings | undefined>;
}

/** Where the PBX writes call detail records. Must not throw for a well-formed record. */
export interface CdrSink {
  /** Persists one record (idempotent on `id`). */
  write(record: CallDetailRecord): Promise<void>;
}
