/**
 * The public shape of SIP messages (RFC 3261 §7). This file is the contract between the message
 * module (parser/serializer/builders) and the layers above it (transport, transaction, auth,
 * registrar). Messages are immutable values: to change one, build a new one.
 */

/** Parameters of a URI, Via, name-addr or header: name (lower-cased) → value (null for a flag). */
export type Params = ReadonlyMap<string, string | null>;

/** A SIP, SIPS or other absolute URI (RFC 3261 §19.1). */
export interface SipUriValue {
  /** Lower-cased scheme: `sip`, `sips`, `tel`, … */
  readonly scheme: string;
  /** Unescaped user part, if any. */
  readonly user: string | undefined;
  /** Unescaped password part, if any. */
  readonly password: string | undefined;
  /** Host as written (IPv6 references keep their brackets), lower-cased for domain names. */
  readonly host: string;
  /** Port, if written. */
  readonly port: number | undefined;
  /** URI parameters (`;transport=tcp;lr`). */
  readonly params: Params;
  /** URI headers (`?subject=x`), unescaped. */
  readonly headers: ReadonlyMap<string, string>;
  /** For schemes other than sip/sips: everything after `scheme:` verbatim. */
  readonly opaque: string | undefined;
  /** Canonical text form. */
  toString(): string;
}

/** `name-addr` / `addr-spec` with header params, as in From, To, Contact, Route, Record-Route. */
export interface NameAddrValue {
  readonly displayName: string | undefined;
  readonly uri: SipUriValue;
  /** Header parameters after the address (`;tag=…`, `;expires=…`, `;q=…`, `;+sip.instance=…`). */
  readonly params: Params;
  toString(): string;
}

/** One Via entry (RFC 3261 §20.42). */
export interface ViaValue {
  /** `SIP/2.0` normally. */
  readonly protocol: string;
  /** Upper-cased transport token: UDP, TCP, TLS, WS, WSS, SCTP or unknown tokens. */
  readonly transport: string;
  readonly host: string;
  readonly port: number | undefined;
  readonly params: Params;
  /** The `branch` parameter, if any. */
  readonly branch: string | undefined;
  toString(): string;
}

/** CSeq (RFC 3261 §20.16). */
export interface CSeqValue {
  readonly seq: number;
  readonly method: string;
}

/** One header line as received (name as written, value with folding undone). */
export interface HeaderField {
  readonly name: string;
  readonly value: string;
}
