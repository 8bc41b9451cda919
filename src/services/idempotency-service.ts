import { idempotencyRepository } from '../store/index.js';
import { canonicalHash } from './canonical-hash.js';
import { nowOf, type ServiceContext } from './service-context.js';

/** How long a key is kept: a retry within 24 hours replays the first response. */
export const IDEMPOTENCY_RETENTION_MS = 24 * 3_600_000;

/** A key whose first request has not finished after this long is taken to be dead (its process stopped). */
export const IDEMPOTENCY_RUNNING_LIMIT_MS = 60_000;

/** The request a key is used with: two requests are "the same" when these are (secrets aside). */
export interface IdempotentRequest {
  readonly method: string;
  /** The path, without the query. */
  readonly path: string;
  readonly body: unknown;
}

/** What to do with a request that carries an idempotency key. */
export type IdempotencyStart =
  /** First use of the key: run the request, then {@link IdempotencyService.finish} or `abandon`. */
  | { readonly kind: 'new' }
  /** The key's request succeeded before: answer with its stored response. */
  | { readonly kind: 'replay'; readonly status: number; readonly body: string }
  /** The key was used with a different request (method, path or body). */
  | { readonly kind: 'mismatch' }
  /** The key's first request is still running. */
  | { readonly kind: 'running' };

/**
 * Idempotency keys of creates (SPEC 3): a client that retries a create with the same key gets the first
 * response instead of a second object. Keys are scoped per caller; only successful responses are kept (a failed
 * request releases its key, so a corrected retry may reuse it).
 */
export interface IdempotencyService {
  begin(scope: string, key: string, request: IdempotentRequest): Promise<IdempotencyStart>;
  /** Stores the response of a request that began as `new`. */
  finish(scope: string, key: string, status: number, body: string): Promise<void>;
  /** Releases the key of a request that began as `new` and did not succeed. */
  abandon(scope: string, key: string): Promise<void>;
}

export function createIdempotencyService(ctx: ServiceContext): IdempotencyService {
  const db = ctx.db.kysely;
  return {
    async begin(scope, key, request) {
      const now = nowOf(ctx);
      const fingerprint = canonicalHash({ method: request.method, path: request.path, body: withoutSecretInputs(request.body) });
      await idempotencyRepository.purge(
        db,
        new Date(now.getTime() - IDEMPOTENCY_RETENTION_MS),
        new Date(now.getTime() - IDEMPOTENCY_RUNNING_LIMIT_MS),
      );
      const held = await idempotencyRepository.claim(db, scope, key, fingerprint, now);
      if (held === true) return { kind: 'new' };
      if (held.fingerprint !== fingerprint) return { kind: 'mismatch' };
      if (held.status === null || held.body === null) return { kind: 'running' };
      return { kind: 'replay', status: held.status, body: held.body };
    },
    finish: (scope, key, status, body) => idempotencyRepository.complete(db, scope, key, status, body),
    abandon: (scope, key) => idempotencyRepository.release(db, scope, key),
  };
}

/** Names of request fields that hold a secret (`password`, `pin`, `outgoingPin` …). */
const SECRET_INPUT = /^(password|pin|secret|token)$|(Password|Pin|Secret|Token)$/;

/**
 * The request body without its secret fields, at any depth: the fingerprint (an unsalted hash) must not let a
 * password be guessed from the store. A retry that differs only in a secret counts as the same request.
 */
function withoutSecretInputs(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutSecretInputs);
  if (typeof value !== 'object' || value === null) return value ?? null;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([k]) => !SECRET_INPUT.test(k))
      .map(([k, v]) => [k, withoutSecretInputs(v)]),
  );
}
