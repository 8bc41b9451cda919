import type { FastifyPluginAsync } from 'fastify';
import type { RouteDeps } from '../route-deps.js';
import { authOf } from '../../access.js';
import { SESSION_COOKIE } from '../../plugins/auth.js';
import { loginSchema, logoutSchema, meSchema, type LoginBody } from './schema.js';

/** Cookie attributes of the session: HttpOnly, SameSite=Strict, only sent to the API, Secure over https. */
const COOKIE_OPTIONS = { httpOnly: true, sameSite: 'strict', secure: 'auto', path: '/api' } as const;

/** POST /auth/login, POST /auth/logout, GET /auth/me. */
export const authRoutes: FastifyPluginAsync<RouteDeps> = async (app, { services }) => {
  app.post<{ Body: LoginBody }>('/auth/login', { schema: loginSchema, config: { access: 'public' } }, async (request, reply) => {
    const session = await services.auth.login(request.body.email, request.body.password, request.ip);
    void reply.setCookie(SESSION_COOKIE, session.id, { ...COOKIE_OPTIONS, expires: session.expiresAt });
    void reply.header('cache-control', 'no-store');
    return { csrfToken: session.csrfToken, tenantId: session.tenantId, expiresAt: session.expiresAt };
  });

  app.post('/auth/logout', { schema: logoutSchema, config: { access: 'authenticated' } }, async (request, reply) => {
    const session = request.auth?.session;
    if (session) await services.auth.logout(session.id);
    void reply.clearCookie(SESSION_COOKIE, COOKIE_OPTIONS);
    return reply.code(204).send();
  });

  app.get('/auth/me', { schema: meSchema, config: { access: 'authenticated' } }, async (request) => {
    const { principal, method } = authOf(request);
    return { kind: principal.kind, tenantId: principal.kind === 'tenant' ? principal.tenantId : null, method };
  });
};
