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
import type { JsonType } from './field-messages.js';
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
  if (!issues.expectType(patch, field, ['object']) || !isRecord(patch)) return { ...base };
  return overlay(base, patch);
}

function checkBoolean(value: unknown, field: string, issues: RuleIssues): boolean {
  return issues.expectType(value, field, ['boolean']) && value === true;
}

/** SPEC 2.1: digits only, 2–6 digits, unique, not an emergency number or its prefix, not a feature code. */
function checkNumber(value: unknown, ctx: ExtensionRuleContext, issues: RuleIssues): string {
  const field = 'number';
  if (value === undefined) {
    issues.missingField(field);
    return '';
  }
  if (!issues.expectType(value, field, ['string']) || typeof value !== 'string') return '';
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
  if (value === undefined) {
    issues.missingField('name');
    return '';
  }
  if (!issues.expectType(value, 'name', ['string'])) return '';
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
  if (!issues.expectType(value, field, ['string']) || typeof value !== 'string') return undefined;
  if (value.length < 12 || value.length > 128) {
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
  if (!issues.expectType(value, field, ['string', 'null'])) return undefined;
  const pin = validPin(value);
  if (pin === undefined) issues.add('PIN_INVALID', field, 'PIN musi mieć od 4 do 8 cyfr.', 'PIN must be 4–8 digits.');
  return pin;
}

/** SPEC 2.2 general settings. */
function checkGeneral(raw: Record<string, unknown>, ctx: ExtensionRuleContext, issues: RuleIssues): ExtensionGeneral {
  const ringTimeSeconds = boundedInteger(raw.ringTimeSeconds, 5, 300);
  // A wrong type is named as such (VALUE_INVALID), not as a value out of range.
  if (issues.expectType(raw.ringTimeSeconds, 'general.ringTimeSeconds', ['number']) && ringTimeSeconds === undefined) {
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

/** Members of each kind of a `{ kind, … }` value besides `kind`, with their JSON types. */
type KindShapes<K extends string> = Readonly<Record<K, Readonly<Record<string, readonly JsonType[]>>>>;

/**
 * A `{ kind, … }` value checked against the members its kind has: unknown, missing and wrongly typed members are
 * recorded under `field` (`forwarding.noAnswer.number: unknown field`), a kind outside `shapes` by `unknownKind`.
 * Undefined when anything is wrong.
 */
function kinded<K extends string>(
  value: unknown,
  field: string,
  shapes: KindShapes<K>,
  issues: RuleIssues,
  unknownKind: () => void,
): { kind: K; members: Record<string, unknown> } | undefined {
  if (!issues.expectType(value, field, ['object']) || !isRecord(value)) return undefined;
  if (value.kind === undefined) {
    issues.missingField(`${field}.kind`);
    return undefined;
  }
  const kind = (Object.keys(shapes) as K[]).find((k) => k === value.kind);
  if (kind === undefined) {
    unknownKind();
    return undefined;
  }
  return issues.expectShape(value, field, { kind: ['string'], ...shapes[kind] }) ? { kind, members: value } : undefined;
}

/** PHONE_NUMBER_INVALID at `field` (the `e164` member), naming it. */
function invalidPhoneNumber(field: string, issues: RuleIssues): void {
  issues.add('PHONE_NUMBER_INVALID', field, `${field}: nieprawidłowy numer telefonu.`, `${field}: not a valid phone number.`);
}

/** Caller ID: the main number, a tenant-owned number (never a foreign one: anti-spoofing), or hidden. */
function checkCallerId(value: unknown, ctx: ExtensionRuleContext, issues: RuleIssues): CallerId {
  const field = 'general.callerId';
  const checked = kinded(value, field, { main: {}, hidden: {}, number: { e164: ['string'] } }, issues, () =>
    issues.add('VALUE_INVALID', `${field}.kind`, `${field}.kind: main, number lub hidden.`, `${field}.kind: must be main, number or hidden.`),
  );
  if (checked === undefined) return { kind: 'main' };
  if (checked.kind !== 'number') return { kind: checked.kind };
  const e164 = validPhoneNumber(checked.members.e164, ctx.country);
  if (e164 === undefined) {
    invalidPhoneNumber(`${field}.e164`, issues);
    return { kind: 'main' };
  }
  if (!ctx.ownedNumbers.has(e164)) {
    issues.add('CALLER_ID_NOT_OWNED', field, `Numer ${e164} nie należy do firmy.`, `Number ${e164} is not one of the company's numbers.`);
  }
  return { kind: 'number', e164 };
}

/** Internal caller ID: the real number, or a substitute of 1–32 characters safe in a SIP display name. */
function checkInternalCallerId(value: unknown, issues: RuleIssues): InternalCallerId {
  const field = 'general.internalCallerId';
  const checked = kinded(value, field, { extension: {}, custom: { value: ['string'] } }, issues, () =>
    issues.add('VALUE_INVALID', `${field}.kind`, `${field}.kind: extension lub custom.`, `${field}.kind: must be extension or custom.`),
  );
  if (checked === undefined || checked.kind === 'extension') return { kind: 'extension' };
  const text = boundedText(checked.members.value, 1, 32);
  if (text === undefined || /["<>\\]/.test(text)) {
    issues.add(
      'INTERNAL_CALLER_ID_INVALID',
      field,
      'Wewnętrzna prezentacja: od 1 do 32 znaków, bez cudzysłowów, <, > i \\.',
      'Internal caller ID: 1–32 characters without quotes, <, > or \\.',
    );
    return { kind: 'extension' };
  }
  return { kind: 'custom', value: text };
}

/**
 * SMS sender: null (main number), a tenant number (anything of digits, spaces, +, -, parentheses is read as a
 * number), or 1–11 GSM 03.38 letters/digits/spaces with at least one letter.
 */
function checkSmsSender(value: unknown, ctx: ExtensionRuleContext, issues: RuleIssues): string | null {
  const field = 'general.smsSender';
  if (value === null) return null;
  if (!issues.expectType(value, field, ['string', 'null']) || typeof value !== 'string') return null;
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
  if (raw.email !== null && raw.email !== '' && issues.expectType(raw.email, 'voicemail.email', ['string', 'null'])) {
    const valid = validEmail(raw.email);
    if (valid === undefined) issues.add('EMAIL_INVALID', 'voicemail.email', 'Nieprawidłowy adres e-mail.', 'Invalid e-mail address.');
    email = valid ?? null;
  }
  const greeting = raw.greeting === 'system' || raw.greeting === 'custom' ? raw.greeting : undefined;
  if (issues.expectType(raw.greeting, 'voicemail.greeting', ['string']) && greeting === undefined) {
    issues.add('VALUE_INVALID', 'voicemail.greeting', 'Zapowiedź: systemowa lub własna.', 'Greeting must be system or custom.');
  }
  const applies = raw.greetingAppliesTo;
  let greetingAppliesTo: ExtensionVoicemail['greetingAppliesTo'] = EXTENSION_DEFAULTS.voicemail.greetingAppliesTo;
  if (isRecord(applies) && issues.expectShape(applies, 'voicemail.greetingAppliesTo', { noAnswerOrUnavailable: ['boolean'], busy: ['boolean'] })) {
    greetingAppliesTo = {
      noAnswerOrUnavailable: checkBoolean(applies.noAnswerOrUnavailable, 'voicemail.greetingAppliesTo.noAnswerOrUnavailable', issues),
      busy: checkBoolean(applies.busy, 'voicemail.greetingAppliesTo.busy', issues),
    };
  } else if (!isRecord(applies)) {
    issues.expectType(applies, 'voicemail.greetingAppliesTo', ['object']);
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
  if (raw.returnAfterSeconds !== null && issues.expectType(raw.returnAfterSeconds, 'forwarding.returnAfterSeconds', ['number', 'null'])) {
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
  const shapes = { none: {}, voicemail: {}, extension: { number: ['string'] }, external: { e164: ['string'] } } as const;
  const checked = kinded(value, field, shapes, issues, () =>
    issues.add(
      'FORWARD_TARGET_INVALID',
      `${field}.kind`,
      `${field}.kind: none, extension, voicemail lub external.`,
      `${field}.kind: must be none, extension, voicemail or external.`,
    ),
  );
  switch (checked?.kind) {
    case undefined:
    case 'none':
      return none;
    case 'voicemail':
      if (!voicemailEnabled) {
        issues.add('FORWARD_VOICEMAIL_DISABLED', field, 'Przekierowanie na pocztę głosową wymaga włączonej poczty.', 'Forwarding to voicemail requires voicemail to be enabled.');
      }
      return { kind: 'voicemail' };
    case 'extension': {
      const number = String(checked.members.number).trim();
      if (number === '') {
        issues.missingField(`${field}.number`);
        return none;
      }
      if (number === self) {
        issues.add('FORWARD_TARGET_SELF', field, 'Konto nie może przekierowywać na samo siebie.', 'An extension cannot forward to itself.');
      } else if (!ctx.otherExtensionNumbers.has(number)) {
        issues.add('FORWARD_TARGET_NOT_FOUND', field, `Numer wewnętrzny ${number} nie istnieje.`, `Extension ${number} does not exist.`, { number });
      }
      return { kind: 'extension', number };
    }
    case 'external': {
      const e164 = validPhoneNumber(checked.members.e164, ctx.country);
      if (e164 === undefined) {
        invalidPhoneNumber(`${field}.e164`, issues);
        return none;
      }
      return { kind: 'external', e164 };
    }
  }
}

/** SPEC 2.5 advanced options. */
function checkAdvanced(raw: Record<string, unknown>, issues: RuleIssues): ExtensionAdvanced {
  const level = INTERNATIONAL_LEVELS.find((l) => l === raw.internationalLevel);
  if (issues.expectType(raw.internationalLevel, 'advanced.internationalLevel', ['string']) && level === undefined) {
    issues.add('INTERNATIONAL_LEVEL_INVALID', 'advanced.internationalLevel', 'Poziom połączeń: wewnętrzne, krajowe, UE lub cały świat.', 'Calling level must be internal, domestic, eu or worldwide.');
  }
  let maxRateMinor: number | null = null;
  if (raw.maxRateMinor !== null && issues.expectType(raw.maxRateMinor, 'advanced.maxRateMinor', ['number', 'null'])) {
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
