/**
 * Interfaces the PBX needs from outside. The store (and later notify/) implements them; `main.ts`
 * wires the implementations in. The PBX never imports store or api directly (STYLE.md, layout).
 */
import type { ForwardTarget, InternalCallerId, Language } from '../domain/index.js';
import type { Block } from '../lib/index.js';

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

/** Transport token of a registration's flow, as in Via. */
export type BindingTransport = 'udp' | 'tcp' | 'tls' | 'ws' | 'wss';

/**
 * One registered contact of an address-of-record (RFC 3261 §10.3), as persisted. Plain data, so that
 * the store can implement {@link LocationStore} without importing the PBX.
 */
export interface BindingRecord {
  /** Random id of the binding. */
  readonly id: string;
  readonly tenantId: string;
  readonly extensionId: string;
  /** Canonical AOR `sip:<number>@<domain>` (lower-case domain). */
  readonly aor: string;
  /** The Contact URI exactly as the device gave it. */
  readonly contactUri: string;
  /** Absolute expiry, ms since the epoch. */
  readonly expiresAt: number;
  /** q-value 0..1 (RFC 3261 §20.10); 1 when the device gave none. */
  readonly q: number;
  /** Call-ID and CSeq of the REGISTER that last refreshed it (§10.3 step 7). */
  readonly callId: string;
  readonly cseq: number;
  /** `+sip.instance` contact parameter without quotes (RFC 5626 §4.1), if any. */
  readonly instanceId: string | undefined;
  /** `reg-id` contact parameter (RFC 5626), if any. */
  readonly regId: number | undefined;
  /** Path header values of the REGISTER (RFC 3327), in order. */
  readonly path: readonly string[];
  /** User-Agent header of the REGISTER, if any. */
  readonly userAgent: string | undefined;
  /** Transport, address and port the REGISTER came from (what NAT shows us). */
  readonly sourceTransport: BindingTransport;
  readonly sourceAddress: string;
  readonly sourcePort: number;
  /** Connection the REGISTER came over (stream transports), used to reach the device back. */
  readonly connectionId: string | undefined;
  /** When the binding was first created and last refreshed, ms since the epoch. */
  readonly createdAt: number;
  readonly updatedAt: number;
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

/**
 * The call settings of one extension, as the call features need them (SPEC 2.2–2.4). Plain data
 * built from the extension's settings by the store/services side.
 */
export interface ExtensionCallSettings {
  readonly tenantId: string;
  /** Extension id (stable, not the number). */
  readonly extensionId: string;
  /** Extension number (2–6 digits). */
  readonly number: string;
  /** Account name: the display name colleagues see on internal calls. */
  readonly name: string;
  /** The tenant's SIP domain (lower case), for URIs in Diversion / History-Info. */
  readonly sipDomain: string;
  /** The tenant's language: the announcements the extension hears. */
  readonly language: Language;
  /** What colleagues see as the caller's number on internal calls. */
  readonly internalCallerId: InternalCallerId;
  /** Seconds to ring before the call counts as "no answer" (5–300). */
  readonly ringTimeSeconds: number;
  /** Call waiting on: a second call to a busy extension rings it. */
  readonly callWaiting: boolean;
  /** Fax extension: call waiting is suppressed while it is on a call (SPEC 2.5). */
  readonly fax: boolean;
  /** Voicemail box enabled (SPEC 2.3). */
  readonly voicemailEnabled: boolean;
  /** Forwarding conditions (SPEC 2.4). */
  readonly forwarding: {
    readonly noAnswer: ForwardTarget;
    readonly busy: ForwardTarget;
    readonly unavailable: ForwardTarget;
    /** Seconds the forward target may ring before the call returns; null = no limit. */
    readonly returnAfterSeconds: number | null;
    /** An external forward target must press 1 to accept. */
    readonly confirmExternal: boolean;
  };
}

/** Looks up the call settings of extensions by tenant and number. */
export interface CallDirectory {
  /** The extension `number` of tenant `tenantId`, or undefined when there is none. */
  findCallSettings(tenantId: string, number: string): Promise<ExtensionCallSettings | undefined>;
}

/** Final disposition of a call in the call history. */
export type CallDisposition = 'answered' | 'no-answer' | 'busy' | 'unavailable' | 'failed' | 'cancelled';

/**
 * Which side ended an answered call, or what ended an unanswered one: `operator` / `admin` when the platform operator
 * or the tenant's admin hung it up through the live-calls API.
 */
export type CallEndedBy = 'caller' | 'callee' | 'system' | 'operator' | 'admin';

/** One outgoing leg (one device rung, or one forward target) of a call. */
export interface CallLegRecord {
  /** Extension number the leg belongs to (the forward target for forwarded legs), or an E.164 number. */
  readonly target: string;
  /** Contact URI of the device rung (empty for legs that never reached a device). */
  readonly contact: string;
  /** Call-ID of this leg's INVITE. */
  readonly callId: string;
  readonly answered: boolean;
  /** Final SIP status of the leg (200 when answered, 487 when cancelled…); null when none arrived. */
  readonly finalStatus: number | null;
}

/** One forward hop of a call (SPEC 2.4), in order. */
export interface CallHopRecord {
  /** Extension number that forwarded. */
  readonly from: string;
  /** Where to: an extension number, `voicemail:<number>`, or an E.164 number. */
  readonly to: string;
  readonly reason: 'noAnswer' | 'busy' | 'unavailable' | 'returnAfter';
}

/** One call detail record: one per call, written once when the call ends (SPEC 3, call history). */
export interface CallDetailRecord {
  /** Random id (uuid). */
  readonly id: string;
  readonly tenantId: string;
  /** Call-ID of the caller's INVITE. */
  readonly callId: string;
  /** The caller's number: its extension number, or the number it presented when it is not an extension. */
  readonly callerNumber: string;
  /** The caller's account name (display name), if known. */
  readonly callerName: string | null;
  /** Extension id of the caller, if an extension. */
  readonly callerExtensionId: string | null;
  /** The number dialled. */
  readonly callee: string;
  /** Extension id of the dialled extension, if one. */
  readonly calleeExtensionId: string | null;
  /** The extension number that finally answered, if any (after forwarding it differs from callee). */
  readonly answeredBy: string | null;
  readonly legs: readonly CallLegRecord[];
  readonly hops: readonly CallHopRecord[];
  /** Times, ms since the epoch. */
  readonly startedAt: number;
  readonly answeredAt: number | null;
  readonly endedAt: number;
  readonly disposition: CallDisposition;
  /** Who ended it. */
  readonly endedBy: CallEndedBy;
  /** SIP status that ended it (the final response to the caller, or 200 for a normal BYE). */
  readonly endStatus: number;
  /** Short text of why it ended ("caller hung up", "486 Busy Here", "return after: no answer"…). */
  readonly endReason: string;
}

/** Where the PBX writes call detail records. Must not throw for a well-formed record. */
export interface CdrSink {
  /** Persists one record (idempotent on `id`). */
  write(record: CallDetailRecord): Promise<void>;
}
