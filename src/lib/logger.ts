/** Structured fields attached to a log line (callId, txId, tenant, extension …). */
export type LogFields = Record<string, unknown>;

/**
 * The logger every module receives. Shaped like pino's so the composition root can pass a pino
 * child logger; tests pass {@link silentLogger}. Categories are dotted (`sip.transaction.nict`).
 */
export interface Logger {
  trace(fields: LogFields, msg?: string): void;
  debug(fields: LogFields, msg?: string): void;
  info(fields: LogFields, msg?: string): void;
  warn(fields: LogFields, msg?: string): void;
  error(fields: LogFields, msg?: string): void;
  child(fields: LogFields): Logger;
}

/** Creates a logger that drops everything. */
export function silentLogger(): Logger {
  const noop = (): void => undefined;
  const logger: Logger = {
    trace: noop,
    debug: noop,
    info: noop,
    warn: noop,
    error: noop,
    child: () => logger,
  };
  return logger;
}
