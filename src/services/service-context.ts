import type { Feature } from '../domain/index.js';
import type { Clock, Logger } from '../lib/index.js';
import type { Db, Executor } from '../store/index.js';

/** What every use case shares: the store, the clock, the logger and the time limits. */
export interface ServiceContext {
  readonly db: Db;
  readonly clock: Clock;
  readonly logger: Logger;
  /** How long a quote may be confirmed, in ms. */
  readonly quoteTtlMs: number;
  /** How long a panel session lasts, in ms. */
  readonly sessionTtlMs: number;
  /** Features that may not be turned on or charged for (UNAVAILABLE_FEATURES). */
  readonly unavailableFeatures: ReadonlySet<Feature>;
}

/** The current time of the context's clock. */
export function nowOf(ctx: ServiceContext): Date {
  return new Date(ctx.clock.now());
}

/** Runs `fn` in one transaction: everything it writes is committed together or not at all. */
export function inTransaction<T>(ctx: ServiceContext, fn: (trx: Executor) => Promise<T>): Promise<T> {
  return ctx.db.kysely.transaction().execute(fn);
}
