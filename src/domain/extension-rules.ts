import {
  EXTENSION_DEFAULTS,
  INTERNATIONAL_LEVELS,
  type CallerId,
  type Extension,
  type ExtensionAdvanced,
  type ExtensionForwarding,
  type ExtensionGeneral,
  type ExtensionSettings,
  type ExtensionVoicemail,
  type ForwardTarget,
  type InternalCallerId,
  type InternationalLevel,
} from './extension.js';
import type { ExtensionCreateInput, ExtensionPatch } from './extension-input.js';
import {
  RESERVED_EXTENSION_PREFIXES,
  boundedInteger,
  boundedText,
  isGsmSenderText,
  shadowedEmergencyNumber,
  validEmail,
  validPhoneNumber,
  validPin,
} from './field-rules.js';
import { DomainError } from './domain-error.js';
import { addFeatureNotAvailable, unavailableFeaturesTurnedOn, type Feature } from './feature-availability.js';
import { RuleIssues, isRecord, overlay } from './rule-issues.js';
import { generateSipPassword } from './sip-password.js';

// The one place where every rule of SPEC section 2 is checked. Services call resolveExtensionCreate /
// resolveExtensionPatch; the API and CLI never re-implement a rule.

/** What the rules need to know about the tenant around the extension. */
export interface ExtensionRuleContext {
  /** Tenant country for national-form numbers. */
  readonly country: string;
  /** The tenant's own numbers (E.164): allowed caller IDs and numeric SMS senders. */
  readonly ownedNumbers: ReadonlySet<string>;
  /** Numbers of the tenant's other extensions (this one excluded). */
  readonly otherExtensionNumbers: ReadonlySet<string>;
  /** Features that may not be turned on; default UNAVAILABLE_FEATURES (the rules of each are tested alone). */
  readonly unavailableFeatures?: ReadonlySet<Feature>;
}

/** A validated, normalised create or change, with the secrets still in plaintext for the caller to hash. */
export interface ResolvedExtensionChange {
  readonly settings: ExtensionSettings;
  /** SIP password to hash (given or generated); undefined keeps the stored hashes. */
  readonly password: string | undefined;
  /** True when `password` was generated rather than given. */
  readonly passwordGenerated: boolean;
  /** New voicemail PIN; null clears it; undefined keeps it. */
  readonly voicemailPin: string | null | undefined;
  /** New outgoing-call PIN; null clears it; undefined keeps it. */
  readonly outgoingPin: string | null | undefined;
}

/** Validates and normalises a new extension; throws a DomainError listing every violated rule. */
export function resolveExtensionCreate(input: ExtensionCreateInput, ctx: ExtensionRuleContext): ResolvedExtensionChange {
  if (!isRecord(input)) throw invalidInput();
  return resolve(undefined, input, ctx);
}

/** Applies a partial change to `current` and validates the result as a whole. */
export function resolveExtensionPatch(current: Extension, patch: ExtensionPatch, ctx: ExtensionRuleContext): ResolvedExtensionChange {
  if (!isRecord(patch)) throw invalidInput();
  return resolve(current, patch, ctx);
}

function invalidInput(): DomainError {
  return new DomainError('VALUE_INVALID', { pl: 'Nieprawidłowe dane konta.', en: 'Invalid account data.' });
}

function resolve(current: Extension | undefined, input: ExtensionCreateInput | ExtensionPatch, ctx: ExtensionRuleContext): ResolvedExtensionChange {
  const issues = new RuleIssues();
  const base: ExtensionSettings = current ?? { number: '', name: '', ...EXTENSION_DEFAULTS };

  const number = input.number === undefined && current ? current.number : checkNumber(input.number, ctx, issues);
  const name = input.name === undefined && current ? current.name : checkName(input.name, issues);

  const general = checkGeneral(section(base.general, input.general, 'general', issues), ctx, issues);
  const vmRaw = section(base.voicemail, input.voicemail, 'voicemail', issues);
  const advRaw = section(base.advanced, input.advanced, 'advanced', issues);
  const voicemailPin = checkOptionalPin(isRecord(input.voicemail) ? input.voicemail.pin : undefined, 'voicemail.pin', issues);
  const outgoingPin = checkOptionalPin(isRecord(input.advanced) ? input.advanced.outgoingPin : undefined, 'advanced.outgoingPin', issues);
  const pinSet = voicemailPin === undefined ? (current?.secrets.voicemailPinHash ?? null) !== null : voicemailPin !== null;
  const voicemail = checkVoicemail(vmRaw, pinSet, issues);
  const forwarding = checkForwarding(section(base.forwarding, input.forwarding, 'forwarding', issues), number, voicemail.enabled, ctx, issues);
  const advanced = checkAdvanced(advRaw, issues);

  let password: string | undefined;
  let passwordGenerated = false;
  if (input.password !== undefined) {
    password = checkPassword(input.password, number, issues);
  } else if (!current || current.number !== number) {
    // The digest user name is the extension number, so HA1 must be recomputed: a new number needs a new password.
    password = generateSipPassword(number);
    passwordGenerated = true;
  }

  const settings: ExtensionSettings = { number, name, general, voicemail, forwarding, advanced };
  // A feature that is not built yet is refused first: fixing the other fields would not make it save.
  const refused = new RuleIssues();
  for (const s of unavailableFeaturesTurnedOn(current, settings, ctx.unavailableFeatures)) addFeatureNotAvailable(refused, s.feature, s.field);
  refused.addAll(issues.list);
  refused.throwIfAny();
  return {
    settings,
    password,
    passwordGenerated,
    voicemailPin,
    outgoingPin,
  };
}

function section(base: object, patch: unknown, field: string, issues: RuleIssues): Record<string, unknown> {
  if (patch === undefined) return { ...base };
  if (!isRecord(patch)) {
    issues.add('VALUE_INVALID', field, `Sekcja ${field} musi być obiektem.`, `Section ${field} must be an object.`);
    return { ...base };
  }
  return overlay(base, patch);
}

function checkBoolean(value: unknown, field: string, issues: RuleIssues): boolean {
  if (typeof value === 'boolean') return value;
  issues.add('VALUE_INVALID', field, `Pole ${field} musi mieć wartość tak/nie.`, `Field ${field} must be true or false.`);
  return false;
}

/** SPEC 2.1: digits only, 2–6 digits, unique, not an emergency number or its prefix, not a feature code. */
function checkNumber(value: unknown, ctx: ExtensionRuleContext, issues: RuleIssues): string {
  const field = 'number';
  if (typeof value !== 'string') {
    issues.add('EXTENSION_NUMBER_INVALID', field, 'Numer wewnętrzny musi mieć 2–6 cyfr.', 'Extension number must be 2–6 digits.');
    return '';
  }
  if (value.startsWith('*') || value.startsWith('#')) {
    issues.add('EXTENSION_NUMBER_RESERVED', field, 'Numer wewnętrzny nie może być kodem usługi (*, #).', 'Extension number cannot be a feature code (*, #).');
    return value;
  }
  if (!/^\d{2,6}$/.test(value)) {
    issues.add('EXTENSION_NUMBER_INVALID', field, 'Numer wewnętrzny musi mieć 2–6 cyfr.', 'Extension number must be 2–6 digits.');
    return value;
  }
  const emergency = shadowedEmergencyNumber(value);
  if (emergency !== undefined) {
    issues.add(
      'EXTENSION_NUMBER_EMERGENCY',
      field,
      `Numer ${value} koliduje z numerem alarmowym ${emergency}.`,
      `Number ${value} would shadow the emergency number ${emergency}.`,
      { emergencyNumber: emergency },
    );
    return value;
  }
  if (RESERVED_EXTENSION_PREFIXES.some((p) => value.startsWith(p))) {
    issues.add('EXTENSION_NUMBER_RESERVED', field, 'Numer wewnętrzny nie może zaczynać się od 00 (prefiks międzynarodowy).', 'Extension number cannot start with 00 (international prefix).');
    return value;
  }
  if (ctx.otherExtensionNumbers.has(value)) {
    issues.add('EXTENSION_NUMBER_TAKEN', field, `Numer wewnętrzny ${value} jest już zajęty.`, `Extension number ${value} is already taken.`);
  }
  return value;
}

/** SPEC 2.1: account name, 1–64 characters. */
function checkName(value: unknown, issues: RuleIssues): string {
  const name = boundedText(value, 1, 64);
  if (name === undefined) {
    issues.add('EXTENSION_NAME_INVALID', 'name', 'Nazwa konta musi mieć od 1 do 64 znaków.', 'Account name must be 1–64 characters.');
    return '';
  }
  return name;
}

/** SPEC 2.1: at least 12 characters, letters and digits, not containing the extension number. */
function checkPassword(value: unknown, number: string, issues: RuleIssues): string | undefined {
  const field = 'password';
  const weak = (reason: string, pl: string, en: string): undefined => {
    issues.add('PASSWORD_TOO_WEAK', field, pl, en, { reason });
    return undefined;
  };
  if (typeof value !== 'string' || value.length < 12 || value.length > 128) {
    return weak('length', 'Hasło musi mieć od 12 do 128 znaków.', 'Password must be 12–128 characters.');
  }
  if (!/^[\x21-\x7e]+$/.test(value)) {
    return weak('charset', 'Hasło może zawierać tylko drukowalne znaki ASCII bez spacji.', 'Password may only contain printable ASCII characters without spaces.');
  }
  if (!/[A-Za-z]/.test(value) || !/\d/.test(value)) {
    return weak('letters-digits', 'Hasło musi zawierać litery i cyfry.', 'Password must contain letters and digits.');
  }
  if (number !== '' && value.includes(number)) {
    return weak('contains-number', 'Hasło nie może zawierać numeru wewnętrznego.', 'Password must not contain the extension number.');
  }
  return value;
}

function checkOptionalPin(value: unknown, field: string, issues: RuleIssues): string | null | undefined {
  if (value === undefined || value === null) return value;
  const pin = validPin(value);
  if (pin === undefined) issues.add('PIN_INVALID', field, 'PIN musi mieć od 4 do 8 cyfr.', 'PIN must be 4–8 digits.');
  return pin;
}

/** SPEC 2.2 general settings. */
function checkGeneral(raw: Record<string, unknown>, ctx: ExtensionRuleContext, issues: RuleIssues): ExtensionGeneral {
  const ringTimeSeconds = boundedInteger(raw.ringTimeSeconds, 5, 300);
  if (ringTimeSeconds === undefined) {
    issues.add('RING_TIME_INVALID', 'general.ringTimeSeconds', 'Czas dzwonienia musi wynosić od 5 do 300 sekund.', 'Ring time must be 5–300 seconds.');
  }
  return {
    callerId: checkCallerId(raw.callerId, ctx, issues),
    internalCallerId: checkInternalCallerId(raw.internalCallerId, issues),
    smsSender: checkSmsSender(raw.smsSender, ctx, issues),
    ringTimeSeconds: ringTimeSeconds ?? EXTENSION_DEFAULTS.general.ringTimeSeconds,
    callWaiting: checkBoolean(raw.callWaiting, 'general.callWaiting', issues),
  };
}

/** Caller ID: the main number, a tenant-owned number (never a foreign one: anti-spoofing), or hidden. */
function checkCallerId(value: unknown, ctx: ExtensionRuleContext, issues: RuleIssues): CallerId {
  const field = 'general.callerId';
  if (isRecord(value) && (value.kind === 'main' || value.kind === 'hidden')) return { kind: value.kind };
  if (isRecord(value) && value.kind === 'number') {
    const e164 = validPhoneNumber(value.e164, ctx.country);
    if (e164 === undefined) {
      issues.add('PHONE_NUMBER_INVALID', field, 'Prezentacja numeru: nieprawidłowy numer telefonu.', 'Caller ID: not a valid phone number.');
      return { kind: 'main' };
    }
    if (!ctx.ownedNumbers.has(e164)) {
      issues.add('CALLER_ID_NOT_OWNED', field, `Numer ${e164} nie należy do firmy.`, `Number ${e164} is not one of the company's numbers.`);
    }
    return { kind: 'number', e164 };
  }
  issues.add('VALUE_INVALID', field, 'Prezentacja numeru: wybierz numer główny, numer firmy lub ukrycie.', 'Caller ID must be main, number or hidden.');
  return { kind: 'main' };
}

/** Internal caller ID: the real number, or a substitute of 1–32 characters safe in a SIP display name. */
function checkInternalCallerId(value: unknown, issues: RuleIssues): InternalCallerId {
  if (isRecord(value) && value.kind === 'extension') return { kind: 'extension' };
  if (isRecord(value) && value.kind === 'custom') {
    const text = boundedText(value.value, 1, 32);
    if (text === undefined || /["<>\\]/.test(text)) {
      issues.add(
        'INTERNAL_CALLER_ID_INVALID',
        'general.internalCallerId',
        'Wewnętrzna prezentacja: od 1 do 32 znaków, bez cudzysłowów, <, > i \\.',
        'Internal caller ID: 1–32 characters without quotes, <, > or \\.',
      );
      return { kind: 'extension' };
    }
    return { kind: 'custom', value: text };
  }
  issues.add('VALUE_INVALID', 'general.internalCallerId', 'Wewnętrzna prezentacja: wybierz numer wewnętrzny lub własną.', 'Internal caller ID must be extension or custom.');
  return { kind: 'extension' };
}

/**
 * SMS sender: null (main number), a tenant number (anything of digits, spaces, +, -, parentheses is read as a
 * number), or 1–11 GSM 03.38 letters/digits/spaces with at least one letter.
 */
function checkSmsSender(value: unknown, ctx: ExtensionRuleContext, issues: RuleIssues): string | null {
  const field = 'general.smsSender';
  if (value === null) return null;
  if (typeof value !== 'string') {
    issues.add('SMS_SENDER_INVALID', field, 'Nieprawidłowe pole nadawcy SMS.', 'Invalid SMS sender.');
    return null;
  }
  const text = value.trim();
  if (/^\+?[\d\s\-()]+$/.test(text)) {
    const e164 = validPhoneNumber(text, ctx.country);
    if (e164 === undefined || !ctx.ownedNumbers.has(e164)) {
      issues.add('SMS_SENDER_NOT_OWNED', field, 'Numeryczny nadawca SMS musi być numerem firmy.', "A numeric SMS sender must be one of the company's numbers.");
      return null;
    }
    return e164;
  }
  if (text.length < 1 || [...text].length > 11 || !isGsmSenderText(text) || !/\p{L}/u.test(text)) {
    issues.add(
      'SMS_SENDER_INVALID',
      field,
      'Nadawca SMS: 1–11 liter, cyfr lub spacji (alfabet GSM), co najmniej jedna litera.',
      'SMS sender: 1–11 GSM letters, digits or spaces with at least one letter.',
    );
    return null;
  }
  return text;
}

/** SPEC 2.3 voicemail: enabling requires a PIN; the e-mail is optional. */
function checkVoicemail(raw: Record<string, unknown>, pinSet: boolean, issues: RuleIssues): ExtensionVoicemail {
  const enabled = checkBoolean(raw.enabled, 'voicemail.enabled', issues);
  if (enabled && !pinSet) {
    issues.add('VOICEMAIL_PIN_REQUIRED', 'voicemail.pin', 'Aby włączyć pocztę głosową, ustaw kod PIN.', 'Set a PIN to enable voicemail.');
  }
  let email: string | null = null;
  if (raw.email !== null && raw.email !== '') {
    const valid = validEmail(raw.email);
    if (valid === undefined) issues.add('EMAIL_INVALID', 'voicemail.email', 'Nieprawidłowy adres e-mail.', 'Invalid e-mail address.');
    email = valid ?? null;
  }
  const greeting = raw.greeting === 'system' || raw.greeting === 'custom' ? raw.greeting : undefined;
  if (greeting === undefined) {
    issues.add('VALUE_INVALID', 'voicemail.greeting', 'Zapowiedź: systemowa lub własna.', 'Greeting must be system or custom.');
  }
  const applies = raw.greetingAppliesTo;
  let greetingAppliesTo: ExtensionVoicemail['greetingAppliesTo'] = EXTENSION_DEFAULTS.voicemail.greetingAppliesTo;
  if (isRecord(applies)) {
    greetingAppliesTo = {
      noAnswerOrUnavailable: checkBoolean(applies.noAnswerOrUnavailable, 'voicemail.greetingAppliesTo.noAnswerOrUnavailable', issues),
      busy: checkBoolean(applies.busy, 'voicemail.greetingAppliesTo.busy', issues),
    };
  } else {
    issues.add('VALUE_INVALID', 'voicemail.greetingAppliesTo', 'Zakres zapowiedzi musi być obiektem.', 'greetingAppliesTo must be an object.');
  }
  return { enabled, email, greeting: greeting ?? 'system', greetingAppliesTo };
}

/** SPEC 2.4 forwarding: targets must exist (not itself), external numbers valid, voicemail enabled. */
function checkForwarding(
  raw: Record<string, unknown>,
  self: string,
  voicemailEnabled: boolean,
  ctx: ExtensionRuleContext,
  issues: RuleIssues,
): ExtensionForwarding {
  const target = (condition: 'noAnswer' | 'busy' | 'unavailable'): ForwardTarget =>
    checkTarget(raw[condition], `forwarding.${condition}`, self, voicemailEnabled, ctx, issues);
  const noAnswer = target('noAnswer');
  const busy = target('busy');
  const unavailable = target('unavailable');
  let returnAfterSeconds: number | null = null;
  if (raw.returnAfterSeconds !== null) {
    const seconds = boundedInteger(raw.returnAfterSeconds, 5, 300);
    if (seconds === undefined) {
      issues.add('RETURN_AFTER_INVALID', 'forwarding.returnAfterSeconds', '„Powróć po” musi być puste lub wynosić 5–300 sekund.', '"Return after" must be empty or 5–300 seconds.');
    }
    returnAfterSeconds = seconds ?? null;
  }
  return {
    noAnswer,
    busy,
    unavailable,
    returnAfterSeconds,
    confirmExternal: checkBoolean(raw.confirmExternal, 'forwarding.confirmExternal', issues),
  };
}

function checkTarget(
  value: unknown,
  field: string,
  self: string,
  voicemailEnabled: boolean,
  ctx: ExtensionRuleContext,
  issues: RuleIssues,
): ForwardTarget {
  const none: ForwardTarget = { kind: 'none' };
  if (!isRecord(value)) {
    issues.add('FORWARD_TARGET_INVALID', field, 'Cel przekierowania: brak, numer wewnętrzny, poczta głosowa lub numer zewnętrzny.', 'Forward target must be none, extension, voicemail or external.');
    return none;
  }
  switch (value.kind) {
    case 'none':
      return none;
    case 'voicemail':
      if (!voicemailEnabled) {
        issues.add('FORWARD_VOICEMAIL_DISABLED', field, 'Przekierowanie na pocztę głosową wymaga włączonej poczty.', 'Forwarding to voicemail requires voicemail to be enabled.');
      }
      return { kind: 'voicemail' };
    case 'extension': {
      const number = typeof value.number === 'string' ? value.number.trim() : '';
      if (number === self) {
        issues.add('FORWARD_TARGET_SELF', field, 'Konto nie może przekierowywać na samo siebie.', 'An extension cannot forward to itself.');
      } else if (!ctx.otherExtensionNumbers.has(number)) {
        issues.add('FORWARD_TARGET_NOT_FOUND', field, `Numer wewnętrzny ${number} nie istnieje.`, `Extension ${number} does not exist.`, { number });
      }
      return { kind: 'extension', number };
    }
    case 'external': {
      const e164 = validPhoneNumber(value.e164, ctx.country);
      if (e164 === undefined) {
        issues.add('PHONE_NUMBER_INVALID', field, 'Przekierowanie: nieprawidłowy numer zewnętrzny.', 'Forwarding: not a valid external number.');
        return none;
      }
      return { kind: 'external', e164 };
    }
    default:
      issues.add('FORWARD_TARGET_INVALID', field, 'Cel przekierowania: brak, numer wewnętrzny, poczta głosowa lub numer zewnętrzny.', 'Forward target must be none, extension, voicemail or external.');
      return none;
  }
}

/** SPEC 2.5 advanced options. */
function checkAdvanced(raw: Record<string, unknown>, issues: RuleIssues): ExtensionAdvanced {
  const level = INTERNATIONAL_LEVELS.find((l) => l === raw.internationalLevel);
  if (level === undefined) {
    issues.add('INTERNATIONAL_LEVEL_INVALID', 'advanced.internationalLevel', 'Poziom połączeń: wewnętrzne, krajowe, UE lub cały świat.', 'Calling level must be internal, domestic, eu or worldwide.');
  }
  let maxRateMinor: number | null = null;
  if (raw.maxRateMinor !== null) {
    const rate = boundedInteger(raw.maxRateMinor, 0, 1_000_000);
    if (rate === undefined) {
      issues.add('MAX_RATE_INVALID', 'advanced.maxRateMinor', 'Maks. stawka: liczba całkowita groszy 0–1 000 000 lub puste.', 'Max rate: an integer of minor units 0–1,000,000, or empty.');
    }
    maxRateMinor = rate ?? null;
  }
  return {
    encryption: checkBoolean(raw.encryption, 'advanced.encryption', issues),
    internationalLevel: level ?? ('domestic' satisfies InternationalLevel),
    allowPremium: checkBoolean(raw.allowPremium, 'advanced.allowPremium', issues),
    maxRateMinor,
    monitoring: checkBoolean(raw.monitoring, 'advanced.monitoring', issues),
    fax: checkBoolean(raw.fax, 'advanced.fax', issues),
  };
}
