import { ipFamily } from './address.js';
import type { ListenAddress, ListenConfig, TlsCredentials } from './types.js';

/** RFC 3261 §19.1.2 default ports. */
export const DEFAULT_SIP_PORT = 5060;
/** Default port of SIP over TLS (RFC 3261 §19.1.2, sips). */
export const DEFAULT_SIP_TLS_PORT = 5061;

/** The operator-facing SIP listen settings (--sip-host, --sip-port, --sip-tls-port, --sip-ws-port …). */
export interface SipListenSettings {
  /** Bind addresses; `['0.0.0.0', '::']` serves IPv4 and IPv6 on every interface. */
  readonly hosts: readonly string[];
  /** UDP and TCP port. */
  readonly port: number;
  /** TLS port; needs `tls`. Undefined: no TLS listener. */
  readonly tlsPort?: number;
  /** Plain WebSocket port. Undefined: none. */
  readonly wsPort?: number;
  /** Secure WebSocket port; needs `tls`. Undefined: none. */
  readonly wssPort?: number;
  /** Certificate and key for TLS and WSS (see `ensureDevCertificate` for development). */
  readonly tls?: TlsCredentials;
  /** Public address or DNS name to advertise in Via/Contact/Record-Route (NAT). */
  readonly advertise?: string;
}

/**
 * Turns the operator's settings into a {@link ListenConfig}: every transport on every host. When
 * IPv4 hosts are listed too, IPv6 hosts are optional, so a machine without IPv6 still starts.
 * Throws when TLS or WSS is asked for without credentials.
 */
export function buildListenConfig(settings: SipListenSettings): ListenConfig {
  const hasV4 = settings.hosts.some((h) => ipFamily(h) === 4);
  const at = (port: number): ListenAddress[] =>
    settings.hosts.map((host) => ({
      host,
      port,
      ...(settings.advertise !== undefined ? { advertise: settings.advertise } : {}),
      ...(hasV4 && ipFamily(host) === 6 ? { optional: true } : {}),
    }));
  const secure = (port: number | undefined, what: string) => {
    if (port === undefined) return [];
    if (!settings.tls) throw new Error(`${what} port ${port} needs a TLS certificate and key`);
    const { cert, key } = settings.tls;
    return at(port).map((a) => ({ ...a, cert, key }));
  };
  return {
    udp: at(settings.port),
    tcp: at(settings.port),
    tls: secure(settings.tlsPort, 'TLS'),
    ws: settings.wsPort === undefined ? [] : at(settings.wsPort),
    wss: secure(settings.wssPort, 'WSS'),
  };
}
