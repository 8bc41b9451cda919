/**
 * CRLF keep-alives (RFC 5626 §3.5.1, §4.4.1): on a connection-oriented flow the client sends a
 * double CRLF "ping" and the server answers with a single CRLF "pong". Outside of a message such
 * bytes are not SIP, so the transport consumes them instead of passing them up.
 */

/** The CRLF "pong" (RFC 5626 §3.5.1). */
export const CRLF_PONG: Buffer = Buffer.from('\r\n');

/** What a run of bytes outside any message is, keep-alive wise. */
export type KeepAliveKind = 'ping' | 'pong';

/**
 * Classifies a whole datagram or WebSocket message: `ping` when it is only CR/LF and holds a double
 * CRLF, `pong` when it is only CR/LF otherwise (a lone CRLF, or an empty message), undefined when it
 * carries anything else (a SIP message to parse).
 */
export function keepAliveKind(data: Uint8Array): KeepAliveKind | undefined {
  for (const byte of data) {
    if (byte !== 0x0d && byte !== 0x0a) return undefined;
  }
  return Buffer.from(data.buffer, data.byteOffset, data.length).includes('\r\n\r\n') ? 'ping' : 'pong';
}
