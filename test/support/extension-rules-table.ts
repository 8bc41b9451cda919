// The table of extension field rules (SPEC section 2) with valid and invalid inputs at every boundary.
// Domain tests run it through resolveExtensionCreate, service tests through services.extensions.create on
// SQLite and PostgreSQL, and the API tests run the same table through HTTP. Every case starts from
// RULES_BASE_INPUT in a tenant set up as RULES_FIXTURE describes.
import { isFeatureAvailable, type DomainErrorCode, type ExtensionCreateInput, type ExtensionPatch, type Feature, type Tenant } from '../../src/domain/index.js';
import type { Services } from '../../src/services/index.js';

/** The tenant every case runs in: its country, its numbers and the extensions that already exist. */
export const RULES_FIXTURE = {
  tenant: { name: 'Rules Sp. z o.o.', sipDomain: 'rules.example.com', country: 'PL' },
  /** Numbers the tenant owns (the first becomes the main number). */
  numbers: ['+48221234567', '+48221234568'],
  /** Extensions created before the cases (forward targets, a taken number). */
  extensions: [{ number: '20', name: 'Recepcja', password: 'Recepcja-Haslo-x9' }],
  /** A valid number the tenant does NOT own. */
  foreignNumber: '+48221234599',
} as const;

/** A valid create input every case modifies; its password contains a single digit so no extension number fits in it. */
export const RULES_BASE_INPUT: ExtensionCreateInput = { number: '31', name: 'Jan Kowalski', password: 'Tajne-Haslo-Abc-xyz7' };

/** What a case expects: accepted (optionally with a normalised value at a dotted path of the stored view), or refused. */
export type RuleExpectation =
  | { readonly ok: true; readonly stored?: { readonly path: string; readonly value: unknown } }
  | { readonly ok: false; readonly code: DomainErrorCode; readonly field: string };

/** A setting of a case that turns on a feature, and the dotted field the refusal names while it is not built. */
export interface TurnsOn {
  readonly feature: Feature;
  readonly field: string;
}

/**
 * One row of the table: a title, the input overrides (sections merged into RULES_BASE_INPUT), the expectation
 * once every feature is built (the domain tests check the rules so), and the feature the input turns on.
 */
export interface ExtensionRuleCase {
  readonly title: string;
  readonly input: Partial<Record<keyof ExtensionCreateInput, unknown>>;
  readonly expect: RuleExpectation;
  readonly turnsOn?: TurnsOn;
}

/** What a save answers today: FEATURE_NOT_AVAILABLE while the feature the case turns on is not built. */
export function expectedToday(c: { readonly expect: RuleExpectation; readonly turnsOn?: TurnsOn }): RuleExpectation {
  return c.turnsOn && !isFeatureAvailable(c.turnsOn.feature) ? no('FEATURE_NOT_AVAILABLE', c.turnsOn.field) : c.expect;
}

/** The full create input of a case: RULES_BASE_INPUT with the case's fields replaced. */
export function caseInput(c: ExtensionRuleCase): ExtensionCreateInput {
  return { ...RULES_BASE_INPUT, ...c.input } as ExtensionCreateInput;
}

const ok = (stored?: { path: string; value: unknown }): RuleExpectation => (stored ? { ok: true, stored } : { ok: true });
const no = (code: DomainErrorCode, field: string): RuleExpectation => ({ ok: false, code, field });
const x = (n: number, c = 'a'): string => c.repeat(n);

/** Every rule of SPEC 2.1–2.5 for a new extension, boundaries included. */
export const EXTENSION_RULE_CASES: readonly ExtensionRuleCase[] = [
  // 2.1 number: 2–6 digits, unique, no emergency number or prefix shadowing one, no feature code.
  { title: 'number of 2 digits is accepted', input: { number: '10' }, expect: ok() },
  { title: 'number of 6 digits is accepted', input: { number: '123456' }, expect: ok() },
  { title: 'number with a leading 0 is accepted', input: { number: '01' }, expect: ok() },
  { title: 'number 113 (neither prefix nor extension of 112) is accepted', input: { number: '113' }, expect: ok() },
  { title: 'number 996 is accepted', input: { number: '996' }, expect: ok() },
  { title: 'number of 1 digit is refused', input: { number: '1' }, expect: no('EXTENSION_NUMBER_INVALID', 'number') },
  { title: 'number of 7 digits is refused', input: { number: '1234567' }, expect: no('EXTENSION_NUMBER_INVALID', 'number') },
  { title: 'number with a letter is refused', input: { number: '12a' }, expect: no('EXTENSION_NUMBER_INVALID', 'number') },
  { title: 'empty number is refused', input: { number: '' }, expect: no('EXTENSION_NUMBER_INVALID', 'number') },
  { title: 'number with a space is refused', input: { number: ' 12' }, expect: no('EXTENSION_NUMBER_INVALID', 'number') },
  { title: 'a missing number is refused as missing', input: { number: undefined }, expect: no('VALUE_INVALID', 'number') },
  { title: 'number given as a JSON number is refused', input: { number: 12 }, expect: no('VALUE_INVALID', 'number') },
  { title: 'emergency number 112 is refused', input: { number: '112' }, expect: no('EXTENSION_NUMBER_EMERGENCY', 'number') },
  { title: 'emergency number 997 is refused', input: { number: '997' }, expect: no('EXTENSION_NUMBER_EMERGENCY', 'number') },
  { title: 'emergency number 998 is refused', input: { number: '998' }, expect: no('EXTENSION_NUMBER_EMERGENCY', 'number') },
  { title: 'emergency number 999 is refused', input: { number: '999' }, expect: no('EXTENSION_NUMBER_EMERGENCY', 'number') },
  { title: '11 (prefix of 112) is refused', input: { number: '11' }, expect: no('EXTENSION_NUMBER_EMERGENCY', 'number') },
  { title: '99 (prefix of 997/998/999) is refused', input: { number: '99' }, expect: no('EXTENSION_NUMBER_EMERGENCY', 'number') },
  { title: '1120 (starts with 112) is refused', input: { number: '1120' }, expect: no('EXTENSION_NUMBER_EMERGENCY', 'number') },
  { title: '999999 (starts with 999) is refused', input: { number: '999999' }, expect: no('EXTENSION_NUMBER_EMERGENCY', 'number') },
  { title: 'feature code *98 is refused', input: { number: '*98' }, expect: no('EXTENSION_NUMBER_RESERVED', 'number') },
  { title: 'number starting with # is refused', input: { number: '#12' }, expect: no('EXTENSION_NUMBER_RESERVED', 'number') },
  { title: 'number starting with 00 is refused', input: { number: '0012' }, expect: no('EXTENSION_NUMBER_RESERVED', 'number') },
  { title: 'number of an existing extension is refused', input: { number: '20' }, expect: no('EXTENSION_NUMBER_TAKEN', 'number') },

  // 2.1 name: 1–64 characters.
  { title: 'name of 1 character is accepted', input: { name: 'A' }, expect: ok() },
  { title: 'name of 64 characters is accepted', input: { name: x(64) }, expect: ok() },
  { title: 'name with Polish letters is accepted', input: { name: 'Żaneta Łódź' }, expect: ok() },
  { title: 'name is trimmed', input: { name: '  Anna  ' }, expect: ok({ path: 'name', value: 'Anna' }) },
  { title: 'empty name is refused', input: { name: '' }, expect: no('EXTENSION_NAME_INVALID', 'name') },
  { title: 'blank name is refused', input: { name: '   ' }, expect: no('EXTENSION_NAME_INVALID', 'name') },
  { title: 'name of 65 characters is refused', input: { name: x(65) }, expect: no('EXTENSION_NAME_INVALID', 'name') },
  { title: 'name with a control character is refused', input: { name: 'Jan\u0007' }, expect: no('EXTENSION_NAME_INVALID', 'name') },

  // 2.1 password: ≥ 12, letters and digits, not containing the number.
  { title: 'password of 12 characters is accepted', input: { password: 'abcdefghijk1' }, expect: ok() },
  { title: 'password of 128 characters is accepted', input: { password: `${x(127)}1` }, expect: ok() },
  { title: 'password of 11 characters is refused', input: { password: 'abcdefghij1' }, expect: no('PASSWORD_TOO_WEAK', 'password') },
  { title: 'password of 129 characters is refused', input: { password: `${x(128)}1` }, expect: no('PASSWORD_TOO_WEAK', 'password') },
  { title: 'password without digits is refused', input: { password: 'abcdefghijklm' }, expect: no('PASSWORD_TOO_WEAK', 'password') },
  { title: 'password without letters is refused', input: { password: '1234567890123' }, expect: no('PASSWORD_TOO_WEAK', 'password') },
  { title: 'password with a space is refused', input: { password: 'abcdef 123456' }, expect: no('PASSWORD_TOO_WEAK', 'password') },
  { title: 'password containing the extension number is refused', input: { password: 'abc31defghijk' }, expect: no('PASSWORD_TOO_WEAK', 'password') },

  // 2.2 caller ID: main, a tenant number, or hidden.
  { title: 'caller ID main is accepted', input: { general: { callerId: { kind: 'main' } } }, expect: ok() },
  { title: 'caller ID hidden is accepted', input: { general: { callerId: { kind: 'hidden' } } }, expect: ok(), turnsOn: { feature: 'externalCalls', field: 'general.callerId' } },
  { title: 'caller ID of a tenant number is accepted', input: { general: { callerId: { kind: 'number', e164: '+48221234568' } } }, expect: ok(), turnsOn: { feature: 'externalCalls', field: 'general.callerId' } },
  {
    title: 'caller ID in national form is normalised to E.164',
    input: { general: { callerId: { kind: 'number', e164: '22 123 45 67' } } },
    expect: ok({ path: 'general.callerId', value: { kind: 'number', e164: '+48221234567' } }),
    turnsOn: { feature: 'externalCalls', field: 'general.callerId' },
  },
  {
    title: 'caller ID of a foreign number is refused',
    input: { general: { callerId: { kind: 'number', e164: RULES_FIXTURE.foreignNumber } } },
    expect: no('CALLER_ID_NOT_OWNED', 'general.callerId'),
    turnsOn: { feature: 'externalCalls', field: 'general.callerId' },
  },
  { title: 'caller ID that is no number is refused', input: { general: { callerId: { kind: 'number', e164: 'abc' } } }, expect: no('PHONE_NUMBER_INVALID', 'general.callerId.e164') },
  { title: 'caller ID of an unknown kind is refused', input: { general: { callerId: { kind: 'spoof' } } }, expect: no('VALUE_INVALID', 'general.callerId.kind') },

  // 2.2 internal caller ID.
  { title: 'internal caller ID extension is accepted', input: { general: { internalCallerId: { kind: 'extension' } } }, expect: ok() },
  { title: 'internal caller ID label of 32 characters is accepted', input: { general: { internalCallerId: { kind: 'custom', value: x(32) } } }, expect: ok() },
  { title: 'internal caller ID label of 33 characters is refused', input: { general: { internalCallerId: { kind: 'custom', value: x(33) } } }, expect: no('INTERNAL_CALLER_ID_INVALID', 'general.internalCallerId') },
  { title: 'empty internal caller ID label is refused', input: { general: { internalCallerId: { kind: 'custom', value: '' } } }, expect: no('INTERNAL_CALLER_ID_INVALID', 'general.internalCallerId') },
  { title: 'internal caller ID label with a quote is refused', input: { general: { internalCallerId: { kind: 'custom', value: 'a"b' } } }, expect: no('INTERNAL_CALLER_ID_INVALID', 'general.internalCallerId') },

  // 2.2 SMS sender: GSM alphanumeric 1–11 or a tenant number.
  { title: 'SMS sender null (main number) is accepted', input: { general: { smsSender: null } }, expect: ok() },
  { title: 'SMS sender of 1 letter is accepted', input: { general: { smsSender: 'A' } }, expect: ok(), turnsOn: { feature: 'sms', field: 'general.smsSender' } },
  { title: 'SMS sender of 11 characters is accepted', input: { general: { smsSender: 'ACME Sp zoo' } }, expect: ok(), turnsOn: { feature: 'sms', field: 'general.smsSender' } },
  { title: 'SMS sender with a GSM accented letter is accepted', input: { general: { smsSender: 'Ärzte' } }, expect: ok(), turnsOn: { feature: 'sms', field: 'general.smsSender' } },
  { title: 'SMS sender of a tenant number is accepted', input: { general: { smsSender: '221234567' } }, expect: ok({ path: 'general.smsSender', value: '+48221234567' }), turnsOn: { feature: 'sms', field: 'general.smsSender' } },
  { title: 'SMS sender of 12 characters is refused', input: { general: { smsSender: 'ACME Sp z oo' } }, expect: no('SMS_SENDER_INVALID', 'general.smsSender') },
  { title: 'empty SMS sender is refused', input: { general: { smsSender: '' } }, expect: no('SMS_SENDER_INVALID', 'general.smsSender') },
  { title: 'SMS sender with ! is refused', input: { general: { smsSender: 'ACME!' } }, expect: no('SMS_SENDER_INVALID', 'general.smsSender') },
  { title: 'SMS sender with a letter outside GSM 03.38 (Ż) is refused', input: { general: { smsSender: 'ŻABKA' } }, expect: no('SMS_SENDER_INVALID', 'general.smsSender') },
  { title: 'SMS sender of a foreign number is refused', input: { general: { smsSender: RULES_FIXTURE.foreignNumber } }, expect: no('SMS_SENDER_NOT_OWNED', 'general.smsSender') },
  { title: 'SMS sender of digits only is read as a number and refused', input: { general: { smsSender: '12345' } }, expect: no('SMS_SENDER_NOT_OWNED', 'general.smsSender') },

  // 2.2 ring time 5–300, call waiting.
  { title: 'ring time 5 s is accepted', input: { general: { ringTimeSeconds: 5 } }, expect: ok() },
  { title: 'ring time 300 s is accepted', input: { general: { ringTimeSeconds: 300 } }, expect: ok() },
  { title: 'ring time 4 s is refused', input: { general: { ringTimeSeconds: 4 } }, expect: no('RING_TIME_INVALID', 'general.ringTimeSeconds') },
  { title: 'ring time 301 s is refused', input: { general: { ringTimeSeconds: 301 } }, expect: no('RING_TIME_INVALID', 'general.ringTimeSeconds') },
  { title: 'fractional ring time is refused', input: { general: { ringTimeSeconds: 30.5 } }, expect: no('RING_TIME_INVALID', 'general.ringTimeSeconds') },
  { title: 'ring time as text is refused', input: { general: { ringTimeSeconds: '30' } }, expect: no('VALUE_INVALID', 'general.ringTimeSeconds') },
  { title: 'call waiting off is accepted', input: { general: { callWaiting: false } }, expect: ok({ path: 'general.callWaiting', value: false }) },
  { title: 'call waiting as text is refused', input: { general: { callWaiting: 'yes' } }, expect: no('VALUE_INVALID', 'general.callWaiting') },

  // 2.3 voicemail.
  { title: 'voicemail with a PIN of 4 digits is accepted', input: { voicemail: { enabled: true, pin: '1234' } }, expect: ok({ path: 'voicemail.pinSet', value: true }), turnsOn: { feature: 'voicemail', field: 'voicemail.enabled' } },
  { title: 'voicemail with a PIN of 8 digits is accepted', input: { voicemail: { enabled: true, pin: '12345678' } }, expect: ok(), turnsOn: { feature: 'voicemail', field: 'voicemail.enabled' } },
  { title: 'voicemail enabled without a PIN is refused', input: { voicemail: { enabled: true } }, expect: no('VOICEMAIL_PIN_REQUIRED', 'voicemail.pin'), turnsOn: { feature: 'voicemail', field: 'voicemail.enabled' } },
  { title: 'PIN of 3 digits is refused', input: { voicemail: { enabled: true, pin: '123' } }, expect: no('PIN_INVALID', 'voicemail.pin'), turnsOn: { feature: 'voicemail', field: 'voicemail.enabled' } },
  { title: 'PIN of 9 digits is refused', input: { voicemail: { enabled: true, pin: '123456789' } }, expect: no('PIN_INVALID', 'voicemail.pin'), turnsOn: { feature: 'voicemail', field: 'voicemail.enabled' } },
  { title: 'PIN with letters is refused', input: { voicemail: { enabled: true, pin: '12ab' } }, expect: no('PIN_INVALID', 'voicemail.pin'), turnsOn: { feature: 'voicemail', field: 'voicemail.enabled' } },
  { title: 'voicemail e-mail is accepted and its domain lower-cased', input: { voicemail: { email: 'Jan@Example.COM' } }, expect: ok({ path: 'voicemail.email', value: 'Jan@example.com' }) },
  { title: 'voicemail e-mail without @ is refused', input: { voicemail: { email: 'jan.example.com' } }, expect: no('EMAIL_INVALID', 'voicemail.email') },
  { title: 'custom greeting is accepted', input: { voicemail: { greeting: 'custom', greetingAppliesTo: { noAnswerOrUnavailable: false, busy: true } } }, expect: ok() },
  { title: 'unknown greeting is refused', input: { voicemail: { greeting: 'loud' } }, expect: no('VALUE_INVALID', 'voicemail.greeting') },

  // 2.4 forwarding.
  { title: 'forwarding to another extension is accepted', input: { forwarding: { noAnswer: { kind: 'extension', number: '20' } } }, expect: ok() },
  { title: 'forwarding to a missing extension is refused', input: { forwarding: { noAnswer: { kind: 'extension', number: '21' } } }, expect: no('FORWARD_TARGET_NOT_FOUND', 'forwarding.noAnswer') },
  { title: 'forwarding to itself is refused', input: { forwarding: { busy: { kind: 'extension', number: '31' } } }, expect: no('FORWARD_TARGET_SELF', 'forwarding.busy') },
  { title: 'forwarding to voicemail without voicemail is refused', input: { forwarding: { busy: { kind: 'voicemail' } } }, expect: no('FORWARD_VOICEMAIL_DISABLED', 'forwarding.busy'), turnsOn: { feature: 'voicemail', field: 'forwarding.busy' } },
  {
    title: 'forwarding to voicemail with voicemail enabled is accepted',
    input: { voicemail: { enabled: true, pin: '2468' }, forwarding: { busy: { kind: 'voicemail' }, unavailable: { kind: 'voicemail' } } },
    expect: ok(),
    turnsOn: { feature: 'voicemail', field: 'voicemail.enabled' },
  },
  {
    title: 'external forward in national form is normalised to E.164',
    input: { forwarding: { unavailable: { kind: 'external', e164: '600 123 456' } } },
    expect: ok({ path: 'forwarding.unavailable', value: { kind: 'external', e164: '+48600123456' } }),
    turnsOn: { feature: 'externalCalls', field: 'forwarding.unavailable' },
  },
  { title: 'external forward with 00 prefix is accepted', input: { forwarding: { noAnswer: { kind: 'external', e164: '00442071838750' } } }, expect: ok({ path: 'forwarding.noAnswer', value: { kind: 'external', e164: '+442071838750' } }), turnsOn: { feature: 'externalCalls', field: 'forwarding.noAnswer' } },
  { title: 'external forward that is no number is refused', input: { forwarding: { noAnswer: { kind: 'external', e164: '12' } } }, expect: no('PHONE_NUMBER_INVALID', 'forwarding.noAnswer.e164') },
  { title: 'an external target given a number instead of e164 is refused naming the unknown member', input: { forwarding: { noAnswer: { kind: 'external', number: '+48600123456' } } }, expect: no('VALUE_INVALID', 'forwarding.noAnswer.number') },
  { title: 'an extension target given num instead of number is refused naming the unknown member', input: { forwarding: { noAnswer: { kind: 'extension', num: '20' } } }, expect: no('VALUE_INVALID', 'forwarding.noAnswer.num') },
  { title: 'an extension target without its number is refused naming the missing member', input: { forwarding: { busy: { kind: 'extension' } } }, expect: no('VALUE_INVALID', 'forwarding.busy.number') },
  { title: 'an extension target with an empty number is refused naming the number', input: { forwarding: { busy: { kind: 'extension', number: ' ' } } }, expect: no('VALUE_INVALID', 'forwarding.busy.number') },
  { title: 'a forward target without a kind is refused naming the kind', input: { forwarding: { busy: { number: '20' } } }, expect: no('VALUE_INVALID', 'forwarding.busy.kind') },
  { title: 'a forward target that is not an object is refused', input: { forwarding: { busy: 'voicemail' } }, expect: no('VALUE_INVALID', 'forwarding.busy') },
  { title: 'forward target of an unknown kind is refused', input: { forwarding: { noAnswer: { kind: 'teleport' } } }, expect: no('FORWARD_TARGET_INVALID', 'forwarding.noAnswer.kind') },
  { title: 'return after 5 s is accepted', input: { forwarding: { returnAfterSeconds: 5 } }, expect: ok() },
  { title: 'return after 300 s is accepted', input: { forwarding: { returnAfterSeconds: 300 } }, expect: ok() },
  { title: 'return after 4 s is refused', input: { forwarding: { returnAfterSeconds: 4 } }, expect: no('RETURN_AFTER_INVALID', 'forwarding.returnAfterSeconds') },
  { title: 'return after 301 s is refused', input: { forwarding: { returnAfterSeconds: 301 } }, expect: no('RETURN_AFTER_INVALID', 'forwarding.returnAfterSeconds') },
  { title: 'confirm external (press 1) is accepted', input: { forwarding: { confirmExternal: true } }, expect: ok({ path: 'forwarding.confirmExternal', value: true }), turnsOn: { feature: 'externalCalls', field: 'forwarding.confirmExternal' } },

  // 2.5 advanced.
  { title: 'worldwide calling is accepted', input: { advanced: { internationalLevel: 'worldwide' } }, expect: ok() },
  { title: 'internal-only calling is accepted', input: { advanced: { internationalLevel: 'internal' } }, expect: ok() },
  { title: 'unknown calling level is refused', input: { advanced: { internationalLevel: 'galactic' } }, expect: no('INTERNATIONAL_LEVEL_INVALID', 'advanced.internationalLevel') },
  { title: 'max rate 0 is accepted', input: { advanced: { maxRateMinor: 0 } }, expect: ok() },
  { title: 'max rate 1,000,000 is accepted', input: { advanced: { maxRateMinor: 1_000_000 } }, expect: ok() },
  { title: 'negative max rate is refused', input: { advanced: { maxRateMinor: -1 } }, expect: no('MAX_RATE_INVALID', 'advanced.maxRateMinor') },
  { title: 'max rate above 1,000,000 is refused', input: { advanced: { maxRateMinor: 1_000_001 } }, expect: no('MAX_RATE_INVALID', 'advanced.maxRateMinor') },
  { title: 'fractional max rate is refused', input: { advanced: { maxRateMinor: 1.5 } }, expect: no('MAX_RATE_INVALID', 'advanced.maxRateMinor') },
  { title: 'outgoing PIN of 4 digits is accepted', input: { advanced: { outgoingPin: '0000' } }, expect: ok({ path: 'advanced.outgoingPinSet', value: true }) },
  { title: 'outgoing PIN of 2 digits is refused', input: { advanced: { outgoingPin: '12' } }, expect: no('PIN_INVALID', 'advanced.outgoingPin') },
  { title: 'encryption, monitoring, fax and premium are accepted', input: { advanced: { encryption: true, monitoring: true, fax: true, allowPremium: true } }, expect: ok(), turnsOn: { feature: 'monitoring', field: 'advanced.monitoring' } },
  { title: 'premium permission as text is refused', input: { advanced: { allowPremium: 'no' } }, expect: no('VALUE_INVALID', 'advanced.allowPremium') },
];

/** One row of the change table: an extension is created from RULES_BASE_INPUT + `create`, then `patch` applied. */
export interface ExtensionPatchCase {
  readonly title: string;
  readonly create: Partial<ExtensionCreateInput>;
  readonly patch: ExtensionPatch;
  readonly expect: RuleExpectation;
  /** The feature the change turns on (see {@link expectedToday}). */
  readonly turnsOn?: TurnsOn;
  /** The feature the create of the case already turns on: the case cannot run until it is built. */
  readonly createTurnsOn?: Feature;
}

/** True when the extension a change case starts from can be created today. */
export function patchCaseRunsToday(c: ExtensionPatchCase): boolean {
  return c.createTurnsOn === undefined || isFeatureAvailable(c.createTurnsOn);
}

/** Rules that only a change can break: the result is validated as a whole. */
export const EXTENSION_PATCH_CASES: readonly ExtensionPatchCase[] = [
  { title: 'renaming only is accepted', create: {}, patch: { name: 'Nowa nazwa' }, expect: ok({ path: 'name', value: 'Nowa nazwa' }) },
  {
    title: 'clearing the PIN of an enabled voicemail is refused',
    create: { voicemail: { enabled: true, pin: '1234' } },
    patch: { voicemail: { pin: null } },
    expect: no('VOICEMAIL_PIN_REQUIRED', 'voicemail.pin'),
    createTurnsOn: 'voicemail',
  },
  {
    title: 'enabling voicemail with the PIN stored earlier is accepted',
    create: { voicemail: { enabled: false, pin: '1234' } },
    patch: { voicemail: { enabled: true } },
    expect: ok({ path: 'voicemail.enabled', value: true }),
    turnsOn: { feature: 'voicemail', field: 'voicemail.enabled' },
  },
  {
    title: 'disabling voicemail while a condition forwards to it is refused',
    create: { voicemail: { enabled: true, pin: '1234' }, forwarding: { busy: { kind: 'voicemail' } } },
    patch: { voicemail: { enabled: false } },
    expect: no('FORWARD_VOICEMAIL_DISABLED', 'forwarding.busy'),
    createTurnsOn: 'voicemail',
  },
  { title: 'taking the number of another extension is refused', create: {}, patch: { number: '20' }, expect: no('EXTENSION_NUMBER_TAKEN', 'number') },
  { title: 'a new password containing the new number is refused', create: {}, patch: { number: '42', password: 'abc42defghijk' }, expect: no('PASSWORD_TOO_WEAK', 'password') },
  { title: 'forwarding to the new own number is refused', create: {}, patch: { number: '43', forwarding: { noAnswer: { kind: 'extension', number: '43' } } }, expect: no('FORWARD_TARGET_SELF', 'forwarding.noAnswer') },
  { title: 'a section that is not an object is refused', create: {}, patch: { general: 'loud' as never }, expect: no('VALUE_INVALID', 'general') },
  { title: 'ring time 300 s in a change is accepted', create: {}, patch: { general: { ringTimeSeconds: 300 } }, expect: ok({ path: 'general.ringTimeSeconds', value: 300 }) },
];

/** Creates the RULES_FIXTURE tenant with its numbers and extensions through the services; returns the tenant. */
export async function setUpRulesFixture(services: Services, sipDomain: string = RULES_FIXTURE.tenant.sipDomain): Promise<Tenant> {
  const tenant = await services.tenants.create({ ...RULES_FIXTURE.tenant, sipDomain });
  for (const number of RULES_FIXTURE.numbers) await services.numbers.add(tenant.id, { number });
  for (const ext of RULES_FIXTURE.extensions) await services.extensions.create(tenant.id, ext);
  return tenant;
}

/** The value at a dotted path of an object (`general.callerId`). */
export function valueAtPath(value: unknown, path: string): unknown {
  return path.split('.').reduce<unknown>((v, k) => (typeof v === 'object' && v !== null ? (v as Record<string, unknown>)[k] : undefined), value);
}
