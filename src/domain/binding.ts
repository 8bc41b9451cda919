/** Every transport a registration's flow may use. */
export const BINDING_TRANSPORTS = ['udp', 'tcp', 'tls', 'ws', 'wss'] as const;

/** Transport token of a registration's flow, as in Via. */
export type BindingTransport = (typeof BINDING_TRANSPORTS)[number];

/** True when `value` is a {@link BindingTransport}. */
export function isBindingTransport(value: string): value is BindingTransport {
  return (BINDING_TRANSPORTS as readonly string[]).includes(value);
}

/**
 * One registered contact of an address-of-record (RFC 3261 §10.3), as persisted: the PBX's registrar keeps it,
 * the store persists it (the PBX's LocationStore port), services show it.
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
