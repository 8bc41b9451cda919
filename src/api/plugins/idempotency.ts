import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Services } from '../../services/index.js';
import { API_ERRORS, type ApiErrorCode } from '../api-errors.js';
import { errorBody, httpStatusOf } from '../error-map.js';
import { authOf } from '../access.js';

/** The request header (draft-ietf-httpapi-idempotency-key-header). */
export const IDEMPOTENCY_HEADER = 'idempotency-key';

/** Set on a response that is a replay of the key's first response. */
export const REPLAYED_HEADER = 'idempotent-replayed';

/** How a create route takes part. */
export interface IdempotencyConfig {
  /**
   * Top-level fields of the response that hold a secret shown once (a SIP password, an API token): they are not
   * stored, so a replay has them `null` (reset the password or create a new token to get one).
   */
  readonly secretFields?: readonly string[];
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The route accepts an `Idempotency-Key` (every create does). */
    idempotency?: IdempotencyConfig;
  }
  interface FastifyRequest {
    /** The key this request holds until its response is stored or released. */
    idempotencyKey: { readonly scope: string; readonly key: string; readonly secretFields: readonly string[] } | undefined;
  }
}

/** 1–255 visible ASCII characters. */
const KEY_PATTERN = /^[\x21-\x7e]{1,255}$/;

/**
 * Idempotency keys (SPEC 3): a create route that declares `config.idempotency` accepts an `Idempotency-Key`
 * header. The first request with a key runs and its successful response is stored (secrets removed); a retry
 * with the same key and the same request (method, path, body) within 24 hours gets that response again with
 * `Idempotent-Replayed: true`, and creates nothing. The same key with another request is refused (422), a retry
 * while the first still runs gets 409. Keys are per caller: the operator, or a tenant (its tokens and sessions).
 */
export function registerIdempotency(app: FastifyInstance, services: Services): void {
  app.decorateRequest('idempotencyKey', undefined);

  // After authentication and validation, before the handler.
  app.addHook('preHandler', async (request, reply) => {
    const config = request.routeOptions.config.idempotency;
    const sent = request.headers[IDEMPOTENCY_HEADER];
    if (config === undefined || sent === undefined) return;
    if (typeof sent !== 'string' || !KEY_PATTERN.test(sent)) return refuse(reply, 'IDEMPOTENCY_KEY_INVALID');
    const principal = authOf(request).principal;
    const scope = principal.kind === 'operator' ? 'operator' : `tenant:${principal.tenantId}`;
    const start = await services.idempotency.begin(scope, sent, { method: request.method, path: canonicalPath(request), body: request.body });
    switch (start.kind) {
      case 'new':
        request.idempotencyKey = { scope, key: sent, secretFields: config.secretFields ?? [] };
        return undefined;
      case 'replay':
        return reply
          .code(start.status)
          .header('content-type', 'application/json; charset=utf-8')
          .header('cache-control', 'no-store')
          .header(REPLAYED_HEADER, 'true')
          .send(start.body);
      case 'mismatch':
        return refuse(reply, 'IDEMPOTENCY_KEY_REUSED');
      case 'running':
        void reply.header('retry-after', '1');
        return refuse(reply, 'IDEMPOTENCY_KEY_IN_PROGRESS');
    }
  });

  // Every response of a request holding a key: store it when it succeeded, else release the key.
  app.addHook('onSend', async (request, reply, payload) => {
    const held = release(request);
    if (!held) return payload;
    const status = reply.statusCode;
    if (status >= 200 && status < 300 && typeof payload === 'string') {
      await services.idempotency.finish(held.scope, held.key, status, withoutSecrets(payload, held.secretFields));
    } else {
      await services.idempotency.abandon(held.scope, held.key);
    }
    return payload;
  });

  // A request that ended without a response (client gone, stream error) releases its key too.
  app.addHook('onResponse', async (request) => {
    const held = release(request);
    if (held) await services.idempotency.abandon(held.scope, held.key);
  });
}

function release(request: FastifyRequest): FastifyRequest['idempotencyKey'] {
  const held = request.idempotencyKey;
  request.idempotencyKey = undefined;
  return held;
}

function refuse(reply: FastifyReply, code: ApiErrorCode): FastifyReply {
  return reply.code(httpStatusOf(code)).send(errorBody(code, API_ERRORS[code].messages));
}

/** The JSON body with the secret top-level fields set to null. */
function withoutSecrets(payload: string, fields: readonly string[]): string {
  if (fields.length === 0) return payload;
  const body = JSON.parse(payload) as Record<string, unknown>;
  for (const field of fields) if (field in body) body[field] = null;
  return JSON.stringify(body);
}

/**
 * The request path with the path parameters the tenant scope made canonical (a SIP domain replaced by the tenant
 * id, an extension number by its id), so one request spelled two ways is one request for its key.
 */
function canonicalPath(request: FastifyRequest): string {
  const params = (request.params ?? {}) as Record<string, string | undefined>;
  return request.routeOptions.url?.replace(/:([A-Za-z0-9_]+)/g, (_, name: string) => encodeURIComponent(params[name] ?? '')) ?? request.url.split('?')[0] ?? '';
}
