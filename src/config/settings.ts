import { applicationName, boolean, host, hostPerFamily, integerIn, nonEmpty, oneOf, port, portRange, postgresUrl, type Parser } from './parsers.js';

/**
 * How one setting is read. Every setting has a long flag and usually an environment variable;
 * the value is taken from the flag, else the environment, else the default (in that order).
 */
export interface SettingSpec<T> {
  /** Long flag without the dashes (`http-port` → `--http-port`). */
  readonly flag: string;
  /** Placeholder shown in `--help` (`<port>`); absent for an on/off switch given without a value. */
  readonly valueName?: string;
  /** Environment variable, if the setting can come from the environment. */
  readonly env?: string;
  /** Value when neither the flag nor the environment gives one. */
  readonly default: T;
  /** Turns the raw text into the value, or says what is wrong with it. */
  readonly parse: Parser<T>;
  /** Writes a value back as a user types it (the inverse of `parse`); needed when the value is not a string, number or boolean. */
  format?(value: T): string;
  /** One line for `--help` and docs/configuration.md. */
  readonly description: string;
  /** `common`: offered by every CLI command (where the data lives); `server`: only by `centrala start`. */
  readonly scope: 'common' | 'server';
}

/** Declares a setting; only exists so TypeScript infers the value type `T` from the spec. */
export function defineSetting<T>(spec: SettingSpec<T>): SettingSpec<T> {
  return spec;
}

/** `parser`, or `off`, `no`, `false`, `none` (and the `extraOffWords`) for "not at all" (undefined). */
function orOff<T>(parser: Parser<T>, extraOffWords: readonly string[] = []): Parser<T | undefined> {
  const off = ['off', 'no', 'false', 'none', ...extraOffWords];
  return (raw) => (off.includes(raw.trim().toLowerCase()) ? { ok: true, value: undefined } : parser(raw));
}

/** A port, or `off` (also `0`) for a listener that is not started. */
const portOrOff = orOff(port, ['0']);

/** Log levels understood by the logger (pino), quietest last. */
export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/** A log level name. */
export type LogLevel = (typeof LOG_LEVELS)[number];

/** How log lines are written: readable, JSON, or readable only on a terminal. */
export const LOG_FORMATS = ['auto', 'pretty', 'json'] as const;

/** A log format name. */
export type LogFormat = (typeof LOG_FORMATS)[number];

/**
 * Every setting of Centrala. Adding a setting is adding one entry here: the typed {@link Config},
 * the CLI flags of `centrala start`, the environment lookup and validation all derive from it.
 * Keep docs/configuration.md in step (a test compares them).
 */
export const SETTINGS = {
  dataDir: defineSetting({
    flag: 'data-dir',
    valueName: '<dir>',
    env: 'CENTRALA_DATA_DIR',
    default: './data',
    parse: nonEmpty,
    description: 'directory for the SQLite database and stored files (resolved against the working directory)',
    scope: 'common',
  }),
  databaseUrl: defineSetting<string | undefined>({
    flag: 'database-url',
    valueName: '<url>',
    env: 'DATABASE_URL',
    default: undefined,
    parse: postgresUrl,
    description: 'PostgreSQL URL; when unset the embedded SQLite database in the data directory is used',
    scope: 'common',
  }),
  databasePoolSize: defineSetting({
    flag: 'database-pool-size',
    valueName: '<connections>',
    env: 'CENTRALA_DATABASE_POOL_SIZE',
    default: 10,
    parse: integerIn(1, 1000),
    description: 'PostgreSQL: most connections open at once',
    scope: 'server',
  }),
  databaseAcquireTimeout: defineSetting({
    flag: 'database-acquire-timeout',
    valueName: '<ms>',
    env: 'CENTRALA_DATABASE_ACQUIRE_TIMEOUT',
    default: 5000,
    parse: integerIn(100, 600_000),
    description: 'PostgreSQL: longest wait for a connection (from the pool or newly made) before a request gets a temporary failure',
    scope: 'server',
  }),
  databaseStatementTimeout: defineSetting<number | undefined>({
    flag: 'database-statement-timeout',
    valueName: '<ms|off>',
    env: 'CENTRALA_DATABASE_STATEMENT_TIMEOUT',
    default: 30_000,
    parse: orOff(integerIn(100, 86_400_000), ['0']),
    description: 'PostgreSQL: statement_timeout of every connection (a longer statement is cancelled: temporary failure), or off',
    scope: 'server',
  }),
  databaseApplicationName: defineSetting({
    flag: 'database-application-name',
    valueName: '<name>',
    env: 'CENTRALA_DATABASE_APPLICATION_NAME',
    default: 'centrala',
    parse: applicationName,
    description: 'PostgreSQL: application_name of the connections (pg_stat_activity, server logs)',
    scope: 'server',
  }),
  httpHost: defineSetting({
    flag: 'http-host',
    valueName: '<address>',
    env: 'CENTRALA_HTTP_HOST',
    default: '0.0.0.0',
    parse: host,
    description: 'address the HTTP API listens on (0.0.0.0: every IPv4 interface)',
    scope: 'server',
  }),
  httpPort: defineSetting({
    flag: 'http-port',
    valueName: '<port>',
    env: 'CENTRALA_HTTP_PORT',
    default: 8080,
    parse: port,
    description: 'TCP port of the HTTP API, the API docs and /healthz',
    scope: 'server',
  }),
  trustProxy: defineSetting({
    flag: 'trust-proxy',
    env: 'CENTRALA_TRUST_PROXY',
    default: false,
    parse: boolean,
    description: 'trust X-Forwarded-* from a reverse proxy (client address, https → Secure session cookies)',
    scope: 'server',
  }),
  logLevel: defineSetting<LogLevel>({
    flag: 'log-level',
    valueName: '<level>',
    env: 'CENTRALA_LOG_LEVEL',
    default: 'info',
    parse: oneOf(LOG_LEVELS),
    description: `log level: ${LOG_LEVELS.join(', ')}`,
    scope: 'common',
  }),
  logFormat: defineSetting<LogFormat>({
    flag: 'log-format',
    valueName: '<auto|pretty|json>',
    env: 'CENTRALA_LOG_FORMAT',
    default: 'auto',
    parse: oneOf(LOG_FORMATS),
    description: 'log lines on stderr: pretty (readable), json (one JSON object per line), auto (pretty when stderr is a terminal)',
    scope: 'common',
  }),
  sipHost: defineSetting<readonly string[]>({
    flag: 'sip-host',
    valueName: '<address[,address]>',
    env: 'CENTRALA_SIP_HOST',
    default: ['0.0.0.0'],
    parse: hostPerFamily,
    format: (hosts) => hosts.join(','),
    description: 'address the SIP listeners (UDP, TCP, TLS, WS) bind to, one per family; 0.0.0.0,:: serves IPv4 and IPv6',
    scope: 'server',
  }),
  sipPort: defineSetting({
    flag: 'sip-port',
    valueName: '<port>',
    env: 'CENTRALA_SIP_PORT',
    default: 5060,
    parse: port,
    description: 'SIP port for UDP and TCP',
    scope: 'server',
  }),
  sipTlsPort: defineSetting<number | undefined>({
    flag: 'sip-tls-port',
    valueName: '<port|off>',
    env: 'CENTRALA_SIP_TLS_PORT',
    default: 5061,
    parse: portOrOff,
    description: 'SIP over TLS port (a self-signed development certificate when --tls-cert/--tls-key are not set), or off',
    scope: 'server',
  }),
  sipWsPort: defineSetting<number | undefined>({
    flag: 'sip-ws-port',
    valueName: '<port|off>',
    env: 'CENTRALA_SIP_WS_PORT',
    default: 8088,
    parse: portOrOff,
    description: 'SIP over WebSocket port (RFC 7118; WSS when --tls-cert and --tls-key are set), or off',
    scope: 'server',
  }),
  sipPublicAddress: defineSetting<string | undefined>({
    flag: 'sip-public-address',
    valueName: '<address>',
    env: 'CENTRALA_SIP_PUBLIC_ADDRESS',
    default: undefined,
    parse: host,
    description: 'address put in Via/Contact/Record-Route instead of the bound one (NAT, DNS name)',
    scope: 'server',
  }),
  rtpPorts: defineSetting<{ readonly from: number; readonly to: number }>({
    flag: 'rtp-ports',
    valueName: '<from-to>',
    env: 'CENTRALA_RTP_PORTS',
    default: { from: 20000, to: 29999 },
    parse: portRange,
    format: (range) => `${range.from}-${range.to}`,
    description: 'UDP port range of the media relay (each call leg takes an even RTP port and the next odd one for RTCP)',
    scope: 'server',
  }),
  rtpTimeout: defineSetting({
    flag: 'rtp-timeout',
    valueName: '<seconds>',
    env: 'CENTRALA_RTP_TIMEOUT',
    default: 30,
    parse: integerIn(5, 3600),
    description: 'hang up an answered call when neither side has sent RTP for this long',
    scope: 'server',
  }),
  shutdownTimeout: defineSetting({
    flag: 'shutdown-timeout',
    valueName: '<seconds>',
    env: 'CENTRALA_SHUTDOWN_TIMEOUT',
    default: 5,
    parse: integerIn(0, 60),
    description: 'on SIGTERM/SIGINT, how long to wait for the phones to answer the BYE of every call before closing',
    scope: 'server',
  }),
  sipRateLimit: defineSetting<number | undefined>({
    flag: 'sip-rate-limit',
    valueName: '<messages/s|off>',
    env: 'CENTRALA_SIP_RATE_LIMIT',
    default: 200,
    parse: orOff(integerIn(1, 1_000_000)),
    description: 'flood protection: SIP messages accepted per second from one source address (bursts of twice that), or off',
    scope: 'server',
  }),
  sipMaxConnectionsPerSource: defineSetting({
    flag: 'sip-max-connections-per-source',
    valueName: '<count>',
    env: 'CENTRALA_SIP_MAX_CONNECTIONS_PER_SOURCE',
    default: 100,
    parse: integerIn(1, 100_000),
    description: 'TCP, TLS and WebSocket connections one source address (IPv6: one /64) may hold open; more are refused',
    scope: 'server',
  }),
  sipHeaderTimeout: defineSetting({
    flag: 'sip-header-timeout',
    valueName: '<seconds>',
    env: 'CENTRALA_SIP_HEADER_TIMEOUT',
    default: 5,
    parse: integerIn(1, 300),
    description: 'a TCP/TLS message (header section and body) not complete this long after its first byte closes the connection',
    scope: 'server',
  }),
  sipAuthTimeout: defineSetting({
    flag: 'sip-auth-timeout',
    valueName: '<seconds>',
    env: 'CENTRALA_SIP_AUTH_TIMEOUT',
    default: 60,
    parse: integerIn(5, 86_400),
    description: 'an inbound TCP/TLS/WebSocket connection is closed after this long unless its source authenticated or a registration uses it',
    scope: 'server',
  }),
  sipUnauthenticatedHeaderLimit: defineSetting({
    flag: 'sip-unauthenticated-header-limit',
    valueName: '<bytes>',
    env: 'CENTRALA_SIP_UNAUTHENTICATED_HEADER_LIMIT',
    default: 16_384,
    parse: integerIn(1024, 65_536),
    description: 'largest header section accepted from a source that has not authenticated (larger: 513); authenticated sources may send 64 KiB',
    scope: 'server',
  }),
  tlsCert: defineSetting<string | undefined>({
    flag: 'tls-cert',
    valueName: '<file>',
    env: 'CENTRALA_TLS_CERT',
    default: undefined,
    parse: nonEmpty,
    description: 'PEM certificate chain for SIP over TLS and WSS',
    scope: 'server',
  }),
  tlsKey: defineSetting<string | undefined>({
    flag: 'tls-key',
    valueName: '<file>',
    env: 'CENTRALA_TLS_KEY',
    default: undefined,
    parse: nonEmpty,
    description: 'PEM private key for SIP over TLS and WSS',
    scope: 'server',
  }),
};

/** Name of a setting (a key of {@link Config}). */
export type SettingName = keyof typeof SETTINGS;

type ValueOf<S> = S extends SettingSpec<infer T> ? T : never;

/** The validated configuration: one typed, frozen object built once by `loadConfig`. */
export type Config = { readonly [K in SettingName]: ValueOf<(typeof SETTINGS)[K]> };
