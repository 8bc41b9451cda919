import { isIP } from 'node:net';
import { isUnspecifiedAddress } from './media-address.js';
import type { Connection, MediaDescription, SessionDescription } from './session-description.js';

/** The relay's side of a rewrite: its address and the RTP port of each m= line. */
export interface RelayTransport {
  /** IPv4 or IPv6 literal written in c=. */
  readonly address: string;
  /** RTP port for the m= line at `index`; undefined disables that stream (port 0). RTCP is at port + 1. */
  readonly rtpPort: (index: number) => number | undefined;
}

/**
 * Rewrites an SDP so that media flows through the relay: the session-level c= becomes the relay's
 * address, media-level c= lines are removed, each active m= line gets the relay's port, and a=rtcp
 * lines (RFC 3605, the device's RTCP address) are dropped because the relay's RTCP is always at
 * RTP + 1, the default. A stream the author holds with c=0.0.0.0 (RFC 2543 hold, RFC 3264 §8.4)
 * keeps a media-level c=0.0.0.0 so that the hold reaches the other party. The o= line is left to
 * {@link SdpOriginKeeper}.
 */
export function rewriteTransport(sdp: SessionDescription, relay: RelayTransport): SessionDescription {
  const family = isIP(relay.address);
  if (family === 0) throw new TypeError(`relay address ${relay.address} is not an IP literal`);
  const connection: Connection = { netType: 'IN', addrType: family === 6 ? 'IP6' : 'IP4', address: relay.address };
  const media = sdp.media.map((m, index): MediaDescription => {
    const port = m.port === 0 ? undefined : relay.rtpPort(index);
    if (port === undefined) return { ...m, port: 0, portCount: undefined, connection: undefined };
    const written = m.connection ?? sdp.connection;
    const held = written !== undefined && isUnspecifiedAddress(written.address.split('/')[0] ?? '');
    return {
      ...m,
      port,
      portCount: undefined,
      connection: held ? written : undefined,
      attributes: m.attributes.filter((a) => a.name !== 'rtcp'),
    };
  });
  return { ...sdp, connection, media };
}
