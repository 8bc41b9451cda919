import { isUniqueViolation, toDbTime, type Executor } from '../columns.js';
import type { IdempotencyKeyRow } from '../schema.js';

/** `idempotency_keys` access. Rows are plain (scope, key, fingerprint, status, body, created_at). */
export const idempotencyRepository = {
  /**
   * Claims (scope, key) for a request with `fingerprint`: true when the row was inserted, else the row that
   * already holds the key (a concurrent or earlier request).
   */
  async claim(db: Executor, scope: string, key: string, fingerprint: string, at: Date): Promise<true | IdempotencyKeyRow> {
    try {
      await db
        .insertInto('idempotency_keys')
        .values({ scope, key, fingerprint, status: null, body: null, created_at: toDbTime(at) })
        .execute();
      return true;
    } catch (err) {
      if (!isUniqueViolation(err)) throw err;
    }
    const row = await db.selectFrom('idempotency_keys').selectAll().where('scope', '=', scope).where('key', '=', key).executeTakeFirst();
    // Purged between the insert and the select: claim it again.
    return row ?? this.claim(db, scope, key, fingerprint, at);
  },

  /** Stores the response of the request that holds (scope, key). */
  async complete(db: Executor, scope: string, key: string, status: number, body: string): Promise<void> {
    await db.updateTable('idempotency_keys').set({ status, body }).where('scope', '=', scope).where('key', '=', key).execute();
  },

  /** Deletes (scope, key) while it holds no response (the request failed: the key may be used again). */
  async release(db: Executor, scope: string, key: string): Promise<void> {
    await db.deleteFrom('idempotency_keys').where('scope', '=', scope).where('key', '=', key).where('status', 'is', null).execute();
  },

  /**
   * Deletes every key created before `before`, and every key without a response created before `runningBefore`
   * (its request died with the process: a retry may run again).
   */
  async purge(db: Executor, before: Date, runningBefore: Date): Promise<void> {
    await db
      .deleteFrom('idempotency_keys')
      .where((eb) =>
        eb.or([eb('created_at', '<', toDbTime(before)), eb.and([eb('status', 'is', null), eb('created_at', '<', toDbTime(runningBefore))])]),
      )
      .execute();
  },
};
