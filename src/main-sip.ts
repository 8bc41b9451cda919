// Composition root, SIP part (split from main.ts to keep that file small): transport → stack →
// digest auth → registrar/location service over the store. Like main.ts it may import every folder.
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { join } from 'node:path';
import { describeSetting, type Config, type SettingName } from './config/index.js';
import { SystemClock, type Clock, type Logger } from './lib/index.js';
import { MediaEngine, type LegInterface } from './media/index.js';
import {
  BlockKeeper,
  CallEngine,
  CdrQueue,
  DEFAULT_REGISTRAR_POLICY,
  FlowTracker,
  LocationService,
  Registrar,
  createSipRegistrarAuthenticator,
  type CdrSink,
  type ExtensionDirectory,
  type LocationStore,
  type BlockStore,
} from './pbx/index.js';
import type { OpenedServices } from './services/index.js';
import {
  DigestAuthenticator,
  SipStack,
  TransportError,
  TransportLayer,
  ensureDevCertificate,
  type ListenAddress,
  type ListenConfig,
  type TlsCredentials,
  type TransportProtocol,
} from './sip/index.js';
import { createCallRecordRepository, createRegistrationRepository } from './store/index.js';

/** The running SIP side. */
export interface RunningSip {
  readonly stack: SipStack;
  readonly transport: TransportLayer;
  readonly location: LocationService;
  readonly calls: CallEngine;
  readonly media: MediaEngine;
  /**
   * Stops SIP: new INVITEs get 503, every call ends with BYE on both legs (waiting up to --shutdown-timeout for the
   * phones' answers), pending registration writes finish, then sockets close. Idempotent.
   */
  stop(): Promise<void>;
}

/** CDRs kept in memory while the store is unavailable (about 1 KB each), and how often they are retried. */
const CDR_QUEUE = { limit: 10_000, retryIntervalMs: 5000 } as const;

/** File in the data directory holding the nonce secret, so nonces stay valid across restarts. */
export const NONCE_SECRET_FILE = 'sip-nonce-secret';

function nonceSecret(dataDir: string): Buffer {
  const file = join(dataDir, NONCE_SECRET_FILE);
  if (existsSync(file)) {
    const secret = Buffer.from(readFileSync(file, 'utf8').trim(), 'hex');
    if (secret.length >= 16) return secret;
  }
  const secret = randomBytes(32);
  writeFileSync(file, secret.toString('hex'), { mode: 0o600 });
  return secret;
}

/**
 * Listeners from the configuration. SIP over TLS uses the configured certificate, or else a
 * self-signed development certificate kept in `<dataDir>/tls/` (phones must be told to accept it).
 * WebSocket is WSS only with a configured certificate: browsers would refuse the development one.
 */
async function listenConfig(config: Config, logger: Logger): Promise<ListenConfig> {
  const advertise = config.sipPublicAddress ? { advertise: config.sipPublicAddress } : {};
  /** One listener per `--sip-host` address on `port`. */
  const on = (port: number): ListenAddress[] => config.sipHost.map((host) => ({ host, port, ...advertise }));
  const configured: TlsCredentials | undefined =
    config.tlsCert !== undefined && config.tlsKey !== undefined
      ? { cert: readFileSync(config.tlsCert), key: readFileSync(config.tlsKey) }
      : undefined;
  let tls = configured;
  if (!tls && config.sipTlsPort !== undefined) {
    const dev = await ensureDevCertificate(config.dataDir);
    tls = { cert: dev.cert, key: dev.key };
    logger.warn({ dir: join(config.dataDir, 'tls') }, 'no --tls-cert/--tls-key: SIP over TLS uses a self-signed development certificate');
  }
  return {
    udp: on(config.sipPort),
    tcp: on(config.sipPort),
    ...(tls && config.sipTlsPort !== undefined ? { tls: on(config.sipTlsPort).map((a) => ({ ...a, ...tls })) } : {}),
    ...(config.sipWsPort !== undefined
      ? configured
        ? { wss: on(config.sipWsPort).map((a) => ({ ...a, ...configured })) }
        : { ws: on(config.sipWsPort) }
      : {}),
  };
}

/** The `errno` code of a system error (EADDRINUSE …), or ''. */
export function errorCode(err: unknown): string {
  return typeof err === 'object' && err !== null && 'code' in err ? String(err.code) : '';
}

/** `host:port`, an IPv6 host in brackets. */
export function formatHostPort(host: string, port: number): string {
  return `${isIP(host) === 6 ? `[${host}]` : host}:${port}`;
}

/** Why a socket could not listen, in words (EADDRINUSE, EACCES, EADDRNOTAVAIL; else the error's own message). */
export function listenReason(err: unknown): string {
  switch (errorCode(err)) {
    case 'EADDRINUSE':
      return 'the address is already in use';
    case 'EACCES':
      return 'permission denied (ports below 1024 need privileges)';
    case 'EADDRNOTAVAIL':
      return 'no interface has this address';
    default:
      return err instanceof Error ? err.message : String(err);
  }
}

/** The port setting behind each SIP listener. */
const PORT_SETTING: Record<TransportProtocol, SettingName> = { udp: 'sipPort', tcp: 'sipPort', tls: 'sipTlsPort', ws: 'sipWsPort', wss: 'sipWsPort' };

/** A SIP listener that could not be bound, as one line naming the setting the way it was given. */
function sipListenError(config: Config, err: unknown): unknown {
  if (!(err instanceof TransportError) || err.listener === undefined) return err;
  const { protocol, host, port } = err.listener;
  const setting = errorCode(err.cause) === 'EADDRNOTAVAIL' ? 'sipHost' : PORT_SETTING[protocol];
  return new Error(`cannot listen on SIP ${protocol.toUpperCase()} ${formatHostPort(host, port)} (${describeSetting(config, setting)}): ${listenReason(err.cause)}`, {
    cause: err,
  });
}

/** Where media of one address family binds, and the address SDP advertises for it. */
function mediaInterfaceOn(host: string, config: Config, transport: TransportLayer, anyPublicIp: boolean): LegInterface {
  const bindAll = isIP(host) === 0 || host === '0.0.0.0' || host === '::';
  const address = isIP(host) === 0 ? '0.0.0.0' : host;
  const family = isIP(address) === 6 ? 6 : 4;
  const publicFamily = config.sipPublicAddress !== undefined ? isIP(config.sipPublicAddress) : 0;
  const publicIp = publicFamily === family || (anyPublicIp && publicFamily !== 0) ? config.sipPublicAddress : undefined;
  const advertisedAddress = publicIp ?? (bindAll ? transport.localAddress('udp', family).address : undefined);
  return { address, ...(advertisedAddress !== undefined ? { advertisedAddress } : {}) };
}

/**
 * The media relay. RTP binds where SIP does: by default to the first IPv4 address (or host name) of
 * `--sip-host`, else its first address, and SDP advertises the public address when it is an IP, else the
 * address SIP advertises (for a wildcard bind: the first external interface of that family). On a dual-stack
 * `--sip-host` (e.g. `0.0.0.0,::`) the legs of IPv6 devices bind to its first IPv6 address instead.
 */
function createMedia(
  config: Config,
  transport: TransportLayer,
  clock: Clock,
  logger: Logger,
): { engine: MediaEngine; mediaInterface: ((family: 4 | 6) => LegInterface | undefined) | undefined } {
  const host = config.sipHost.find((h) => isIP(h) !== 6) ?? config.sipHost[0] ?? '0.0.0.0';
  const main = mediaInterfaceOn(host, config, transport, true);
  const mainFamily = isIP(main.address ?? '') === 6 ? 6 : 4;
  const v6Host = config.sipHost.find((h) => isIP(h) === 6);
  const v6 = mainFamily === 4 && v6Host !== undefined ? mediaInterfaceOn(v6Host, config, transport, false) : undefined;
  const engine = new MediaEngine({
    ...main,
    portRange: { min: config.rtpPorts.from, max: config.rtpPorts.to },
    rtpTimeoutSeconds: config.rtpTimeout,
    clock,
    logger,
  });
  // Only a dual-stack server picks interfaces per device family (the call engine then looks at the callee's devices).
  return { engine, mediaInterface: v6 ? (family) => (family === 6 ? v6 : undefined) : undefined };
}

/** Starts the SIP transport, stack and registrar; on failure closes what it opened. */
export async function startSip(
  config: Config,
  opened: OpenedServices,
  logger: Logger,
  clock: Clock = new SystemClock(),
): Promise<RunningSip> {
  const registrations = createRegistrationRepository(opened.db);
  const store: LocationStore = registrations;
  // Calls end whether or not the store answers: their CDRs wait in memory and are written when it is back.
  const cdrStore: CdrSink = createCallRecordRepository(opened.db);
  const cdr = new CdrQueue({ sink: cdrStore, clock, logger: logger.child({ category: 'pbx.cdr' }), ...CDR_QUEUE });
  const stopFlushing = opened.db.health.events.on('up', () => void cdr.flush());
  const directory: ExtensionDirectory = {
    async findForAuth(sipDomain, number) {
      const found = await opened.services.directory.findExtensionForAuth(sipDomain.toLowerCase(), number);
      return found ? { ...found, number, sipDomain: sipDomain.toLowerCase() } : undefined;
    },
    hasDomain: (sipDomain) => registrations.hasSipDomain(sipDomain),
  };

  const transport = new TransportLayer({
    clock,
    logger: logger.child({ category: 'sip.transport' }),
    maxConnectionsPerSource: config.sipMaxConnectionsPerSource,
    messageTimeoutMs: config.sipHeaderTimeout * 1000,
    authTimeoutMs: config.sipAuthTimeout * 1000,
    maxUnauthenticatedHeaderSize: config.sipUnauthenticatedHeaderLimit,
  });
  const stack = new SipStack({
    transport,
    clock,
    logger,
    ...(config.sipRateLimit !== undefined ? { rateLimit: { perSecond: config.sipRateLimit, burst: 2 * config.sipRateLimit } } : {}),
  });
  const location = new LocationService({ store, clock, logger: logger.child({ category: 'pbx.registrar' }), policy: DEFAULT_REGISTRAR_POLICY });
  const flows = new FlowTracker(location, stack);
  transport.on('connectionClosed', (id) => {
    flows.connectionClosed(id).catch((err: unknown) => logger.error({ err }, 'could not drop the bindings of a closed connection'));
  });
  const digest = new DigestAuthenticator({
    secret: nonceSecret(config.dataDir),
    clock,
    logger: logger.child({ category: 'sip.auth' }),
    onAuthenticated: (source) => transport.markAuthenticated(source),
  });
  const blockService = opened.services.securityBlocks;
  const blockStore: BlockStore = {
    record: (block) => blockService.record({ ...block, since: new Date(block.since), until: new Date(block.until) }),
    loadActive: async () =>
      (await blockService.active()).map((b) => ({ ...b, since: b.since.getTime(), until: b.until.getTime() })),
    stored: (ids) => blockService.stored(ids),
    purgeEnded: () => blockService.purgeEnded(),
  };
  const blocks = new BlockKeeper({ tracker: digest.failures, store: blockStore, clock, logger: logger.child({ category: 'sip.auth' }) });
  // A lift through the API of this process takes effect at once; lifts elsewhere arrive with the resync.
  const offLifted = blockService.events.on('lifted', (lifted) => blocks.lifted(lifted.map((b) => b.id)));
  const registrar = new Registrar({
    directory,
    authenticator: createSipRegistrarAuthenticator(digest),
    location,
    policy: DEFAULT_REGISTRAR_POLICY,
    clock,
    logger: logger.child({ category: 'pbx.registrar' }),
    connectionOpen: (id) => stack.hasConnection(id),
  });
  stack.onRequest('REGISTER', (ctx) => registrar.handle(ctx));
  let media: MediaEngine;
  let mediaInterface: ((family: 4 | 6) => LegInterface | undefined) | undefined;
  try {
    await location.start();
    await blocks.start();
    await transport.listen(await listenConfig(config, logger)).catch((err: unknown) => {
      throw sipListenError(config, err);
    });
    ({ engine: media, mediaInterface } = createMedia(config, transport, clock, logger));
  } catch (err) {
    stack.close();
    offLifted();
    await blocks.close();
    await location.close();
    await transport.close();
    throw err;
  }
  const calls = new CallEngine({
    stack,
    media,
    location,
    directory,
    calls: { findCallSettings: (tenantId, number) => opened.services.directory.findCallSettings(tenantId, number) },
    authenticator: createSipRegistrarAuthenticator(digest),
    cdr,
    clock,
    logger: logger.child({ category: 'pbx.calls' }),
    ...(mediaInterface ? { mediaInterface } : {}),
  });
  calls.attach();
  // The live-calls API sees the engine's calls through the services' port (same record shape, checked here).
  opened.services.liveCalls.attach({
    list: (tenantId) => calls.active(tenantId),
    hangUp: (tenantId, id, by, reason) => calls.hangUp(tenantId, id, by, reason),
  });
  logger.info({ listening: transport.boundAddresses().map((a) => `${a.transport}:${a.address}:${a.port}`) }, 'SIP started');

  let stopping: Promise<void> | undefined;
  return {
    stack,
    transport,
    location,
    calls,
    media,
    stop: () =>
      (stopping ??= (async () => {
        await calls.close(config.shutdownTimeout * 1000);
        stopFlushing();
        await cdr.close();
        media.close();
        stack.close();
        flows.close();
        offLifted();
        await blocks.close();
        await location.close();
        await transport.close();
      })()),
  };
}
