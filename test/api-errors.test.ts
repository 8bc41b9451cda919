// The error catalogue and the one error handler: every code is documented with its status, every failure is the
// same JSON shape, and nothing internal leaks.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { API_ERRORS, buildApp, httpStatusOf } from '../src/api/index.js';
import { DOMAIN_ERRORS, DomainError, type Principal } from '../src/domain/index.js';
import { StoreUnavailableError } from '../src/lib/index.js';
import type { Services } from '../src/services/index.js';
import { call, type ErrorJson } from './api-harness.js';

const DOCS = readFileSync(new URL('../docs/api-errors.md', import.meta.url), 'utf8');

/** A stand-in for the services: an operator token, and use cases that fail the way a test needs. */
function fakeServices(overrides: { tenantsList?: () => Promise<never>; received?: unknown[] } = {}): Services {
  const operator: Principal = { kind: 'operator' };
  return {
    auth: { verifyToken: async (token: string) => (token === 'op' ? operator : undefined), verifySession: async () => undefined },
    tenants: {
      list: overrides.tenantsList ?? (async () => ({ items: [], nextCursor: null })),
      create: async (input: unknown) => {
        overrides.received?.push(input);
        throw new DomainError('TENANT_NAME_INVALID', { pl: 'Zła nazwa.', en: 'Bad name.' }, { field: 'name' });
      },
    },
  } as unknown as Services;
}

describe('error catalogue', () => {
  const catalogues = { DOMAIN_ERRORS, API_ERRORS } as Record<string, Record<string, { httpStatus: number }>>;
  for (const [name, catalogue] of Object.entries(catalogues)) {
    it(`documents every ${name} code with its HTTP status in docs/api-errors.md`, () => {
      const missing = Object.entries(catalogue)
        .filter(([code, info]) => !new RegExp(`\\|\\s*\`${code}\`\\s*\\|\\s*${info.httpStatus}\\s*\\|`).test(DOCS))
        .map(([code, info]) => `${code} (${info.httpStatus})`);
      assert.deepEqual(missing, [], `undocumented: ${missing.join(', ')}`);
    });
  }

  it('maps every code to the status of its catalogue entry, and no code is in both catalogues', () => {
    for (const [code, info] of Object.entries(DOMAIN_ERRORS)) assert.equal(httpStatusOf(code), info.httpStatus, code);
    for (const [code, info] of Object.entries(API_ERRORS)) assert.equal(httpStatusOf(code), info.httpStatus, code);
    const both = Object.keys(API_ERRORS).filter((code) => code in DOMAIN_ERRORS);
    assert.deepEqual(both, []);
  });

  it('has no code in the docs that is in neither catalogue', () => {
    const documented = [...DOCS.matchAll(/^\|\s*`([A-Z_]+)`\s*\|/gm)].map((m) => m[1] ?? '');
    const unknown = documented.filter((code) => !(code in DOMAIN_ERRORS) && !(code in API_ERRORS));
    assert.deepEqual(unknown, []);
  });
});

describe('error handler', () => {
  const op = { token: 'op' };

  it('answers an unexpected error with 500 INTERNAL_ERROR and no internal detail', async () => {
    const app = await buildApp({
      services: fakeServices({
        tenantsList: async () => {
          throw new Error('connection to secret-db.internal:5432 refused at Pool.connect (/srv/app/node_modules/pg)');
        },
      }),
    });
    const result = await call<ErrorJson>(app, 'GET', '/api/v1/tenants', op);
    assert.equal(result.status, 500);
    assert.deepEqual(result.body, {
      error: { code: 'INTERNAL_ERROR', message: API_ERRORS.INTERNAL_ERROR.messages.en, messages: API_ERRORS.INTERNAL_ERROR.messages },
    });
    assert.doesNotMatch(result.raw, /secret|Pool|node_modules|at /);
    assert.match(String(result.headers['x-request-id']), /^[0-9a-f-]{36}$/);
    await app.close();
  });

  it('answers a request that needs the unavailable store with 503 STORE_UNAVAILABLE and Retry-After, not 500', async () => {
    const app = await buildApp({
      services: fakeServices({
        tenantsList: async () => {
          throw new StoreUnavailableError('store unavailable: the database connection failed: Connection terminated unexpectedly', {
            retryAfterSeconds: 7,
          });
        },
      }),
    });
    const result = await call<ErrorJson>(app, 'GET', '/api/v1/tenants', op);
    assert.equal(result.status, 503, result.raw);
    assert.equal(result.headers['retry-after'], '7');
    assert.deepEqual(result.body, {
      error: { code: 'STORE_UNAVAILABLE', message: API_ERRORS.STORE_UNAVAILABLE.messages.en, messages: API_ERRORS.STORE_UNAVAILABLE.messages },
    });
    assert.doesNotMatch(result.raw, /Connection terminated/);
    await app.close();
  });

  const framework: Array<[string, Parameters<typeof call>[3] & { method?: string; url?: string }, number, string]> = [
    ['an unknown route', { method: 'GET', url: '/api/v1/nothing-here' }, 404, 'NOT_FOUND'],
    ['malformed JSON', { headers: { 'content-type': 'application/json' }, body: '{"name": ' }, 400, 'BAD_REQUEST'],
    ['a non-JSON content type', { headers: { 'content-type': 'text/plain' }, body: 'name=x' }, 415, 'UNSUPPORTED_MEDIA_TYPE'],
    ['a body over the limit', { body: { name: 'x'.repeat(2 * 1024 * 1024), sipDomain: 'a.example' } }, 413, 'PAYLOAD_TOO_LARGE'],
  ];
  for (const [what, options, status, code] of framework) {
    it(`answers ${what} with ${status} ${code} in the error JSON`, async () => {
      const app = await buildApp({ services: fakeServices() });
      const result = await call<ErrorJson>(app, options.method ?? 'POST', options.url ?? '/api/v1/tenants', { ...op, ...options });
      assert.equal(result.status, status, result.raw);
      assert.equal(result.body.error.code, code);
      assert.deepEqual(Object.keys(result.body.error.messages).sort(), ['en', 'pl']);
      await app.close();
    });
  }

  const schemaCases: Array<[string, unknown, string | undefined]> = [
    ['an unknown field', { name: 'A', sipDomain: 'a.example', colour: 'red' }, 'colour'],
    ['a nested unknown field', { name: 'A', sipDomain: 'a.example', defaultMaxRate: { amountMinor: 1, currency: 'PLN', extra: 1 } }, 'defaultMaxRate.extra'],
    ['a body that is not an object', [1, 2, 3], undefined],
  ];
  for (const [what, body, field] of schemaCases) {
    it(`answers ${what} with 400 VALIDATION_ERROR naming the field`, async () => {
      const app = await buildApp({ services: fakeServices() });
      const result = await call<ErrorJson>(app, 'POST', '/api/v1/tenants', { ...op, body });
      assert.equal(result.status, 400, result.raw);
      assert.equal(result.body.error.code, 'VALIDATION_ERROR');
      assert.equal(result.body.error.field, field);
      await app.close();
    });
  }

  it('lets a wrongly typed domain field through to the use case, which answers with its own code and field', async () => {
    const received: unknown[] = [];
    const app = await buildApp({ services: fakeServices({ received }) });
    const result = await call<ErrorJson>(app, 'POST', '/api/v1/tenants', { ...op, body: { name: 42, sipDomain: false } });
    assert.equal(result.status, 400, result.raw);
    assert.equal(result.body.error.code, 'TENANT_NAME_INVALID');
    assert.equal(result.body.error.field, 'name');
    assert.deepEqual(received, [{ name: 42, sipDomain: false }]);
    await app.close();
  });
});

describe('health and docs', () => {
  it('answers /healthz with 200 ok when SIP listens and the store answers, 503 starting or unavailable otherwise', async () => {
    for (const [health, status, body] of [
      [async () => ({ ready: true, storeUp: true }), 200, { status: 'ok', ready: true, store: 'up' }],
      [async () => ({ ready: false, storeUp: true }), 503, { status: 'starting', ready: false, store: 'up' }],
      [async () => ({ ready: true, storeUp: false }), 503, { status: 'unavailable', ready: true, store: 'down' }],
      [async () => ({ ready: false, storeUp: false }), 503, { status: 'starting', ready: false, store: 'down' }],
      [async () => Promise.reject(new Error('down')), 503, { status: 'unavailable', ready: true, store: 'down' }],
    ] as const) {
      const app = await buildApp({ services: fakeServices(), health });
      const result = await call(app, 'GET', '/healthz');
      assert.equal(result.status, status);
      assert.deepEqual(result.body, body);
      await app.close();
    }
  });

  it('serves OpenAPI 3 describing every API route, at /api/openapi.json and /api/docs/json, and the UI at /api/docs', async () => {
    const app = await buildApp({ services: fakeServices() });
    const spec = await call<{ openapi: string; paths: Record<string, Record<string, unknown>> }>(app, 'GET', '/api/openapi.json');
    assert.equal(spec.status, 200);
    assert.match(spec.body.openapi, /^3\./);
    for (const route of app.apiRoutes) {
      const path = route.url.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
      assert.ok(spec.body.paths[path]?.[route.method.toLowerCase()], `OpenAPI lacks ${route.method} ${path}`);
    }
    const json = await call(app, 'GET', '/api/docs/json');
    assert.equal(json.status, 200);
    assert.deepEqual(json.body, spec.body);
    const ui = await call(app, 'GET', '/api/docs/');
    assert.equal(ui.status, 200);
    assert.match(String(ui.headers['content-type']), /text\/html/);
    await app.close();
  });
});

describe('route declarations', () => {
  const cases: Array<[string, string, Record<string, unknown>, RegExp]> = [
    ['a route without an access level', '/api/v1/gadgets', {}, /must declare config\.access/],
    ['a tenant route open to any principal', '/api/v1/tenants/:tenantId/gadgets', { access: 'authenticated' }, /must have access 'tenant' or 'operator'/],
    ['a tenant route with a parameter the scope cannot resolve', '/api/v1/tenants/:tenantId/gadgets/:gadgetId', { access: 'tenant' }, /no tenant-scope resolver for :gadgetId/],
  ];
  for (const [what, url, config, message] of cases) {
    it(`refuses ${what} at startup`, async () => {
      const app = await buildApp({ services: fakeServices() });
      assert.throws(() => app.get(url, { config }, async () => ({})), message);
      await app.close();
    });
  }
});
