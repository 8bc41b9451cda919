import { StoreUnavailableError } from '../lib/index.js';

/**
 * How a failed query bears on the store's availability:
 * - `connection`: the connection to the database was lost or could not be made (server restarting, backend
 *   terminated, network down, pool acquire timeout): the store may be down;
 * - `temporary`: the database is there but could not do it now (statement timeout, lock timeout, disk full,
 *   SQLite busy or I/O error): this request fails, the store stays up;
 * - `other`: anything else (a constraint, a bug): not an availability matter.
 */
export type FailureKind = 'connection' | 'temporary' | 'other';

/** Node.js socket errors of a connection that was lost or never made. */
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENETDOWN',
  'ENOTFOUND',
  'EAI_AGAIN',
]);

/** Messages of pg and pg-pool (which carry no code) for a connection that ended or could not be made in time. */
const LOST_CONNECTION_MESSAGES = [
  'Connection terminated',
  'timeout exceeded when trying to connect',
  'is not queryable',
  'Postgres connection has been discarded',
];

/**
 * PostgreSQL SQLSTATEs (Appendix A of its manual). Class 08 connection exception; 57P01 admin_shutdown (a
 * restart or `pg_terminate_backend`), 57P02 crash_shutdown, 57P03 cannot_connect_now (starting up, shutting
 * down), 53300 too_many_connections: the connection is gone or refused. 57014 query_canceled (statement
 * timeout), 55P03 lock_not_available, 53100 disk_full, 53200 out_of_memory, 58030 io_error: this statement failed.
 */
const PG_CONNECTION_STATES = /^(08...|57P0[123]|53300)$/;
const PG_TEMPORARY_STATES = /^(57014|55P03|53100|53200|58030)$/;

/**
 * SQLite result codes of a store that is there but cannot do it now: busy or locked past the busy timeout, disk
 * full, I/O error, read-only file system, out of memory (better-sqlite3 puts the extended code in `code`).
 */
const SQLITE_TEMPORARY_CODES = /^SQLITE_(BUSY|LOCKED|FULL|IOERR|READONLY|CANTOPEN|NOMEM|PROTOCOL)(_|$)/;

/** Classifies a failed query (see {@link FailureKind}). */
export function failureKind(err: unknown): FailureKind {
  if (!(err instanceof Error)) return 'other';
  const code = 'code' in err && typeof err.code === 'string' ? err.code : '';
  if (NETWORK_CODES.has(code) || PG_CONNECTION_STATES.test(code)) return 'connection';
  if (PG_TEMPORARY_STATES.test(code) || SQLITE_TEMPORARY_CODES.test(code)) return 'temporary';
  if (code === '' && LOST_CONNECTION_MESSAGES.some((m) => err.message.includes(m))) return 'connection';
  return 'other';
}

/** Retry-After of a temporary failure: 5–15 s, spread so that phones refused together do not all return at once. */
export function retryAfterSeconds(random: () => number = Math.random): number {
  return 5 + Math.floor(random() * 11);
}

/** `err` as a {@link StoreUnavailableError} when it is an availability failure, else unchanged. */
export function asStoreUnavailable(err: unknown, kind: FailureKind = failureKind(err)): unknown {
  if (kind === 'other' || err instanceof StoreUnavailableError) return err;
  const reason = err instanceof Error ? err.message.split('\n')[0] : String(err);
  const what = kind === 'connection' ? 'the database connection failed' : 'the database could not run the statement';
  return new StoreUnavailableError(`store unavailable: ${what}: ${reason}`, { cause: err, retryAfterSeconds: retryAfterSeconds() });
}
