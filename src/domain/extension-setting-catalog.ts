import { EXTENSION_DEFAULTS } from './extension.js';
import { GENERATED_PASSWORD_LENGTH } from './sip-password.js';

/** Whether a setting does something on calls today. */
export type ExtensionSettingStatus =
  /** Saved and in force on calls. */
  | 'works'
  /** Its feature is not built: enabling it is refused. */
  | 'not available yet'
  /** Saved and checked, but it only acts on calls to external numbers, which are not built yet. */
  | 'saved; acts once external calls are built';

/** One setting of an extension as the API body and `--set` take it. */
export interface ExtensionSettingInfo {
  /** Dotted path in the API body (`general.ringTimeSeconds`), also the `--set` path of the CLI. */
  readonly path: string;
  /** JSON type: `integer`, `boolean`, `string`, `object`, `one of a, b`, with ` or null` when null is allowed. */
  readonly type: string;
  /** The value a new extension gets when the setting is left out, written as `--set` takes it. */
  readonly default: string;
  /** What a valid value is. */
  readonly rule: string;
  /** What the setting does on a call. */
  readonly effect: string;
  readonly status: ExtensionSettingStatus;
}

type Section = keyof typeof EXTENSION_DEFAULTS;

/** A default of {@link EXTENSION_DEFAULTS} written as `--set` takes it: text as is, anything else as JSON. */
function defaultOf<S extends Section>(section: S, field: keyof (typeof EXTENSION_DEFAULTS)[S]): string {
  const value: unknown = EXTENSION_DEFAULTS[section][field];
  return typeof value === 'string' ? value : JSON.stringify(value);
}

const FORWARD_RULE =
  '{"kind":"none"}, {"kind":"extension","number":"102"} (another extension of the tenant, not this one), ' +
  '{"kind":"voicemail"} (needs voicemail.enabled) or {"kind":"external","e164":"+48221234567"}';

/** A forwarding condition: same type, default and rule, different trigger. */
function forwardCondition(condition: 'noAnswer' | 'busy' | 'unavailable', when: string): ExtensionSettingInfo {
  return {
    path: `forwarding.${condition}`,
    type: 'object',
    default: defaultOf('forwarding', condition),
    rule: FORWARD_RULE,
    effect:
      `${when} the call goes to this target instead, as if dialled there (Diversion and History-Info name this ` +
      'extension). none: the default handling (voicemail if enabled, else busy or unavailable to the caller). ' +
      'Extension targets work; voicemail and external targets are not available yet.',
    status: 'works',
  };
}

/**
 * Every setting of an extension: the one source of docs/extension-settings.md (a test compares them, and both
 * with the API schema and {@link EXTENSION_DEFAULTS}) and of `centrala extension settings`. Order: as in the
 * API body.
 */
export const EXTENSION_SETTING_CATALOG: readonly ExtensionSettingInfo[] = [
  {
    path: 'number',
    type: 'string',
    default: 'required',
    rule: '2–6 digits, unique in the tenant; not an emergency number (112, 997, 998, 999) nor a prefix of one; not starting with 00, * or #',
    effect:
      'What colleagues dial, and the user name the devices register and authenticate with. A new number needs a new ' +
      'password (one is generated unless given), since the digest hashes include it.',
    status: 'works',
  },
  {
    path: 'name',
    type: 'string',
    default: 'required',
    rule: '1–64 characters',
    effect: 'The display name colleagues see when this extension calls them.',
    status: 'works',
  },
  {
    path: 'password',
    type: 'string',
    default: `generated (${GENERATED_PASSWORD_LENGTH} characters, shown once)`,
    rule: '12–128 printable ASCII characters without spaces, with letters and digits, not containing the number',
    effect: 'The SIP password of every device of the extension (REGISTER and INVITE digest). Only its hashes are stored.',
    status: 'works',
  },
  {
    path: 'general.callerId',
    type: 'object',
    default: defaultOf('general', 'callerId'),
    rule: '{"kind":"main"}, {"kind":"number","e164":"+48221234567"} (one of the tenant\'s numbers) or {"kind":"hidden"}',
    effect: 'The number the called party sees on outgoing external calls; hidden withholds it (CLIR).',
    status: 'not available yet',
  },
  {
    path: 'general.internalCallerId',
    type: 'object',
    default: defaultOf('general', 'internalCallerId'),
    rule: '{"kind":"extension"} or {"kind":"custom","value":"…"} with 1–32 characters, no quotes, <, > or backslash',
    effect: 'The number colleagues\' phones show when this extension calls them: its own number, or the substitute.',
    status: 'works',
  },
  {
    path: 'general.smsSender',
    type: 'string or null',
    default: defaultOf('general', 'smsSender'),
    rule: '1–11 GSM letters, digits or spaces with at least one letter, or one of the tenant\'s numbers; null: the main number',
    effect: 'The sender shown on SMS sent from this extension.',
    status: 'not available yet',
  },
  {
    path: 'general.ringTimeSeconds',
    type: 'integer',
    default: defaultOf('general', 'ringTimeSeconds'),
    rule: '5–300',
    effect: 'How long the devices ring before the call counts as unanswered and the forwarding.noAnswer rule applies.',
    status: 'works',
  },
  {
    path: 'general.callWaiting',
    type: 'boolean',
    default: defaultOf('general', 'callWaiting'),
    rule: 'true or false',
    effect:
      'true: a call to the extension while it is on a call rings its devices as a waiting call. false: the caller ' +
      'gets busy and the forwarding.busy rule applies.',
    status: 'works',
  },
  {
    path: 'voicemail.enabled',
    type: 'boolean',
    default: defaultOf('voicemail', 'enabled'),
    rule: 'true or false; true needs voicemail.pin',
    effect: 'Unanswered, busy and unreachable calls go to the mailbox (when no forwarding rule says otherwise).',
    status: 'not available yet',
  },
  {
    path: 'voicemail.pin',
    type: 'string or null',
    default: 'null',
    rule: '4–8 digits (kept as text, so 0123 keeps its 0); null clears it; stored hashed',
    effect: 'The PIN that opens the mailbox from a phone (*98).',
    status: 'not available yet',
  },
  {
    path: 'voicemail.email',
    type: 'string or null',
    default: defaultOf('voicemail', 'email'),
    rule: 'an e-mail address, or null',
    effect: 'New messages are e-mailed there with the recording attached.',
    status: 'not available yet',
  },
  {
    path: 'voicemail.greeting',
    type: 'one of system, custom',
    default: defaultOf('voicemail', 'greeting'),
    rule: 'system or custom',
    effect: 'The greeting callers hear: the system one, or the extension\'s own recording.',
    status: 'not available yet',
  },
  {
    path: 'voicemail.greetingAppliesTo',
    type: 'object',
    default: defaultOf('voicemail', 'greetingAppliesTo'),
    rule: 'an object with both fields, noAnswerOrUnavailable and busy, each true or false',
    effect: 'In which situations the custom greeting is played; the system greeting plays in the others.',
    status: 'not available yet',
  },
  forwardCondition('noAnswer', 'Nobody answered within general.ringTimeSeconds:'),
  forwardCondition('busy', 'The extension is busy (on a call with call waiting off, or every device refused):'),
  forwardCondition('unavailable', 'No device is registered or every device failed, at once, without ringing:'),
  {
    path: 'forwarding.returnAfterSeconds',
    type: 'integer or null',
    default: defaultOf('forwarding', 'returnAfterSeconds'),
    rule: '5–300, or null for no limit',
    effect:
      'How long a forward target may ring: then the call returns to this extension\'s voicemail, or ends ' +
      '(480 while voicemail is not built).',
    status: 'works',
  },
  {
    path: 'forwarding.confirmExternal',
    type: 'boolean',
    default: defaultOf('forwarding', 'confirmExternal'),
    rule: 'true or false',
    effect: 'An external forward target must press 1 to take the call, so a mobile\'s own voicemail cannot swallow it.',
    status: 'not available yet',
  },
  {
    path: 'advanced.encryption',
    type: 'boolean',
    default: defaultOf('advanced', 'encryption'),
    rule: 'true or false',
    effect: 'Signalling only over TLS and media only as SRTP between the devices and the PBX; plain offers are refused.',
    status: 'not available yet',
  },
  {
    path: 'advanced.internationalLevel',
    type: 'one of internal, domestic, eu, worldwide',
    default: defaultOf('advanced', 'internationalLevel'),
    rule: 'internal, domestic, eu or worldwide',
    effect: 'Which external numbers the extension may call. Emergency numbers always go out.',
    status: 'saved; acts once external calls are built',
  },
  {
    path: 'advanced.allowPremium',
    type: 'boolean',
    default: defaultOf('advanced', 'allowPremium'),
    rule: 'true or false',
    effect: 'Allows premium-rate, satellite and special destinations, blocked otherwise at every level.',
    status: 'saved; acts once external calls are built',
  },
  {
    path: 'advanced.maxRateMinor',
    type: 'integer or null',
    default: defaultOf('advanced', 'maxRateMinor'),
    rule: '0–1000000 minor units per minute (grosze for PLN); null: the tenant\'s default',
    effect: 'Calls to destinations that cost more per minute are refused.',
    status: 'saved; acts once external calls are built',
  },
  {
    path: 'advanced.outgoingPin',
    type: 'string or null',
    default: 'null',
    rule: '4–8 digits; null clears it; stored hashed',
    effect: 'When set, the caller must key it (then #) before an external call; after 3 wrong tries the call is refused.',
    status: 'saved; acts once external calls are built',
  },
  {
    path: 'advanced.monitoring',
    type: 'boolean',
    default: defaultOf('advanced', 'monitoring'),
    rule: 'true or false',
    effect: 'The PBX checks the devices (SIP OPTIONS) and e-mails the tenant admin when the extension goes down or comes back.',
    status: 'not available yet',
  },
  {
    path: 'advanced.fax',
    type: 'boolean',
    default: defaultOf('advanced', 'fax'),
    rule: 'true or false',
    effect: 'The extension carries fax: T.38 passed through, G.711 only, no call waiting during a call.',
    status: 'not available yet',
  },
];
