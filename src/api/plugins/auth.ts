import { timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { domainError } from '../../domain/index.js';
import type { Services } from '../../services/index.js';
import type { Authentication } from '../access.js';

/** Name of the panel's session cookie (HttpOnly, SameSite=Strict, Path=/api). */
export const SESSION_COOKIE = 'centrala_session';

/** Header that must carry the session's CSRF token on every unsafe request authenticated by cookie. */
export const CSRF_HEADER = 'x-csrf-token';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Authenticates every non-public route in `onRequest`: `Authorization: Bearer <token>` (operator or tenant
 * token) or the panel session cookie. A cookie-authenticated unsafe request must also carry the session's
 * CSRF token in `X-CSRF-Token` (double submit against the server-side value; SameSite=Strict is the first line).
 */
export function registerAuth(app: FastifyInstance, services: Services): void {
  app.decorateRequest('auth', undefined);
  app.addHook('onRequest', async (request) => {
    const access = request.routeOptions.config.access ?? 'public';
    if (access === 'public') return;
    request.auth = await authenticate(request, services);
  });
}

async function authenticate(request: FastifyRequest, services: Services): Promise<Authentication> {
  const header = request.headers.authorization;
  if (header !== undefined) {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
    const principal = match?.[1] ? await services.auth.verifyToken(match[1]) : undefined;
    if (!principal) throw domainError('UNAUTHENTICATED');
    return { principal, method: 'token' };
  }
  const sessionId = request.cookies[SESSION_COOKIE];
  if (sessionId === undefined || sessionId === '') throw domainError('UNAUTHENTICATED');
  const session = await services.auth.verifySession(sessionId);
  if (!session) throw domainError('UNAUTHENTICATED');
  if (!SAFE_METHODS.has(request.method)) {
    const sent = request.headers[CSRF_HEADER];
    if (typeof sent !== 'string' || !sameSecret(sent, session.csrfToken)) {
      throw domainError('CSRF_INVALID');
    }
  }
  return { principal: { kind: 'tenant', tenantId: session.tenantId }, method: 'session', session };
}

/** Constant-time comparison of two secrets (lengths may differ). */
function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
