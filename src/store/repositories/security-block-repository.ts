import { SECURITY_BLOCK_SCOPES, type SecurityBlock, type SecurityBlockScope } from '../../domain/index.js';
import { fromDbTime, toDbTime, type Executor } from '../columns.js';
import type { SecurityBlockRow } from '../schema.js';

/** Which blocks to list or lift: every field given must match. */
export interface SecurityBlockQuery {
  /** Source key (IPv4 address or IPv6 /64). */
  readonly source?: string;
  /** A tenant id, or a SIP domain (lower case). */
  readonly tenant?: string;
  /** Username (extension number) tried. */
  readonly username?: string;
}

/** Ids per `in (…)` list, well under every dialect's limit of bound parameters. */
const ID_CHUNK = 500;

/** Maps a row to a block (the only place that does). */
export function securityBlockFromRow(row: SecurityBlockRow): SecurityBlock {
  const scope = (SECURITY_BLOCK_SCOPES as readonly string[]).includes(row.scope) ? (row.scope as SecurityBlockScope) : 'source';
  return {
    id: row.id,
    scope,
    source: row.source,
    realm: row.realm,
    username: row.username,
    tenantId: row.tenant_id,
    failures: Number(row.failures),
    since: fromDbTime(row.since),
    until: fromDbTime(row.until),
  };
}

/** Maps a block to its row. */
export function securityBlockToRow(block: SecurityBlock): SecurityBlockRow {
  return {
    id: block.id,
    scope: block.scope,
    source: block.source,
    realm: block.realm,
    username: block.username,
    tenant_id: block.tenantId,
    failures: block.failures,
    since: toDbTime(block.since),
    until: toDbTime(block.until),
  };
}

/** `security_blocks` access. */
export const securityBlockRepository = {
  /** Stores a block; storing the same id again changes nothing. */
  async insert(db: Executor, block: SecurityBlock): Promise<void> {
    await db
      .insertInto('security_blocks')
      .values(securityBlockToRow(block))
      .onConflict((oc) => oc.column('id').doNothing())
      .execute();
  },

  /** Blocks in force at `now` that match `query`, oldest first. */
  async listActive(db: Executor, now: Date, query: SecurityBlockQuery = {}): Promise<SecurityBlock[]> {
    let q = db.selectFrom('security_blocks').selectAll().where('until', '>', toDbTime(now));
    if (query.source !== undefined) q = q.where('source', '=', query.source);
    if (query.username !== undefined) q = q.where('username', '=', query.username);
    const tenant = query.tenant;
    if (tenant !== undefined) q = q.where((eb) => eb.or([eb('tenant_id', '=', tenant), eb('realm', '=', tenant.toLowerCase())]));
    const rows = await q.orderBy('since').orderBy('id').execute();
    return rows.map(securityBlockFromRow);
  },

  /** The block in force with this id, if any. */
  async findActive(db: Executor, id: string, now: Date): Promise<SecurityBlock | undefined> {
    const row = await db.selectFrom('security_blocks').selectAll().where('id', '=', id).where('until', '>', toDbTime(now)).executeTakeFirst();
    return row ? securityBlockFromRow(row) : undefined;
  },

  /** Deletes the blocks with these ids; returns how many there were. */
  async deleteByIds(db: Executor, ids: readonly string[]): Promise<number> {
    let deleted = 0;
    for (let i = 0; i < ids.length; i += ID_CHUNK) {
      const result = await db.deleteFrom('security_blocks').where('id', 'in', ids.slice(i, i + ID_CHUNK)).executeTakeFirst();
      deleted += Number(result.numDeletedRows);
    }
    return deleted;
  },

  /** Of `ids`, those stored. */
  async existingIds(db: Executor, ids: readonly string[]): Promise<Set<string>> {
    const out = new Set<string>();
    for (let i = 0; i < ids.length; i += ID_CHUNK) {
      const rows = await db.selectFrom('security_blocks').select('id').where('id', 'in', ids.slice(i, i + ID_CHUNK)).execute();
      for (const r of rows) out.add(r.id);
    }
    return out;
  },

  /** Deletes blocks that ended at or before `now`. */
  async deleteEnded(db: Executor, now: Date): Promise<number> {
    const result = await db.deleteFrom('security_blocks').where('until', '<=', toDbTime(now)).executeTakeFirst();
    return Number(result.numDeletedRows);
  },
};
