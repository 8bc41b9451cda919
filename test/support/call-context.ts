// Builders of call-feature contexts for tests: an extension's call settings with SPEC defaults and a
// CallContext at the 'initial' point with one registered device and nobody on the phone.
import type { CallContext, ExtensionCallSettings } from '../../src/pbx/index.js';

/** Call settings of extension `number` with the SPEC defaults, overridable. */
export function callSettings(
  number: string,
  overrides: Partial<Omit<ExtensionCallSettings, 'forwarding'>> & { forwarding?: Partial<ExtensionCallSettings['forwarding']> } = {},
): ExtensionCallSettings {
  const { forwarding, ...rest } = overrides;
  return {
    tenantId: 'tenant-a',
    extensionId: `ext-${number}`,
    number,
    name: `User ${number}`,
    sipDomain: 'acme.pbx.example',
    language: 'pl',
    internalCallerId: { kind: 'extension' },
    ringTimeSeconds: 30,
    callWaiting: true,
    fax: false,
    voicemailEnabled: false,
    ...rest,
    forwarding: {
      noAnswer: { kind: 'none' },
      busy: { kind: 'none' },
      unavailable: { kind: 'none' },
      returnAfterSeconds: null,
      confirmExternal: false,
      ...forwarding,
    },
  };
}

/** A context for a call from 100 to `target`, at the 'initial' point unless overridden. */
export function callContext(target: ExtensionCallSettings, overrides: Partial<CallContext> = {}): CallContext {
  return {
    tenantId: target.tenantId,
    caller: { extension: '100', name: 'Caller', display: '100' },
    dialled: target.number,
    target,
    reason: 'initial',
    registeredDevices: 1,
    targetOnAnsweredCall: false,
    hops: [],
    now: Date.UTC(2025, 0, 6, 9, 0, 0),
    ...overrides,
  };
}
