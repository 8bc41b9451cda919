import { isIP } from 'node:net';
import { attributeValue, parseRtcpAttribute } from './attributes.js';
import type { MediaDescription, SessionDescription } from './session-description.js';

/** Where the writer of an SDP wants to receive one stream's RTP and RTCP. */
export interface MediaAddress {
  readonly address: string;
  readonly family: 4 | 6;
  readonly rtpPort: number;
  readonly rtcpPort: number;
  /** RTCP's own address when a=rtcp names one (RFC 3605), else the RTP address. */
  readonly rtcpAddress: string;
}

/**
 * The receive address of a stream: the media-level c= or else the session-level one (RFC 4566
 * §5.7), the m= port, and RTCP at the a=rtcp port (RFC 3605 §2.1) or else "the next higher
 * (odd) port" (RFC 3550 §11). Undefined for a disabled stream (port 0), a missing or non-IP
 * connection, or an address that is not a literal IP (an FQDN would need DNS; not supported).
 */
export function mediaAddress(media: MediaDescription, session: SessionDescription): MediaAddress | undefined {
  if (media.port === 0) return undefined;
  const connection = media.connection ?? session.connection;
  if (!connection || connection.netType !== 'IN') return undefined;
  const address = connection.address.split('/')[0] ?? '';
  const family = isIP(address);
  if (family !== 4 && family !== 6) return undefined;
  let rtcpPort = media.port + 1;
  let rtcpAddress = address;
  const rtcp = attributeValue(media.attributes, 'rtcp');
  if (rtcp !== undefined) {
    const parsedRtcp = parseRtcpAttribute(rtcp);
    if (parsedRtcp) {
      rtcpPort = parsedRtcp.port;
      if (parsedRtcp.connection && isIP(parsedRtcp.connection.address) === family) rtcpAddress = parsedRtcp.connection.address;
    }
  }
  return { address, family, rtpPort: media.port, rtcpPort, rtcpAddress };
}

/** Whether an address is the unspecified address (0.0.0.0 or ::), which means "do not send here". */
export function isUnspecifiedAddress(address: string): boolean {
  return address === '0.0.0.0' || address === '::' || /^0+(:0+){0,7}(::)?$/.test(address);
}
