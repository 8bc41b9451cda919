// Shared set-up of the HTTP API tests: services over a test database, the Fastify app (inject only), the
// operator token, and a small typed `call()` around app.inject().
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../src/api/index.js';
import type { Feature } from '../src/domain/index.js';
import { FakeClock } from '../src/lib/index.js';
import { createServices, type Db, type Services } from '../src/services/index.js';

/** A JSON value as the tests read it. */
export type JsonObject = Record<string, unknown>;

/** The app under test and what it was built from. */
export interface ApiHarness {
  readonly app: FastifyInstance;
  readonly services: Services;
  readonly clock: FakeClock;
  readonly operatorToken: string;
  close(): Promise<void>;
}

/** 10 January 2025, 12:00 UTC: a fixed "now" so proration is deterministic. */
export const TEST_NOW = Date.UTC(2025, 0, 10, 12, 0, 0);

/**
 * Builds services and the app over `db` with a FakeClock and bootstraps the operator token. `unavailableFeatures`
 * overrides the features refused as not built (an empty set: what saving and pricing do once all are built).
 */
export async function createApiHarness(db: Db, options: { unavailableFeatures?: ReadonlySet<Feature> } = {}): Promise<ApiHarness> {
  const clock = new FakeClock(TEST_NOW);
  const services = createServices(db, { clock, ...options });
  const app = await buildApp({ services });
  await app.ready();
  const operatorToken = (await services.auth.bootstrapOperatorToken()) ?? (await services.auth.createOperatorToken('tests')).token;
  return { app, services, clock, operatorToken, close: () => app.close() };
}

/** How a test request authenticates and what it sends. */
export interface CallOptions {
  readonly token?: string;
  readonly cookie?: string;
  readonly csrf?: string;
  readonly body?: unknown;
  readonly headers?: Record<string, string>;
}

/** A response: status, parsed JSON body (or undefined), headers. */
export interface CallResult<T = JsonObject> {
  readonly status: number;
  readonly body: T;
  readonly headers: Record<string, string | string[] | number | undefined>;
  readonly raw: string;
}

/** Sends one request through app.inject(). */
export async function call<T = JsonObject>(
  app: FastifyInstance,
  method: string,
  url: string,
  options: CallOptions = {},
): Promise<CallResult<T>> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.token !== undefined) headers.authorization = `Bearer ${options.token}`;
  if (options.cookie !== undefined) headers.cookie = options.cookie;
  if (options.csrf !== undefined) headers['x-csrf-token'] = options.csrf;
  const response = await app.inject({
    method: method as 'GET',
    url,
    headers,
    ...(options.body !== undefined ? { payload: options.body as object } : {}),
  });
  const raw = response.body;
  let body: unknown = undefined;
  if (raw !== '') {
    try {
      body = JSON.parse(raw);
    } catch {
      body = raw;
    }
  }
  return { status: response.statusCode, body: body as T, headers: response.headers, raw };
}

/** The error part of an error response. */
export interface ErrorJson {
  error: { code: string; message: string; field?: string; messages: { pl: string; en: string }; details?: JsonObject };
}

/** A tenant created through the API with one number, one extension, a quote, a tenant token and an admin. */
export interface SeededTenant {
  readonly id: string;
  readonly sipDomain: string;
  readonly e164: string;
  readonly extensionId: string;
  readonly extensionNumber: string;
  readonly quoteId: string;
  readonly token: string;
  readonly adminEmail: string;
  readonly adminPassword: string;
}

/** Creates a tenant with everything a tenant-scoped route can name, through the API as the operator. */
export async function seedTenant(h: ApiHarness, label: string, e164: string): Promise<SeededTenant> {
  const op = { token: h.operatorToken };
  const tenant = await expectStatus(201, call(h.app, 'POST', '/api/v1/tenants', { ...op, body: { name: `Tenant ${label}`, sipDomain: `${label}.pbx.example` } }));
  const id = String(tenant.id);
  await expectStatus(201, call(h.app, 'POST', `/api/v1/tenants/${id}/numbers`, { ...op, body: { number: e164 } }));
  const extensionBody = { number: '101', name: `Jan ${label}` };
  const quote = await expectStatus(201, call(h.app, 'POST', `/api/v1/tenants/${id}/quotes`, { ...op, body: { kind: 'create', extension: extensionBody } }));
  const created = await expectStatus(
    201,
    call<{ extension: { id: string; number: string } }>(h.app, 'POST', `/api/v1/tenants/${id}/extensions`, {
      ...op,
      body: { ...extensionBody, quoteId: quote.id },
    }),
  );
  const spareQuote = await expectStatus(
    201,
    call(h.app, 'POST', `/api/v1/tenants/${id}/quotes`, { ...op, body: { kind: 'create', extension: { number: '102', name: 'Spare' } } }),
  );
  const token = await expectStatus(201, call(h.app, 'POST', `/api/v1/tenants/${id}/tokens`, { ...op, body: { label: 'tests' } }));
  const adminEmail = `admin@${label}.example`;
  const adminPassword = 'correct horse 42 battery';
  await expectStatus(201, call(h.app, 'POST', `/api/v1/tenants/${id}/admins`, { ...op, body: { email: adminEmail, password: adminPassword } }));
  return {
    id,
    sipDomain: `${label}.pbx.example`,
    e164,
    extensionId: created.extension.id,
    extensionNumber: created.extension.number,
    quoteId: String(spareQuote.id),
    token: String(token.token),
    adminEmail,
    adminPassword,
  };
}

/** Awaits a call and fails with the response body unless it has `status`. */
export async function expectStatus<T = JsonObject>(status: number, pending: Promise<CallResult<T>>): Promise<T> {
  const result = await pending;
  if (result.status !== status) throw new Error(`expected HTTP ${status}, got ${result.status}: ${result.raw}`);
  return result.body;
}

/** Logs in a customer admin; returns the Cookie header value and the CSRF token. */
export async function login(h: ApiHarness, email: string, password: string): Promise<{ cookie: string; csrf: string; setCookie: string }> {
  const result = await call<{ csrfToken: string }>(h.app, 'POST', '/api/v1/auth/login', { body: { email, password } });
  if (result.status !== 200) throw new Error(`login failed: ${result.raw}`);
  const header = result.headers['set-cookie'];
  const setCookie = Array.isArray(header) ? (header[0] ?? '') : String(header ?? '');
  return { cookie: setCookie.split(';')[0] ?? '', csrf: result.body.csrfToken, setCookie };
}
