import type { LocalizedMessage } from '../domain/index.js';

/** One entry of the API-level error catalogue: status, meaning, and the message shown to clients. */
export interface ApiErrorInfo {
  readonly httpStatus: number;
  readonly description: string;
  readonly messages: LocalizedMessage;
}

/**
 * Errors raised by the HTTP layer itself (not by a use case). Together with the domain's DOMAIN_ERRORS this is
 * every `error.code` a client can see; docs/api-errors.md documents both (a test checks it).
 */
export const API_ERRORS = {
  VALIDATION_ERROR: {
    httpStatus: 400,
    description: 'The request does not match the schema of the route (missing, unknown or wrongly typed field); `field` names it.',
    messages: { pl: 'Nieprawidłowe dane żądania.', en: 'The request is not valid.' },
  },
  BAD_REQUEST: {
    httpStatus: 400,
    description:
      'The request body could not be read: malformed JSON (the message and `details` give line and column) or an empty body with a JSON content type.',
    messages: { pl: 'Nie można odczytać treści żądania.', en: 'The request body could not be read.' },
  },
  NOT_FOUND: {
    httpStatus: 404,
    description: 'No such route (unknown path or method).',
    messages: { pl: 'Nie znaleziono.', en: 'Not found.' },
  },
  PAYLOAD_TOO_LARGE: {
    httpStatus: 413,
    description: 'The request body is larger than the route accepts.',
    messages: { pl: 'Treść żądania jest za duża.', en: 'The request body is too large.' },
  },
  UNSUPPORTED_MEDIA_TYPE: {
    httpStatus: 415,
    description: 'The request body has a content type the route does not accept (use application/json).',
    messages: { pl: 'Nieobsługiwany typ treści.', en: 'Unsupported content type.' },
  },
  IDEMPOTENCY_KEY_INVALID: {
    httpStatus: 400,
    description: 'The `Idempotency-Key` header is not 1–255 visible ASCII characters (or was sent twice).',
    messages: {
      pl: 'Nagłówek Idempotency-Key musi mieć od 1 do 255 widocznych znaków ASCII.',
      en: 'The Idempotency-Key header must be 1 to 255 visible ASCII characters.',
    },
  },
  IDEMPOTENCY_KEY_REUSED: {
    httpStatus: 422,
    description: 'The `Idempotency-Key` was already used, within 24 hours, with a different request (method, path or body).',
    messages: {
      pl: 'Ten klucz Idempotency-Key użyto już z innym żądaniem.',
      en: 'This Idempotency-Key was already used with a different request.',
    },
  },
  IDEMPOTENCY_KEY_IN_PROGRESS: {
    httpStatus: 409,
    description: 'The first request with this `Idempotency-Key` is still running; retry after `Retry-After` seconds.',
    messages: {
      pl: 'Żądanie z tym kluczem Idempotency-Key jest jeszcze przetwarzane; spróbuj ponownie za chwilę.',
      en: 'A request with this Idempotency-Key is still being processed; retry shortly.',
    },
  },
  STORE_UNAVAILABLE: {
    httpStatus: 503,
    description:
      'The database is down or could not run the request now (connection lost, restarting, statement timeout, SQLite busy or disk full). Nothing was changed; retry after `Retry-After` seconds (with the same `Idempotency-Key` for a create).',
    messages: {
      pl: 'Baza danych jest chwilowo niedostępna; spróbuj ponownie za chwilę.',
      en: 'The database is temporarily unavailable; retry shortly.',
    },
  },
  INTERNAL_ERROR: {
    httpStatus: 500,
    description: 'An unexpected server error. Details are logged on the server with the request id (X-Request-Id), never sent.',
    messages: { pl: 'Wewnętrzny błąd serwera.', en: 'Internal server error.' },
  },
} as const satisfies Record<string, ApiErrorInfo>;

/** A code of the {@link API_ERRORS} catalogue. */
export type ApiErrorCode = keyof typeof API_ERRORS;
