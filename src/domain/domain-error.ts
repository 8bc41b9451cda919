import { DOMAIN_ERROR_MESSAGES, type CataloguedErrorCode, type DomainErrorCode } from './domain-errors.js';

/** A user-facing message in both languages of the panel. */
export interface LocalizedMessage {
  readonly pl: string;
  readonly en: string;
}

/** Options of a {@link DomainError}: the offending field (dotted path) and machine-readable details. */
export interface DomainErrorOptions {
  readonly field?: string;
  readonly details?: Record<string, unknown>;
}

/**
 * A catchable business-rule violation with a stable code from {@link DOMAIN_ERRORS}. The API maps the code to
 * an HTTP status and shows `messages` to the user; `field` is the dotted path of the input at fault
 * (`number`, `voicemail.pin`, `forwarding.busy.target`).
 */
export class DomainError extends Error {
  override readonly name = 'DomainError';
  readonly code: DomainErrorCode;
  readonly field: string | undefined;
  readonly messages: LocalizedMessage;
  readonly details: Record<string, unknown> | undefined;

  constructor(code: DomainErrorCode, messages: LocalizedMessage, options: DomainErrorOptions = {}) {
    super(messages.en);
    this.code = code;
    this.field = options.field;
    this.messages = messages;
    this.details = options.details;
  }
}

/** True when `err` is a {@link DomainError} (optionally with the given code). */
export function isDomainError(err: unknown, code?: DomainErrorCode): err is DomainError {
  return err instanceof DomainError && (code === undefined || err.code === code);
}

/** A {@link DomainError} of a code with a catalogued text ({@link DOMAIN_ERROR_MESSAGES}). */
export function domainError(code: CataloguedErrorCode, options: DomainErrorOptions = {}): DomainError {
  return new DomainError(code, DOMAIN_ERROR_MESSAGES[code], options);
}
