import { Type, type Static } from '@sinclair/typebox';
import { errorResponses, Timestamp } from '../../common-schemas.js';
import { DOMAIN_CHECKED } from '../../schema-validation.js';

/** Body of POST /auth/login. */
export const LoginBody = Type.Object(
  { email: Type.String({ ...DOMAIN_CHECKED }), password: Type.String({ ...DOMAIN_CHECKED }) },
  { additionalProperties: false },
);
/** Static type of {@link LoginBody}. */
export type LoginBody = Static<typeof LoginBody>;

/** A started session: the cookie is set; the CSRF token must be sent as X-CSRF-Token on every change. */
export const LoginResponse = Type.Object({
  csrfToken: Type.String(),
  tenantId: Type.String(),
  expiresAt: Timestamp,
});

/** Who the caller is. */
export const MeResponse = Type.Object({
  kind: Type.Union([Type.Literal('operator'), Type.Literal('tenant')]),
  tenantId: Type.Union([Type.String(), Type.Null()]),
  method: Type.Union([Type.Literal('token'), Type.Literal('session')]),
});

/** Schema of POST /auth/login. */
export const loginSchema = {
  summary: 'Log in a customer admin (panel session)',
  description:
    'Checks e-mail and password, sets the HttpOnly, SameSite=Strict session cookie and returns the CSRF token ' +
    'that must accompany every POST/PUT/PATCH/DELETE as the X-CSRF-Token header. A wrong e-mail and a wrong ' +
    'password get the same INVALID_CREDENTIALS answer. 10 failures from one address within 5 minutes, or 20 for ' +
    'one e-mail within 15 minutes, get 429 LOGIN_BLOCKED (with Retry-After) for a while, right password or not.',
  tags: ['auth'],
  security: [],
  body: LoginBody,
  response: { 200: LoginResponse, ...errorResponses(400, 401, 429) },
};

/** Schema of POST /auth/logout. */
export const logoutSchema = {
  summary: 'End the panel session',
  description: 'Ends the session of the cookie (needs X-CSRF-Token) and clears the cookie. With a token: no effect.',
  tags: ['auth'],
  response: { 204: Type.Null(), ...errorResponses(401, 403) },
};

/** Schema of GET /auth/me. */
export const meSchema = {
  summary: 'Who am I',
  tags: ['auth'],
  response: { 200: MeResponse, ...errorResponses(401) },
};
