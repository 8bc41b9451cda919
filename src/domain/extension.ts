/** Caller ID on outgoing external calls: the tenant's main number (resolved at call time), one of its numbers, or CLIR. */
export type CallerId = { kind: 'main' } | { kind: 'number'; e164: string } | { kind: 'hidden' };

/** What colleagues see on internal calls: the real extension number, or a substitute number/label. */
export type InternalCallerId = { kind: 'extension' } | { kind: 'custom'; value: string };

/** Where a forwarding condition sends the call. */
export type ForwardTarget =
  | { kind: 'none' }
  | { kind: 'extension'; number: string }
  | { kind: 'voicemail' }
  | { kind: 'external'; e164: string };

/** Outgoing-call permission level (SPEC 2.5). Emergency numbers always go out. */
export type InternationalLevel = 'internal' | 'domestic' | 'eu' | 'worldwide';

/** Every permission level, narrowest first. */
export const INTERNATIONAL_LEVELS: readonly InternationalLevel[] = ['internal', 'domestic', 'eu', 'worldwide'];

/** Which greeting voicemail plays: the system one or the account's own recording. */
export type Greeting = 'system' | 'custom';

/** SPEC 2.2 general settings. */
export interface ExtensionGeneral {
  readonly callerId: CallerId;
  readonly internalCallerId: InternalCallerId;
  /** E.164 tenant number or alphanumeric sender (1–11 GSM 03.38 chars); null = the tenant's main number. */
  readonly smsSender: string | null;
  readonly ringTimeSeconds: number;
  readonly callWaiting: boolean;
}

/** Situations in which the custom greeting is played. */
export interface GreetingAppliesTo {
  readonly noAnswerOrUnavailable: boolean;
  readonly busy: boolean;
}

/** SPEC 2.3 voicemail settings (the PIN lives in {@link ExtensionSecrets}). */
export interface ExtensionVoicemail {
  readonly enabled: boolean;
  readonly email: string | null;
  readonly greeting: Greeting;
  readonly greetingAppliesTo: GreetingAppliesTo;
}

/** SPEC 2.4 forwarding conditions; "return after" and "press 1 to accept" apply to every forward. */
export interface ExtensionForwarding {
  readonly noAnswer: ForwardTarget;
  readonly busy: ForwardTarget;
  readonly unavailable: ForwardTarget;
  /** Seconds the forward target may ring before the call returns to voicemail or ends; null = no limit. */
  readonly returnAfterSeconds: number | null;
  /** An external forward target must press 1 to accept the call. */
  readonly confirmExternal: boolean;
}

/** SPEC 2.5 advanced options (the outgoing PIN lives in {@link ExtensionSecrets}). */
export interface ExtensionAdvanced {
  readonly encryption: boolean;
  readonly internationalLevel: InternationalLevel;
  readonly allowPremium: boolean;
  /** Per-minute cap in minor units of the tenant's default-rate currency; null = the tenant default. */
  readonly maxRateMinor: number | null;
  readonly monitoring: boolean;
  readonly fax: boolean;
}

/** Every non-secret setting of an extension: what the panel edits and what prices are computed from. */
export interface ExtensionSettings {
  /** 2–6 digits, unique in the tenant; also the SIP/digest user name. */
  readonly number: string;
  readonly name: string;
  readonly general: ExtensionGeneral;
  readonly voicemail: ExtensionVoicemail;
  readonly forwarding: ExtensionForwarding;
  readonly advanced: ExtensionAdvanced;
}

/** Hashes only: HA1 = H(number:realm:password) for MD5 and SHA-256 (RFC 7616 §3.4.2), scrypt PIN hashes. */
export interface ExtensionSecrets {
  readonly ha1Md5: string;
  readonly ha1Sha256: string;
  readonly voicemailPinHash: string | null;
  readonly outgoingPinHash: string | null;
}

/** An internal SIP account with every field of SPEC section 2. */
export interface Extension extends ExtensionSettings {
  readonly id: string;
  readonly tenantId: string;
  readonly secrets: ExtensionSecrets;
  readonly createdAt: Date;
  readonly updatedAt: Date;
}

/** An extension as shown to admins: no hashes, only whether each PIN is set. */
export interface ExtensionView extends ExtensionSettings {
  readonly id: string;
  readonly tenantId: string;
  readonly voicemail: ExtensionVoicemail & { readonly pinSet: boolean };
  readonly advanced: ExtensionAdvanced & { readonly outgoingPinSet: boolean };
  readonly createdAt: Date;
  readonly updatedAt: Date;
}

/** Defaults of every setting that may be left out at creation (SPEC 2.2–2.5). */
export const EXTENSION_DEFAULTS = {
  general: {
    callerId: { kind: 'main' },
    internalCallerId: { kind: 'extension' },
    smsSender: null,
    ringTimeSeconds: 30,
    callWaiting: true,
  },
  voicemail: {
    enabled: false,
    email: null,
    greeting: 'system',
    greetingAppliesTo: { noAnswerOrUnavailable: true, busy: true },
  },
  forwarding: {
    noAnswer: { kind: 'none' },
    busy: { kind: 'none' },
    unavailable: { kind: 'none' },
    returnAfterSeconds: null,
    confirmExternal: false,
  },
  advanced: {
    encryption: false,
    internationalLevel: 'domestic',
    allowPremium: false,
    maxRateMinor: null,
    monitoring: false,
    fax: false,
  },
} as const satisfies Omit<ExtensionSettings, 'number' | 'name'>;

/** Strips the secrets of an extension for display. */
export function toExtensionView(ext: Extension): ExtensionView {
  const { secrets, ...rest } = ext;
  return {
    ...rest,
    voicemail: { ...ext.voicemail, pinSet: secrets.voicemailPinHash !== null },
    advanced: { ...ext.advanced, outgoingPinSet: secrets.outgoingPinHash !== null },
  };
}

/** The settings part of an extension (no ids, secrets or timestamps). */
export function extensionSettings(ext: ExtensionSettings): ExtensionSettings {
  return {
    number: ext.number,
    name: ext.name,
    general: ext.general,
    voicemail: {
      enabled: ext.voicemail.enabled,
      email: ext.voicemail.email,
      greeting: ext.voicemail.greeting,
      greetingAppliesTo: ext.voicemail.greetingAppliesTo,
    },
    forwarding: ext.forwarding,
    advanced: {
      encryption: ext.advanced.encryption,
      internationalLevel: ext.advanced.internationalLevel,
      allowPremium: ext.advanced.allowPremium,
      maxRateMinor: ext.advanced.maxRateMinor,
      monitoring: ext.advanced.monitoring,
      fax: ext.advanced.fax,
    },
  };
}
