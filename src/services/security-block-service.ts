import { DomainError, domainError, type SecurityBlock, type SecurityBlockScope } from '../domain/index.js';
import { sourceKey, TypedEmitter } from '../lib/index.js';
import { securityBlockRepository, type SecurityBlockQuery } from '../store/index.js';
import { nowOf, type ServiceContext } from './service-context.js';

/** One block as the API and the CLI show it. */
export interface SecurityBlockView {
  readonly id: string;
  readonly scope: SecurityBlockScope;
  /** The address blocked (IPv4, or an IPv6 /64); for an `extension` block the one whose failure started it. */
  readonly source: string;
  /** The tenant whose SIP domain was tried, or null when no tenant has it. */
  readonly tenantId: string | null;
  /** The SIP domain (digest realm) and extension blocked; for a `source` block the last ones tried. */
  readonly sipDomain: string;
  readonly extension: string;
  readonly failures: number;
  /** ISO times the block started and ends, and the seconds left. */
  readonly since: string;
  readonly until: string;
  readonly remainingSeconds: number;
}

/** Which blocks to list or lift; every field given must match. */
export interface SecurityBlockFilter {
  /** An IP address (an IPv6 address matches its /64) or a source as listed. */
  readonly source?: string;
  /** Tenant id or SIP domain. */
  readonly tenant?: string;
  /** Extension number tried. */
  readonly extension?: string;
}

/** Events of the block service. */
export type SecurityBlockEvents = {
  /** Blocks were lifted through this service (the SIP side of the same process lifts them at once). */
  lifted: [blocks: readonly SecurityBlock[]];
};

/** Brute-force blocks of SIP authentication: recorded by the SIP side, listed and lifted by the operator. */
export interface SecurityBlockService {
  readonly events: TypedEmitter<SecurityBlockEvents>;
  /** Stores a block that started (idempotent on id); the tenant is found from the realm. */
  record(block: Omit<SecurityBlock, 'tenantId'>): Promise<void>;
  /** Blocks in force, oldest first. */
  list(filter?: SecurityBlockFilter): Promise<{ items: SecurityBlockView[] }>;
  /** Lifts one block in force. Throws SECURITY_BLOCK_NOT_FOUND. */
  lift(id: string): Promise<SecurityBlockView>;
  /** Lifts every block in force that matches `filter` (every block when it is empty); returns them. */
  liftAll(filter?: SecurityBlockFilter): Promise<SecurityBlockView[]>;
  /** Every block in force (the SIP side restores them at start). */
  active(): Promise<SecurityBlock[]>;
  /** Of `ids`, those still stored (the others were lifted, here or by another process). */
  stored(ids: readonly string[]): Promise<Set<string>>;
  /** Deletes ended blocks. */
  purgeEnded(): Promise<void>;
}

function toQuery(filter: SecurityBlockFilter): SecurityBlockQuery {
  return {
    ...(filter.source !== undefined ? { source: sourceKey(filter.source) } : {}),
    ...(filter.tenant !== undefined ? { tenant: filter.tenant } : {}),
    ...(filter.extension !== undefined ? { username: filter.extension } : {}),
  };
}

function view(block: SecurityBlock, now: number): SecurityBlockView {
  return {
    id: block.id,
    scope: block.scope,
    source: block.source,
    tenantId: block.tenantId,
    sipDomain: block.realm,
    extension: block.username,
    failures: block.failures,
    since: block.since.toISOString(),
    until: block.until.toISOString(),
    remainingSeconds: Math.max(0, Math.ceil((block.until.getTime() - now) / 1000)),
  };
}

function notFound(): DomainError {
  return domainError('SECURITY_BLOCK_NOT_FOUND');
}

/** Builds the block service. */
export function createSecurityBlockService(ctx: ServiceContext): SecurityBlockService {
  const db = ctx.db.kysely;
  const events = new TypedEmitter<SecurityBlockEvents>(ctx.logger);
  const lifted = (blocks: SecurityBlock[]): void => {
    if (blocks.length === 0) return;
    for (const b of blocks) {
      ctx.logger.info(
        { blockId: b.id, scope: b.scope, tenant: b.realm, extension: b.username, source: b.source },
        'auth block lifted by the operator',
      );
    }
    events.emit('lifted', blocks);
  };
  return {
    events,
    async record(block) {
      const tenant = await db.selectFrom('tenants').select('id').where('sip_domain', '=', block.realm.toLowerCase()).executeTakeFirst();
      await securityBlockRepository.insert(db, { ...block, tenantId: tenant?.id ?? null });
    },
    async list(filter = {}) {
      const now = nowOf(ctx);
      const blocks = await securityBlockRepository.listActive(db, now, toQuery(filter));
      return { items: blocks.map((b) => view(b, now.getTime())) };
    },
    async lift(id) {
      const now = nowOf(ctx);
      const block = typeof id === 'string' ? await securityBlockRepository.findActive(db, id, now) : undefined;
      if (!block || (await securityBlockRepository.deleteByIds(db, [block.id])) === 0) throw notFound();
      lifted([block]);
      return view(block, now.getTime());
    },
    async liftAll(filter = {}) {
      const now = nowOf(ctx);
      const blocks = await securityBlockRepository.listActive(db, now, toQuery(filter));
      await securityBlockRepository.deleteByIds(db, blocks.map((b) => b.id));
      lifted(blocks);
      return blocks.map((b) => view(b, now.getTime()));
    },
    active: () => securityBlockRepository.listActive(db, nowOf(ctx)),
    stored: (ids) => securityBlockRepository.existingIds(db, ids),
    async purgeEnded() {
      await securityBlockRepository.deleteEnded(db, nowOf(ctx));
    },
  };
}
