export { buildApp, API_PREFIX, type ApiOptions } from './app.js';
export { API_ERRORS, type ApiErrorCode, type ApiErrorInfo } from './api-errors.js';
export { httpStatusOf, isKnownErrorCode, errorBody, type ErrorBody } from './error-map.js';
export type { Access, ApiRoute, Authentication } from './access.js';
export { SESSION_COOKIE, CSRF_HEADER } from './plugins/auth.js';
export { TENANT_PARAM_ALIASES, TENANT_PARAM_RESOLVERS, routeParams } from './plugins/tenant-scope.js';
export { DOCS_PREFIX, OPENAPI_PATH } from './plugins/openapi.js';
export type { HealthCheck, HealthReport } from './routes/index.js';
export {
  ExtensionCreateInput as ExtensionCreateInputSchema,
  ExtensionPatchInput as ExtensionPatchInputSchema,
} from './routes/extensions/schema.js';
