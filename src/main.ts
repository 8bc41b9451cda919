// Composition root: load nothing itself, but wire config → logger → store → services → HTTP API, and take them
// down in reverse order. The only file that may import from every folder.
import type { AddressInfo } from 'node:net';
import { pino, type Logger as PinoLogger } from 'pino';
import pinoPretty from 'pino-pretty';
import { buildApp, ExtensionCreateInputSchema, ExtensionPatchInputSchema } from './api/index.js';
import { processIo, runCli as runCliWith, type CliHost, type CliIo } from './cli/index.js';
import { centralaVersion, describeSetting, type Config } from './config/index.js';
import type { Clock } from './lib/index.js';
import { openStore, type Services } from './services/index.js';
import { errorCode, formatHostPort, listenReason, startSip, type RunningSip } from './main-sip.js';

/** Extra wiring for {@link startCentrala}; everything has a production default. */
export interface StartOptions {
  /** Root logger; default: pino at `config.logLevel` writing JSON lines to stderr. */
  readonly logger?: PinoLogger;
  /** Where the one-time operator token line goes; default: stdout. */
  readonly print?: (line: string) => void;
  /** Time source for the services (tests pass a FakeClock). */
  readonly clock?: Clock;
}

/** Where the HTTP API listens. */
export interface HttpAddress {
  readonly host: string;
  readonly port: number;
  /** Base URL for clients on this machine (`http://127.0.0.1:8080` when bound to 0.0.0.0). */
  readonly url: string;
}

/** A started Centrala. */
export interface RunningCentrala {
  readonly httpAddress: HttpAddress;
  readonly services: Services;
  /** The operator token created on the very first start (also printed once); undefined on later starts. */
  readonly operatorToken: string | undefined;
  readonly logger: PinoLogger;
  /**
   * Ends every call with BYE on both legs (new INVITEs get 503 meanwhile, bounded by --shutdown-timeout), closes SIP,
   * stops accepting requests and lets in-flight ones finish, then closes the store. Idempotent.
   */
  stop(): Promise<void>;
}

/** First line printed on the very first start; the token follows on the same line. */
export const OPERATOR_TOKEN_LINE = 'Operator API token (shown once):';

/**
 * Creates the root logger on stderr (stdout carries only command output such as the token line): readable lines
 * (pino-pretty, in-process) for `--log-format pretty`, or `auto` when stderr is a terminal; otherwise one JSON object
 * per line. Both carry ISO 8601 UTC times and level names.
 */
export function createLogger(
  config: Pick<Config, 'logLevel' | 'logFormat'>,
  stream: NodeJS.WritableStream & { isTTY?: boolean } = process.stderr,
): PinoLogger {
  const options = {
    level: config.logLevel,
    base: { app: 'centrala' },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label: string) => ({ level: label }) },
  };
  const pretty = config.logFormat === 'pretty' || (config.logFormat === 'auto' && stream.isTTY === true);
  if (!pretty) return pino(options, stream);
  const colorize = stream.isTTY === true;
  return pino(
    options,
    pinoPretty({ destination: stream, sync: true, colorize, singleLine: true, translateTime: 'UTC:yyyy-mm-dd HH:MM:ss.l', ignore: 'pid,hostname,app' }),
  );
}

/**
 * Starts Centrala: opens and migrates the store, creates the first operator token if there is none (printing it
 * once), builds the services and the HTTP API and listens. On failure everything opened so far is closed again.
 */
export async function startCentrala(config: Config, options: StartOptions = {}): Promise<RunningCentrala> {
  const logger = options.logger ?? createLogger(config);
  const print = options.print ?? ((line: string) => void process.stdout.write(`${line}\n`));
  const store = config.databaseUrl === undefined ? `sqlite:${config.dataDir}` : 'postgres';
  logger.info({ store, dataDir: config.dataDir }, 'opening store');
  const opened = await openStore(config, { create: true, logger, ...(options.clock ? { clock: options.clock } : {}) });
  const { services } = opened;
  try {
    const operatorToken = await services.auth.bootstrapOperatorToken();
    if (operatorToken !== undefined) {
      logger.warn({}, 'first start: created the operator API token (printed once on stdout)');
      print(`${OPERATOR_TOKEN_LINE} ${operatorToken}`);
    }
    // Ready (for load balancers) once the SIP listeners are bound; the store's state comes from its monitor.
    let sipListening = false;
    const app = await buildApp({
      services,
      logger: logger.child({ module: 'api' }),
      health: async () => ({ ready: sipListening, storeUp: await opened.db.health.check() }),
      trustProxy: config.trustProxy,
      version: centralaVersion(),
    });
    try {
      await app.listen({ host: config.httpHost, port: config.httpPort });
    } catch (err) {
      await app.close();
      throw listenError(config, err);
    }
    let sip: RunningSip;
    try {
      sip = await startSip(config, opened, logger.child({ module: 'sip' }), options.clock);
      sipListening = true;
    } catch (err) {
      await app.close();
      throw err;
    }
    const address = app.server.address() as AddressInfo;
    const httpAddress = toHttpAddress(config.httpHost, address.port);
    logger.info({ url: httpAddress.url }, 'Centrala started');

    let stopping: Promise<void> | undefined;
    const stop = (): Promise<void> =>
      (stopping ??= (async () => {
        logger.info({}, 'stopping');
        await sip.stop();
        await app.close();
        await opened.close();
        logger.info({}, 'stopped');
      })());
    return { httpAddress, services, operatorToken, logger, stop };
  } catch (err) {
    await opened.close();
    throw err;
  }
}

/**
 * Runs until SIGTERM or SIGINT, then shuts down gracefully (HTTP first, so in-flight requests finish and every
 * write is a whole transaction, then the store). A second signal during shutdown gets the default action.
 */
export async function runUntilSignal(running: RunningCentrala): Promise<void> {
  const signals: NodeJS.Signals[] = ['SIGTERM', 'SIGINT'];
  const signal = await new Promise<NodeJS.Signals>((resolve) => {
    const onSignal = (received: NodeJS.Signals): void => {
      for (const s of signals) process.off(s, onSignal);
      resolve(received);
    };
    for (const s of signals) process.on(s, onSignal);
  });
  running.logger.info({ signal }, 'signal received, shutting down');
  await running.stop();
}

function toHttpAddress(host: string, port: number): HttpAddress {
  const local = host === '0.0.0.0' ? '127.0.0.1' : host === '::' ? '::1' : host;
  const urlHost = local.includes(':') ? `[${local}]` : local;
  return { host, port, url: `http://${urlHost}:${port}` };
}

/** An HTTP listen failure as one line naming the setting behind it, the way it was given (flag, environment, default). */
function listenError(config: Config, err: unknown): Error {
  const setting = errorCode(err) === 'EADDRNOTAVAIL' ? 'httpHost' : 'httpPort';
  return new Error(`cannot listen on HTTP ${formatHostPort(config.httpHost, config.httpPort)} (${describeSetting(config, setting)}): ${listenReason(err)}`);
}

/** What the operator CLI gets from the composition root: the version, the server for `centrala start`, the API's schemas. */
export function cliHost(): CliHost {
  return {
    version: centralaVersion(),
    serve: async (config, print) => runUntilSignal(await startCentrala(config, { print })),
    extensionInput: { create: ExtensionCreateInputSchema, patch: ExtensionPatchInputSchema },
  };
}

/** Runs the `centrala` command line with {@link cliHost} and returns its exit code (see the CLI's `runCli`). */
export function runCli(argv: string[], io: CliIo = processIo()): Promise<number> {
  return runCliWith(argv, cliHost(), io);
}
