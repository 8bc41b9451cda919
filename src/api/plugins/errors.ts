import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { isDomainError } from '../../domain/index.js';
import { StoreUnavailableError } from '../../lib/index.js';
import { API_ERRORS, type ApiErrorCode } from '../api-errors.js';
import { errorBody, httpStatusOf } from '../error-map.js';
import { RequestBodyError } from '../json-body.js';
import { SchemaValidationError } from '../schema-validation.js';

/**
 * The one error handler of the API. Every error becomes `{ error: { code, message, field?, messages } }` with
 * the status of the error map. Domain and validation errors carry deliberate messages; anything else is logged
 * with its stack and answered with a generic INTERNAL_ERROR (never a stack trace or an internal message).
 */
export function registerErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((err: FastifyError, request, reply) => handleError(err, request, reply));
  app.setNotFoundHandler((request, reply) => {
    request.log.debug({ method: request.method, url: request.url }, 'no such route');
    void reply.code(404).send(errorBody('NOT_FOUND', API_ERRORS.NOT_FOUND.messages));
  });
}

function handleError(err: FastifyError, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  if (isDomainError(err)) {
    const status = httpStatusOf(err.code);
    if (status >= 500) request.log.error({ err }, 'domain error answered with a server error');
    else request.log.info({ code: err.code, field: err.field }, 'request refused');
    if (err.code === 'UNAUTHENTICATED') void reply.header('www-authenticate', 'Bearer realm="centrala"');
    // A refusal that says when to come back (e.g. LOGIN_BLOCKED) says it in HTTP too.
    const retryAfter = err.details?.['retryAfterSeconds'];
    if (typeof retryAfter === 'number') void reply.header('retry-after', String(retryAfter));
    return reply.code(status).send(errorBody(err.code, err.messages, err.field, err.details));
  }
  if (err instanceof RequestBodyError) {
    request.log.info({ code: err.code, ...err.details }, 'request body cannot be read');
    return reply.code(httpStatusOf(err.code)).send(errorBody(err.code, err.messages, undefined, err.details));
  }
  if (err instanceof SchemaValidationError) {
    request.log.info({ code: err.code, field: err.field, part: err.part }, 'request does not match the schema');
    return reply.code(httpStatusOf(err.code)).send(errorBody(err.code, err.messages, err.field));
  }
  const unavailable = storeUnavailable(err);
  if (unavailable) {
    request.log.warn({ err: unavailable }, 'store unavailable: answered with a temporary failure');
    void reply.header('retry-after', String(unavailable.retryAfterSeconds));
    return reply.code(httpStatusOf('STORE_UNAVAILABLE')).send(errorBody('STORE_UNAVAILABLE', API_ERRORS.STORE_UNAVAILABLE.messages));
  }
  const status = typeof err.statusCode === 'number' ? err.statusCode : 500;
  if (status >= 400 && status < 500) {
    const code = apiCodeForStatus(status, err);
    request.log.info({ code, fastifyCode: err.code }, 'request refused by the framework');
    return reply.code(httpStatusOf(code)).send(errorBody(code, API_ERRORS[code].messages));
  }
  request.log.error({ err }, 'unexpected error');
  return reply.code(500).send(errorBody('INTERNAL_ERROR', API_ERRORS.INTERNAL_ERROR.messages));
}

/** The {@link StoreUnavailableError} that `err` is or was caused by (a plugin may wrap it), if any. */
function storeUnavailable(err: unknown): StoreUnavailableError | undefined {
  for (let e = err, depth = 0; e instanceof Error && depth < 5; e = e.cause, depth++) {
    if (e instanceof StoreUnavailableError) return e;
  }
  return undefined;
}

/** Framework-raised 4xx errors (body parser, content type, route validation) → our API codes. */
function apiCodeForStatus(status: number, err: FastifyError): ApiErrorCode {
  if (err.validation !== undefined) return 'VALIDATION_ERROR';
  switch (status) {
    case 404:
      return 'NOT_FOUND';
    case 413:
      return 'PAYLOAD_TOO_LARGE';
    case 415:
      return 'UNSUPPORTED_MEDIA_TYPE';
    default:
      return 'BAD_REQUEST';
  }
}
