import { DomainError, domainError, type ActiveCall, type ActiveCallMedia, type Principal } from '../domain/index.js';
import { requireTenant } from './not-found.js';
import type { ServiceContext } from './service-context.js';

/** Where one leg's media flows through the relay (the domain's record). */
export type LiveCallMedia = ActiveCallMedia;

/** A call in progress as the call engine reports it (times in ms since the epoch): the domain's record. */
export type LiveCallRecord = ActiveCall;

/** Who ended a call through the live-calls API, as its call detail record says. */
export type LiveCallHangUpBy = 'operator' | 'admin';

/**
 * The port through which the running call engine shows its calls (the composition root wires the SIP side in).
 * A process without SIP (the CLI, API tests) has none: it sees no calls.
 */
export interface LiveCallSource {
  /** The tenant's calls in progress, oldest first. */
  list(tenantId: string): readonly LiveCallRecord[];
  /** Ends call `id` of the tenant with BYE on both legs; false when there is no such call. */
  hangUp(tenantId: string, id: string, by: LiveCallHangUpBy, reason: string): Promise<boolean>;
}

/** A call in progress as the API and the CLI show it: ISO times and how long it has lasted. */
export interface LiveCallView extends Omit<LiveCallRecord, 'startedAt' | 'answeredAt'> {
  /** ISO 8601 UTC times. */
  readonly startedAt: string;
  readonly answeredAt: string | null;
  /** Seconds since the answer (0 while not answered). */
  readonly durationSeconds: number;
}

/** The tenant's calls in progress (issue: a view of live calls), and hanging one up. */
export interface LiveCallService {
  /** Connects the running call engine (once, by the composition root). */
  attach(source: LiveCallSource): void;
  /** Calls in progress, oldest first. Throws TENANT_NOT_FOUND. */
  list(tenantId: string): Promise<LiveCallView[]>;
  /** One call in progress. Throws TENANT_NOT_FOUND, LIVE_CALL_NOT_FOUND. */
  get(tenantId: string, id: string): Promise<LiveCallView>;
  /**
   * Hangs call `id` up with BYE on both legs (a call still ringing: the caller is refused, the devices cancelled);
   * its record names the operator or the tenant's admin, after `principal`. Resolves once the phones have answered
   * the BYE (or its transaction timed out). Throws TENANT_NOT_FOUND, LIVE_CALL_NOT_FOUND.
   */
  hangUp(tenantId: string, id: string, principal: Principal): Promise<void>;
}

function liveCallNotFound(): DomainError {
  return domainError('LIVE_CALL_NOT_FOUND');
}

function liveCallView(r: LiveCallRecord, now: number): LiveCallView {
  return {
    ...r,
    startedAt: new Date(r.startedAt).toISOString(),
    answeredAt: r.answeredAt === null ? null : new Date(r.answeredAt).toISOString(),
    durationSeconds: r.answeredAt === null ? 0 : Math.max(0, Math.round((now - r.answeredAt) / 1000)),
  };
}

/** Builds the live-calls use cases; they see no calls until {@link LiveCallService.attach}. */
export function createLiveCallService(ctx: ServiceContext): LiveCallService {
  let source: LiveCallSource | undefined;
  const calls = (tenantId: string): readonly LiveCallRecord[] => source?.list(tenantId) ?? [];
  return {
    attach(s) {
      source = s;
    },
    async list(tenantId) {
      await requireTenant(ctx.db.kysely, tenantId);
      const now = ctx.clock.now();
      return calls(tenantId).map((r) => liveCallView(r, now));
    },
    async get(tenantId, id) {
      await requireTenant(ctx.db.kysely, tenantId);
      const found = calls(tenantId).find((r) => r.id === id);
      if (!found) throw liveCallNotFound();
      return liveCallView(found, ctx.clock.now());
    },
    async hangUp(tenantId, id, principal) {
      await requireTenant(ctx.db.kysely, tenantId);
      const by: LiveCallHangUpBy = principal.kind === 'operator' ? 'operator' : 'admin';
      const ended = await source?.hangUp(tenantId, id, by, by === 'operator' ? 'hung up by the operator' : "hung up by the tenant's admin");
      if (ended !== true) throw liveCallNotFound();
    },
  };
}
