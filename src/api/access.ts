import type { AdminSession, Principal } from '../domain/index.js';

/**
 * Who may call a route:
 * - `public`: anyone (login, health, docs);
 * - `authenticated`: any operator or tenant principal;
 * - `tenant`: the operator, or the principal of the tenant named by `:tenantId`;
 * - `operator`: the operator only.
 */
export type Access = 'public' | 'authenticated' | 'tenant' | 'operator';

/** How the caller proved who it is. */
export interface Authentication {
  readonly principal: Principal;
  /** `token`: `Authorization: Bearer …`; `session`: the panel's session cookie (needs CSRF on changes). */
  readonly method: 'token' | 'session';
  readonly session?: AdminSession;
}

/** One route of the API as registered (used by the route-table tests and the startup checks). */
export interface ApiRoute {
  readonly method: string;
  readonly url: string;
  readonly access: Access;
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Who may call the route; every route under /api/v1 must say (checked at startup). */
    access?: Access;
  }
  interface FastifyRequest {
    /** Set by the auth plugin on every non-public route; undefined on public ones. */
    auth: Authentication | undefined;
  }
  interface FastifyInstance {
    /** Every API route with its access level, in registration order. */
    readonly apiRoutes: readonly ApiRoute[];
  }
}

/** The authentication of a non-public route's request (set by the auth plugin before any handler runs). */
export function authOf(request: { auth: Authentication | undefined }): Authentication {
  const auth = request.auth;
  if (!auth) throw new Error('assertion failed: auth runs before every non-public handler');
  return auth;
}
