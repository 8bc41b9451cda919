import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  EXTENSION_PATCH_CASES,
  EXTENSION_RULE_CASES,
  RULES_BASE_INPUT,
  RULES_FIXTURE,
  caseInput,
  type RuleExpectation,
} from '../../test/support/extension-rules-table.js';
import { DomainError } from './domain-error.js';
import { EXTENSION_DEFAULTS, type Extension } from './extension.js';
import type { ExtensionCreateInput, ExtensionPatch } from './extension-input.js';
import type { Feature } from './feature-availability.js';
import { resolveExtensionCreate, resolveExtensionPatch, type ExtensionRuleContext, type ResolvedExtensionChange } from './extension-rules.js';

/** The rules of every field are checked as they will apply once every feature is built. */
const ctx: ExtensionRuleContext = {
  country: RULES_FIXTURE.tenant.country,
  ownedNumbers: new Set(RULES_FIXTURE.numbers),
  otherExtensionNumbers: new Set(RULES_FIXTURE.extensions.map((e) => e.number)),
  unavailableFeatures: new Set(),
};
/** The same tenant with the features of today. */
const today: ExtensionRuleContext = { ...ctx, unavailableFeatures: undefined };

/** The value at a dotted path of the resolved settings (`*PinSet` paths read the resolved PINs). */
function valueAt(resolved: ResolvedExtensionChange, path: string): unknown {
  if (path === 'voicemail.pinSet') return typeof resolved.voicemailPin === 'string';
  if (path === 'advanced.outgoingPinSet') return typeof resolved.outgoingPin === 'string';
  return path.split('.').reduce<unknown>((v, k) => (v as Record<string, unknown>)[k], resolved.settings);
}

function check(run: () => ResolvedExtensionChange, expect: RuleExpectation): void {
  if (expect.ok) {
    const resolved = run();
    if (expect.stored) assert.deepEqual(valueAt(resolved, expect.stored.path), expect.stored.value);
    return;
  }
  assert.throws(run, (err: unknown) => {
    assert.ok(err instanceof DomainError, `expected a DomainError, got ${String(err)}`);
    assert.equal(err.code, expect.code);
    assert.equal(err.field, expect.field);
    assert.ok(err.messages.pl.length > 0 && err.messages.en.length > 0);
    return true;
  });
}

function asExtension(resolved: ResolvedExtensionChange): Extension {
  return {
    id: 'ext-1',
    tenantId: 'tenant-1',
    ...resolved.settings,
    secrets: {
      ha1Md5: 'x',
      ha1Sha256: 'y',
      voicemailPinHash: typeof resolved.voicemailPin === 'string' ? 'hash' : null,
      outgoingPinHash: typeof resolved.outgoingPin === 'string' ? 'hash' : null,
    },
    createdAt: new Date(0),
    updatedAt: new Date(0),
  };
}

describe('extension rules: creating (SPEC 2.1–2.5)', () => {
  for (const c of EXTENSION_RULE_CASES) {
    test(c.title, () => check(() => resolveExtensionCreate(caseInput(c), ctx), c.expect));
  }
});

describe('extension rules: changing (validated as a whole)', () => {
  for (const c of EXTENSION_PATCH_CASES) {
    test(c.title, () => {
      const current = asExtension(resolveExtensionCreate({ ...RULES_BASE_INPUT, ...c.create }, ctx));
      check(() => resolveExtensionPatch(current, c.patch, ctx), c.expect);
    });
  }
});

describe('extension rules: defaults and secrets', () => {
  test('fields left out take the SPEC defaults', () => {
    const { settings } = resolveExtensionCreate({ number: '31', name: 'Jan' }, ctx);
    assert.deepEqual(settings.general, EXTENSION_DEFAULTS.general);
    assert.deepEqual(settings.voicemail, EXTENSION_DEFAULTS.voicemail);
    assert.deepEqual(settings.forwarding, EXTENSION_DEFAULTS.forwarding);
    assert.deepEqual(settings.advanced, EXTENSION_DEFAULTS.advanced);
    assert.equal(settings.general.ringTimeSeconds, 30);
    assert.equal(settings.general.callWaiting, true);
    assert.equal(settings.voicemail.enabled, false);
    assert.equal(settings.advanced.internationalLevel, 'domestic');
    assert.equal(settings.advanced.allowPremium, false);
  });

  test('without a password a strong one is generated, never containing the number', () => {
    const resolved = resolveExtensionCreate({ number: '23', name: 'Jan' }, ctx);
    assert.equal(resolved.passwordGenerated, true);
    assert.ok(resolved.password !== undefined && resolved.password.length === 16);
    assert.ok(!resolved.password.includes('23'));
  });

  test('a given password is kept as given and not marked generated', () => {
    const resolved = resolveExtensionCreate(RULES_BASE_INPUT, ctx);
    assert.equal(resolved.password, RULES_BASE_INPUT.password);
    assert.equal(resolved.passwordGenerated, false);
  });

  test('a change of number without a password generates a new one (HA1 hashes the number)', () => {
    const current = asExtension(resolveExtensionCreate(RULES_BASE_INPUT, ctx));
    const renumbered = resolveExtensionPatch(current, { number: '44' }, ctx);
    assert.equal(renumbered.passwordGenerated, true);
    const renamed = resolveExtensionPatch(current, { name: 'Inny' }, ctx);
    assert.equal(renamed.password, undefined);
    assert.equal(renamed.voicemailPin, undefined);
  });

  test('a PIN set to null in a change clears it; left out keeps it', () => {
    const current = asExtension(resolveExtensionCreate({ ...RULES_BASE_INPUT, advanced: { outgoingPin: '1234' } }, ctx));
    assert.equal(resolveExtensionPatch(current, { advanced: { outgoingPin: null } }, ctx).outgoingPin, null);
    assert.equal(resolveExtensionPatch(current, { advanced: { fax: true } }, ctx).outgoingPin, undefined);
  });

  test('every violated rule is listed in details.issues, the first one is the error', () => {
    assert.throws(
      () => resolveExtensionCreate({ number: '112', name: '', password: 'short', general: { ringTimeSeconds: 1 } }, ctx),
      (err: unknown) => {
        assert.ok(err instanceof DomainError);
        assert.equal(err.code, 'EXTENSION_NUMBER_EMERGENCY');
        const issues = err.details?.issues as { code: string; field: string }[];
        assert.deepEqual(
          issues.map((i) => i.code).sort(),
          ['EXTENSION_NAME_INVALID', 'EXTENSION_NUMBER_EMERGENCY', 'PASSWORD_TOO_WEAK', 'RING_TIME_INVALID'],
        );
        return true;
      },
    );
  });

  test('secret inputs never leak into the settings', () => {
    const { settings } = resolveExtensionCreate({ ...RULES_BASE_INPUT, voicemail: { pin: '1234' }, advanced: { outgoingPin: '9876' } }, ctx);
    assert.ok(!JSON.stringify(settings).includes('1234'));
    assert.ok(!JSON.stringify(settings).includes('9876'));
    assert.ok(!JSON.stringify(settings).includes(RULES_BASE_INPUT.password ?? '?'));
  });

  test('input that is not an object is refused with VALUE_INVALID', () => {
    assert.throws(() => resolveExtensionCreate(null as never, ctx), (err: unknown) => err instanceof DomainError && err.code === 'VALUE_INVALID');
  });
});

describe('extension rules: features that are not built yet', () => {
  const valid = { ...RULES_BASE_INPUT, voicemail: { pin: '1234' } };
  const cases: Array<[string, ExtensionPatch, Feature, string]> = [
    ['voicemail on', { voicemail: { enabled: true } }, 'voicemail', 'voicemail.enabled'],
    ['monitoring on', { advanced: { monitoring: true } }, 'monitoring', 'advanced.monitoring'],
    ['fax on', { advanced: { fax: true } }, 'fax', 'advanced.fax'],
    ['encryption on', { advanced: { encryption: true } }, 'encryption', 'advanced.encryption'],
    ['an SMS sender', { general: { smsSender: 'ACME' } }, 'sms', 'general.smsSender'],
    ['a hidden caller ID', { general: { callerId: { kind: 'hidden' } } }, 'externalCalls', 'general.callerId'],
    ['a caller ID of a tenant number', { general: { callerId: { kind: 'number', e164: '+48221234568' } } }, 'externalCalls', 'general.callerId'],
    ['a forward to an external number', { forwarding: { busy: { kind: 'external', e164: '+48600123456' } } }, 'externalCalls', 'forwarding.busy'],
    ['press 1 to accept an external forward', { forwarding: { confirmExternal: true } }, 'externalCalls', 'forwarding.confirmExternal'],
  ];
  for (const [what, change, feature, field] of cases) {
    test(`${what} is refused with FEATURE_NOT_AVAILABLE naming ${feature} and ${field}, on create and on change`, () => {
      const refused = (err: unknown): boolean => {
        assert.ok(err instanceof DomainError, String(err));
        assert.equal(err.code, 'FEATURE_NOT_AVAILABLE');
        assert.equal(err.field, field);
        assert.equal(err.details?.feature, feature);
        assert.match(err.messages.en, new RegExp(`${field.replace('.', '\\.')}.*not available`));
        return true;
      };
      assert.throws(() => resolveExtensionCreate({ ...valid, ...(change as ExtensionCreateInput) }, today), refused);
      const current = asExtension(resolveExtensionCreate(valid, today));
      assert.throws(() => resolveExtensionPatch(current, change, today), refused);
    });
  }

  test('every setting left at its default is accepted, given explicitly or left out', () => {
    const { settings } = resolveExtensionCreate({ ...RULES_BASE_INPUT, ...EXTENSION_DEFAULTS }, today);
    assert.deepEqual(settings.general, EXTENSION_DEFAULTS.general);
    assert.deepEqual(settings.advanced, EXTENSION_DEFAULTS.advanced);
    resolveExtensionCreate({ ...RULES_BASE_INPUT, forwarding: { noAnswer: { kind: 'extension', number: '20' } } }, today);
  });

  test('an extension stored with a withdrawn feature on can still be changed otherwise', () => {
    const current = asExtension(resolveExtensionCreate({ ...valid, advanced: { fax: true } }, ctx));
    assert.equal(resolveExtensionPatch(current, { name: 'Inna' }, today).settings.advanced.fax, true);
  });

  test('the refusal comes first, with the other problems in details.issues', () => {
    assert.throws(
      () => resolveExtensionCreate({ ...RULES_BASE_INPUT, voicemail: { enabled: true } }, today),
      (err: unknown) => {
        assert.ok(err instanceof DomainError);
        assert.equal(err.code, 'FEATURE_NOT_AVAILABLE');
        const issues = err.details?.issues as { code: string }[];
        assert.deepEqual(issues.map((i) => i.code), ['FEATURE_NOT_AVAILABLE', 'VOICEMAIL_PIN_REQUIRED']);
        return true;
      },
    );
  });
});
