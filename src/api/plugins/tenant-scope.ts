import type { FastifyInstance } from 'fastify';
import { domainError, isDomainError } from '../../domain/index.js';
import type { Services } from '../../services/index.js';
import { assert } from '../../lib/index.js';
import type { Access, ApiRoute } from '../access.js';

/** Loads the object a path parameter names inside a tenant; throws the resource's *_NOT_FOUND DomainError. */
export type ParamResolver = (services: Services, tenantId: string, value: string) => Promise<unknown>;

/** Turns another spelling of a path parameter into the one the routes and services take (throws *_NOT_FOUND). */
export type ParamAlias = (services: Services, tenantId: string, value: string) => Promise<string>;

/**
 * Every path parameter a tenant-scoped route may have besides `:tenantId`, and how to find its object
 * within that tenant. A tenant-scoped route with a parameter missing here is refused at startup, so a new
 * route cannot skip the isolation check.
 */
export const TENANT_PARAM_RESOLVERS: Readonly<Record<string, ParamResolver>> = {
  extensionId: (services, tenantId, id) => services.extensions.get(tenantId, id),
  number: (services, tenantId, number) => services.numbers.get(tenantId, number),
  quoteId: (services, tenantId, id) => services.quotes.get(tenantId, id),
  callId: (services, tenantId, id) => services.calls.get(tenantId, id),
  liveCallId: (services, tenantId, id) => services.liveCalls.get(tenantId, id),
};

/**
 * Path parameters that may also be spelled the way the CLI takes them: `:extensionId` also takes the extension
 * number (all digits; ids are UUIDs), looked up only inside the route's tenant. The alias runs before the
 * resolver, and the route sees the canonical value, so every route with the parameter accepts both.
 */
export const TENANT_PARAM_ALIASES: Readonly<Record<string, ParamAlias>> = {
  extensionId: async (services, tenantId, ref) => (await services.extensions.find(tenantId, ref)).id,
};


/** Names of the path parameters of a route URL (`/a/:tenantId/b/:number` → tenantId, number). */
export function routeParams(url: string): string[] {
  return [...url.matchAll(/:([A-Za-z0-9_]+)/g)].map((m) => m[1] ?? '');
}

/** Startup check of one route's access declaration; throws a plain Error (a programming mistake). */
export function checkRouteDeclaration(route: ApiRoute): void {
  const params = routeParams(route.url);
  if (!params.includes('tenantId')) return;
  assert(
    route.access === 'tenant' || route.access === 'operator',
    `${route.method} ${route.url}: a route under :tenantId must have access 'tenant' or 'operator'`,
  );
  for (const name of params) {
    assert(
      name === 'tenantId' || TENANT_PARAM_RESOLVERS[name] !== undefined,
      `${route.method} ${route.url}: no tenant-scope resolver for :${name} (add one to TENANT_PARAM_RESOLVERS)`,
    );
  }
}

/**
 * Tenant isolation, in one place: before validation, a route with `:tenantId` answers 404 unless the caller is
 * the operator or that tenant's principal, and every other path parameter must name an object of that tenant
 * (404 otherwise). Another tenant's objects are thus indistinguishable from missing ones — never 403. Then the
 * route's access level is checked (403 for a tenant principal on an operator route of its own tenant).
 *
 * `:tenantId` takes the tenant id or its SIP domain, and the parameters of {@link TENANT_PARAM_ALIASES} their
 * other spellings; each is replaced by the canonical id before validation, so handlers only ever see ids.
 */
export function registerTenantScope(app: FastifyInstance, services: Services): void {
  app.addHook('preValidation', async (request) => {
    const access: Access = request.routeOptions.config.access ?? 'public';
    if (access === 'public') return;
    const auth = request.auth;
    assert(auth !== undefined, 'auth runs before the tenant scope');
    const params = (request.params ?? {}) as Record<string, string | undefined>;
    const tenantRef = params.tenantId;
    if (tenantRef !== undefined) {
      const tenant = await services.tenants.find(tenantRef).catch((err: unknown) => {
        throw isDomainError(err, 'TENANT_NOT_FOUND') ? domainError('TENANT_NOT_FOUND') : err;
      });
      // The same body whether the tenant is missing or foreign, so existence never leaks.
      if (auth.principal.kind === 'tenant' && auth.principal.tenantId !== tenant.id) {
        throw domainError('TENANT_NOT_FOUND');
      }
      params.tenantId = tenant.id;
      for (const [name, value] of Object.entries(params)) {
        if (name === 'tenantId' || value === undefined) continue;
        const resolve = TENANT_PARAM_RESOLVERS[name];
        assert(resolve !== undefined, `no resolver for :${name}`);
        const alias = TENANT_PARAM_ALIASES[name];
        const canonical = alias ? await alias(services, tenant.id, value) : value;
        params[name] = canonical;
        await resolve(services, tenant.id, canonical);
      }
    }
    if (access === 'operator' && auth.principal.kind !== 'operator') {
      throw domainError('FORBIDDEN');
    }
  });
}
