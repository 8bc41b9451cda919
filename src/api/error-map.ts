import { DOMAIN_ERRORS, type LocalizedMessage } from '../domain/index.js';
import { API_ERRORS } from './api-errors.js';

/** The JSON every error response carries. */
export interface ErrorBody {
  error: {
    code: string;
    message: string;
    field?: string;
    messages: LocalizedMessage;
    details?: Record<string, unknown>;
  };
}

const STATUS: ReadonlyMap<string, number> = new Map<string, number>([
  ...Object.entries(DOMAIN_ERRORS).map(([code, info]) => [code, info.httpStatus] as const),
  ...Object.entries(API_ERRORS).map(([code, info]) => [code, info.httpStatus] as const),
]);

/**
 * The one table from error code to HTTP status: DOMAIN_ERRORS and API_ERRORS. An unknown code is a bug and
 * answers 500.
 */
export function httpStatusOf(code: string): number {
  return STATUS.get(code) ?? 500;
}

/** True when `code` is in one of the catalogues. */
export function isKnownErrorCode(code: string): boolean {
  return STATUS.has(code);
}

/** Builds the error JSON; `message` is the English text (clients pick `messages[lang]`). */
export function errorBody(
  code: string,
  messages: LocalizedMessage,
  field?: string,
  details?: Record<string, unknown>,
): ErrorBody {
  return {
    error: {
      code,
      message: messages.en,
      ...(field !== undefined ? { field } : {}),
      messages: { pl: messages.pl, en: messages.en },
      ...(details !== undefined ? { details } : {}),
    },
  };
}
