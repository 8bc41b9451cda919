import type { LocalizedMessage } from './domain-error.js';
import { EXTENSION_DEFAULTS, type ExtensionSettings } from './extension.js';
import type { RuleIssues } from './rule-issues.js';

/**
 * Features of an extension (SPEC 2.2–2.5) that can be switched on, each named by a stable id that errors and
 * docs use. `externalCalls` is everything that only matters on a call to or from the public network: forwarding
 * to an external number, the external caller ID and the "press 1" confirmation of an external forward.
 */
export type Feature = 'voicemail' | 'monitoring' | 'fax' | 'sms' | 'encryption' | 'externalCalls';

/**
 * The one list of features that are not built yet. Turning one on is refused with FEATURE_NOT_AVAILABLE and no
 * price is ever charged for it. The change that builds a feature removes it from this list (and its tests of
 * the refusal) in the same commit.
 */
export const UNAVAILABLE_FEATURES: ReadonlySet<Feature> = new Set<Feature>([
  'voicemail',
  'monitoring',
  'fax',
  'sms',
  'encryption',
  'externalCalls',
]);

/** How errors name each feature, in both panel languages. */
export const FEATURE_NAMES: Readonly<Record<Feature, LocalizedMessage>> = {
  voicemail: { pl: 'Poczta głosowa', en: 'Voicemail' },
  monitoring: { pl: 'Monitorowanie', en: 'Monitoring' },
  fax: { pl: 'Faks', en: 'Fax' },
  sms: { pl: 'SMS', en: 'SMS' },
  encryption: { pl: 'Szyfrowanie rozmów', en: 'Call encryption' },
  externalCalls: { pl: 'Połączenia zewnętrzne', en: 'External calls' },
};

/** Adds the FEATURE_NOT_AVAILABLE issue of `feature`, set at `field`. */
export function addFeatureNotAvailable(issues: RuleIssues, feature: Feature, field: string): void {
  const name = FEATURE_NAMES[feature];
  issues.add(
    'FEATURE_NOT_AVAILABLE',
    field,
    `${name.pl} (${field}): funkcja nie jest jeszcze dostępna.`,
    `${name.en} (${field}): this feature is not available yet.`,
    { feature },
  );
}

/** True when `feature` works and may be switched on and charged for. */
export function isFeatureAvailable(feature: Feature, unavailable: ReadonlySet<Feature> = UNAVAILABLE_FEATURES): boolean {
  return !unavailable.has(feature);
}

/** One setting that switches a feature on: the dotted field and whether it does so in `settings`. */
export interface FeatureSwitch {
  readonly feature: Feature;
  readonly field: string;
  readonly isOn: (settings: ExtensionSettings) => boolean;
}

const FORWARD_CONDITIONS = ['noAnswer', 'busy', 'unavailable'] as const;

/**
 * Every setting that turns a feature on. A setting left at its default ({@link EXTENSION_DEFAULTS}) never does,
 * so an extension with default settings is always accepted.
 */
export const FEATURE_SWITCHES: readonly FeatureSwitch[] = [
  { feature: 'voicemail', field: 'voicemail.enabled', isOn: (s) => s.voicemail.enabled },
  ...FORWARD_CONDITIONS.map(
    (c): FeatureSwitch => ({ feature: 'voicemail', field: `forwarding.${c}`, isOn: (s) => s.forwarding[c].kind === 'voicemail' }),
  ),
  ...FORWARD_CONDITIONS.map(
    (c): FeatureSwitch => ({ feature: 'externalCalls', field: `forwarding.${c}`, isOn: (s) => s.forwarding[c].kind === 'external' }),
  ),
  { feature: 'externalCalls', field: 'forwarding.confirmExternal', isOn: (s) => s.forwarding.confirmExternal },
  { feature: 'externalCalls', field: 'general.callerId', isOn: (s) => s.general.callerId.kind !== EXTENSION_DEFAULTS.general.callerId.kind },
  { feature: 'sms', field: 'general.smsSender', isOn: (s) => s.general.smsSender !== null },
  { feature: 'monitoring', field: 'advanced.monitoring', isOn: (s) => s.advanced.monitoring },
  { feature: 'fax', field: 'advanced.fax', isOn: (s) => s.advanced.fax },
  { feature: 'encryption', field: 'advanced.encryption', isOn: (s) => s.advanced.encryption },
];

/**
 * The switches of unavailable features that `after` turns on. A switch already on in `before` (stored before
 * the feature was withdrawn) is not counted again, so unrelated changes of such an extension still save.
 */
export function unavailableFeaturesTurnedOn(
  before: ExtensionSettings | undefined,
  after: ExtensionSettings,
  unavailable: ReadonlySet<Feature> = UNAVAILABLE_FEATURES,
): FeatureSwitch[] {
  return FEATURE_SWITCHES.filter((s) => unavailable.has(s.feature) && s.isOn(after) && !(before !== undefined && s.isOn(before)));
}
