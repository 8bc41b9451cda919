/*
 * The SDP data model (RFC 4566 §5), as immutable plain values. Every attribute is kept in order as
 * name/value, so attributes this module does not interpret (crypto, fingerprint, setup, ice-*,
 * ssrc, extmap …) survive a parse/serialize round trip untouched; typed readers live in
 * attributes.ts.
 *
 *   Session description            Media description (per m=)
 *     v=  (protocol version)         m=  (media name and transport address)
 *     o=  (originator, session id)   i=* (media title)
 *     s=  (session name)             c=* (connection information)
 *     i=* (session information)      b=* (bandwidth information)
 *     u=* (URI of description)       k=* (encryption key)
 *     e=* (email address)            a=* (media attribute lines)
 *     p=* (phone number)
 *     c=* (connection information)
 *     b=* (bandwidth information)
 *     t=  r=* (time, repeat times)
 *     z=* (time zone adjustments)
 *     k=* (encryption key)
 *     a=* (session attribute lines)
 */

/** o= (RFC 4566 §5.2): identifies the session and its version. */
export interface Origin {
  readonly username: string;
  readonly sessionId: string;
  /** Increases with every change (RFC 3264 §8); bigint because devices use NTP-sized numbers. */
  readonly sessionVersion: bigint;
  readonly netType: string;
  readonly addrType: string;
  readonly address: string;
}

/** c= (RFC 4566 §5.7). `address` is kept as written, including any /ttl or /count suffix. */
export interface Connection {
  readonly netType: string;
  readonly addrType: string;
  readonly address: string;
}

/** b= (RFC 4566 §5.8), e.g. AS:64 or TIAS:64000. */
export interface Bandwidth {
  readonly type: string;
  readonly value: number;
}

/** t= with its r= lines (RFC 4566 §5.9, §5.10). */
export interface Timing {
  readonly start: number;
  readonly stop: number;
  /** r= line values, as written. */
  readonly repeats: readonly string[];
}

/** a= (RFC 4566 §5.13): a property attribute (`a=sendrecv`, value undefined) or a value attribute (`a=ptime:20`). */
export interface Attribute {
  readonly name: string;
  readonly value: string | undefined;
}

/** One m= section. */
export interface MediaDescription {
  /** audio, video, text, application, message, image … */
  readonly type: string;
  /** Transport port; 0 marks a rejected or disabled stream (RFC 3264 §6). */
  readonly port: number;
  /** The /<number of ports> suffix, if written. */
  readonly portCount: number | undefined;
  /** Transport protocol: RTP/AVP, RTP/SAVP, UDP/TLS/RTP/SAVPF, udptl … */
  readonly protocol: string;
  /** Formats: RTP payload type numbers for RTP profiles. */
  readonly formats: readonly string[];
  readonly information: string | undefined;
  readonly connection: Connection | undefined;
  readonly bandwidths: readonly Bandwidth[];
  readonly encryptionKey: string | undefined;
  readonly attributes: readonly Attribute[];
}

/** A whole session description. */
export interface SessionDescription {
  readonly version: number;
  readonly origin: Origin;
  readonly sessionName: string;
  readonly information: string | undefined;
  readonly uri: string | undefined;
  readonly emails: readonly string[];
  readonly phones: readonly string[];
  readonly connection: Connection | undefined;
  readonly bandwidths: readonly Bandwidth[];
  readonly timings: readonly Timing[];
  /** z= value, as written. */
  readonly timeZones: string | undefined;
  readonly encryptionKey: string | undefined;
  readonly attributes: readonly Attribute[];
  readonly media: readonly MediaDescription[];
}
