import type { LocalizedMessage } from './domain-error.js';

/** One entry of the error catalogue: the HTTP status the API answers with and what the code means. */
export interface DomainErrorInfo {
  readonly httpStatus: number;
  readonly description: string;
}

/**
 * Every {@link DomainError} code, its HTTP status and meaning. The API's error map and the docs are built from
 * this table, and a test checks that every code thrown is listed here.
 */
export const DOMAIN_ERRORS = {
  VALUE_INVALID: {
    httpStatus: 400,
    description:
      'A field is missing, unknown or of the wrong type or shape; the message names its path (`general.ringTimeSeconds: must be a number, got a string`).',
  },
  PAGE_LIMIT_INVALID: { httpStatus: 400, description: 'Page limit must be an integer from 1 to 200.' },
  CURSOR_INVALID: { httpStatus: 400, description: 'The pagination cursor is not one this server issued.' },

  TENANT_NOT_FOUND: { httpStatus: 404, description: 'No such tenant.' },
  TENANT_NAME_INVALID: { httpStatus: 400, description: 'Tenant name must be 1–100 characters.' },
  SIP_DOMAIN_INVALID: { httpStatus: 400, description: 'SIP domain must be a DNS name (lower-case labels) or an IPv4 address.' },
  SIP_DOMAIN_TAKEN: { httpStatus: 409, description: 'Another tenant already uses this SIP domain.' },
  SIP_DOMAIN_LOCKED: {
    httpStatus: 409,
    description: 'The SIP domain cannot change while the tenant has extensions (their digest hashes include the realm).',
  },
  COUNTRY_INVALID: { httpStatus: 400, description: 'Country must be a supported ISO 3166-1 alpha-2 code.' },
  LANGUAGE_INVALID: { httpStatus: 400, description: 'Language must be pl or en.' },
  CURRENCY_INVALID: { httpStatus: 400, description: 'Currency must be an ISO 4217 code (three capital letters).' },
  MAX_RATE_INVALID: { httpStatus: 400, description: 'A per-minute rate must be an integer number of minor units, 0–1,000,000.' },
  MAIN_NUMBER_NOT_OWNED: { httpStatus: 400, description: "The main number must be one of the tenant's own numbers." },

  PHONE_NUMBER_INVALID: { httpStatus: 400, description: 'Not a valid phone number (E.164 or national form of the tenant country).' },
  NUMBER_TAKEN: { httpStatus: 409, description: 'The phone number already belongs to a tenant.' },
  NUMBER_NOT_FOUND: { httpStatus: 404, description: 'The tenant has no such phone number.' },
  NUMBER_IN_USE: {
    httpStatus: 409,
    description: 'The number is still the main number or an extension caller ID / SMS sender; change those first.',
  },

  EXTENSION_NOT_FOUND: { httpStatus: 404, description: 'The tenant has no such extension.' },
  EXTENSION_NUMBER_INVALID: { httpStatus: 400, description: 'Extension number must be 2–6 digits.' },
  EXTENSION_NUMBER_EMERGENCY: {
    httpStatus: 400,
    description: 'Extension number is an emergency number (112, 997, 998, 999), a prefix of one, or starts with one.',
  },
  EXTENSION_NUMBER_RESERVED: {
    httpStatus: 400,
    description: 'Extension number is a feature code (*, #) or starts with the international prefix 00.',
  },
  EXTENSION_NUMBER_TAKEN: { httpStatus: 409, description: 'The tenant already has an extension with this number.' },
  EXTENSION_NAME_INVALID: { httpStatus: 400, description: 'Account name must be 1–64 characters without control characters.' },
  PASSWORD_TOO_WEAK: {
    httpStatus: 400,
    description: 'SIP password: 12–128 printable ASCII characters, letters and digits, not containing the extension number.',
  },
  CALLER_ID_NOT_OWNED: { httpStatus: 400, description: "Caller ID must be one of the tenant's own numbers (anti-spoofing)." },
  INTERNAL_CALLER_ID_INVALID: {
    httpStatus: 400,
    description: 'Internal caller ID substitute must be 1–32 characters without control characters, quotes, <, > or backslash.',
  },
  SMS_SENDER_INVALID: {
    httpStatus: 400,
    description: 'SMS sender: 1–11 GSM 03.38 letters, digits or spaces with at least one letter, or a tenant number.',
  },
  SMS_SENDER_NOT_OWNED: { httpStatus: 400, description: "A numeric SMS sender must be one of the tenant's own numbers." },
  RING_TIME_INVALID: { httpStatus: 400, description: 'Ring time must be an integer from 5 to 300 seconds.' },
  PIN_INVALID: { httpStatus: 400, description: 'A PIN must be 4–8 digits.' },
  VOICEMAIL_PIN_REQUIRED: { httpStatus: 400, description: 'Voicemail can only be enabled with a PIN.' },
  EMAIL_INVALID: { httpStatus: 400, description: 'Not a valid e-mail address.' },
  FORWARD_TARGET_INVALID: { httpStatus: 400, description: 'Forwarding target must be none, extension, voicemail or external.' },
  FORWARD_TARGET_NOT_FOUND: { httpStatus: 400, description: 'Forwarding target extension does not exist in this tenant.' },
  FORWARD_TARGET_SELF: { httpStatus: 400, description: 'An extension cannot forward to itself.' },
  FORWARD_VOICEMAIL_DISABLED: { httpStatus: 400, description: 'Forwarding to voicemail requires voicemail to be enabled.' },
  RETURN_AFTER_INVALID: { httpStatus: 400, description: '"Return after" must be empty or an integer from 5 to 300 seconds.' },
  INTERNATIONAL_LEVEL_INVALID: { httpStatus: 400, description: 'Calling level must be internal, domestic, eu or worldwide.' },
  FEATURE_NOT_AVAILABLE: {
    httpStatus: 400,
    description:
      'The change turns on a feature that is not built yet (`details.feature`; `field` names the setting or price line); leave it at its default.',
  },
  EXTENSION_IN_USE: {
    httpStatus: 409,
    description: 'Other extensions forward to this extension; change their forwarding before deleting or renumbering it.',
  },

  CALL_NOT_FOUND: { httpStatus: 404, description: 'The tenant has no such call in its call history.' },
  LIVE_CALL_NOT_FOUND: { httpStatus: 404, description: 'The tenant has no such call in progress (it may just have ended).' },
  DATE_TIME_INVALID: {
    httpStatus: 400,
    description: 'A date-time must be ISO 8601 with a time zone, e.g. 2025-01-10T12:00:00Z or 2025-01-10T13:00:00+01:00.',
  },
  TIME_RANGE_INVALID: { httpStatus: 400, description: 'The end of a time range (`to`) must be later than its start (`from`).' },

  PRICE_LIST_INVALID: { httpStatus: 400, description: 'Price list fees must be integers of minor units, 0–100,000,000.' },
  QUOTE_REQUIRED: { httpStatus: 428, description: 'This change costs money: request a quote and confirm it with its id.' },
  QUOTE_STALE: {
    httpStatus: 409,
    description: 'The quote expired, was already used, or no longer matches the change or the price list; request a new one.',
  },
  QUOTE_NOT_FOUND: { httpStatus: 404, description: 'The tenant has no such quote.' },

  UNAUTHENTICATED: { httpStatus: 401, description: 'Missing, unknown, revoked or expired token or session.' },
  INVALID_CREDENTIALS: { httpStatus: 401, description: 'Wrong e-mail or password.' },
  LOGIN_BLOCKED: {
    httpStatus: 429,
    description:
      'Too many failed logins from this address or for this e-mail: refused unheard until `details.retryAfterSeconds` have passed (also in Retry-After).',
  },
  SECURITY_BLOCK_NOT_FOUND: { httpStatus: 404, description: 'No such block in force (it may have ended or been lifted already).' },
  FORBIDDEN: { httpStatus: 403, description: 'The caller may not do this (e.g. a tenant token used on another tenant).' },
  CSRF_INVALID: { httpStatus: 403, description: 'Missing or wrong CSRF token for a session-authenticated change.' },
  ADMIN_EMAIL_TAKEN: { httpStatus: 409, description: 'An administrator with this e-mail already exists.' },
  ADMIN_PASSWORD_WEAK: { httpStatus: 400, description: 'Administrator password: 12–256 characters with letters and digits.' },
} as const satisfies Record<string, DomainErrorInfo>;

/** A code of the {@link DOMAIN_ERRORS} catalogue. */
export type DomainErrorCode = keyof typeof DOMAIN_ERRORS;

/**
 * The user-facing text of each code that always reads the same, in both languages of the panel: one text per code,
 * kept here rather than at the throw sites (build the error with `domainError(code)`). Codes whose text names the
 * value at fault (a taken number, a field) compose it where they are thrown.
 */
export const DOMAIN_ERROR_MESSAGES = {
  PAGE_LIMIT_INVALID: { pl: 'Limit strony: liczba od 1 do 200.', en: 'Page limit must be 1–200.' },
  CURSOR_INVALID: { pl: 'Nieprawidłowy kursor strony.', en: 'Invalid page cursor.' },
  TENANT_NOT_FOUND: { pl: 'Nie ma takiej firmy.', en: 'No such tenant.' },
  SIP_DOMAIN_LOCKED: {
    pl: 'Domeny SIP nie można zmienić, gdy firma ma konta SIP.',
    en: 'The SIP domain cannot change while the tenant has extensions.',
  },
  PHONE_NUMBER_INVALID: { pl: 'Nieprawidłowy numer telefonu.', en: 'Not a valid phone number.' },
  NUMBER_NOT_FOUND: { pl: 'Firma nie ma takiego numeru.', en: 'The tenant has no such number.' },
  EXTENSION_NOT_FOUND: { pl: 'Nie ma takiego konta SIP.', en: 'No such extension.' },
  QUOTE_NOT_FOUND: { pl: 'Nie ma takiej wyceny.', en: 'No such quote.' },
  QUOTE_REQUIRED: { pl: 'Ta zmiana kosztuje: najpierw poproś o wycenę i ją potwierdź.', en: 'This change costs money: request a quote and confirm it.' },
  CALL_NOT_FOUND: { pl: 'Nie ma takiego połączenia w historii.', en: 'No such call in the call history.' },
  TIME_RANGE_INVALID: {
    pl: 'Koniec zakresu (to) musi być późniejszy niż początek (from).',
    en: 'The end of the range (to) must be later than its start (from).',
  },
  LIVE_CALL_NOT_FOUND: { pl: 'Nie ma takiego trwającego połączenia.', en: 'No such call in progress.' },
  UNAUTHENTICATED: {
    pl: 'Wymagane uwierzytelnienie: brak, nieznany lub wygasły token albo sesja.',
    en: 'Authentication required: missing, unknown or expired token or session.',
  },
  INVALID_CREDENTIALS: { pl: 'Nieprawidłowy e-mail lub hasło.', en: 'Wrong e-mail or password.' },
  EMAIL_INVALID: { pl: 'Nieprawidłowy adres e-mail.', en: 'Invalid e-mail address.' },
  SECURITY_BLOCK_NOT_FOUND: {
    pl: 'Nie ma takiej aktywnej blokady (mogła już wygasnąć lub zostać zdjęta).',
    en: 'No such block in force (it may have ended or been lifted already).',
  },
  FORBIDDEN: { pl: 'Brak uprawnień do tej operacji.', en: 'You may not do this.' },
  CSRF_INVALID: { pl: 'Brak lub nieprawidłowy token CSRF (nagłówek X-CSRF-Token).', en: 'Missing or wrong CSRF token (X-CSRF-Token header).' },
  ADMIN_EMAIL_TAKEN: { pl: 'Ten e-mail jest już używany.', en: 'This e-mail is already in use.' },
  ADMIN_PASSWORD_WEAK: { pl: 'Hasło: od 12 do 256 znaków, litery i cyfry.', en: 'Password: 12–256 characters with letters and digits.' },
} as const satisfies Partial<Record<DomainErrorCode, LocalizedMessage>>;

/** A code whose text lives in {@link DOMAIN_ERROR_MESSAGES}. */
export type CataloguedErrorCode = keyof typeof DOMAIN_ERROR_MESSAGES;
