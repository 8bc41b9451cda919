import { normalizeSipDomain, type Extension, type ForwardTarget, type Tenant } from '../domain/index.js';
import { extensionRepository, tenantRepository } from '../store/index.js';
import type { ServiceContext } from './service-context.js';
import type { CallSettingsRecord, SipLookups } from './services.js';

const EXTENSION_NUMBER = /^\d{2,6}$/;

function copyTarget(target: ForwardTarget): ForwardTarget {
  switch (target.kind) {
    case 'extension':
      return { kind: 'extension', number: target.number };
    case 'external':
      return { kind: 'external', e164: target.e164 };
    case 'voicemail':
      return { kind: 'voicemail' };
    default:
      return { kind: 'none' };
  }
}

/** The call engine's view of an extension's stored settings (the one mapping; copies only what calls use). */
export function callSettingsOf(tenant: Tenant, ext: Extension): CallSettingsRecord {
  const { general, voicemail, forwarding, advanced } = ext;
  return {
    tenantId: ext.tenantId,
    extensionId: ext.id,
    number: ext.number,
    name: ext.name,
    sipDomain: tenant.sipDomain.toLowerCase(),
    language: tenant.language,
    internalCallerId:
      general.internalCallerId.kind === 'custom' ? { kind: 'custom', value: general.internalCallerId.value } : { kind: 'extension' },
    ringTimeSeconds: general.ringTimeSeconds,
    callWaiting: general.callWaiting,
    fax: advanced.fax,
    voicemailEnabled: voicemail.enabled,
    forwarding: {
      noAnswer: copyTarget(forwarding.noAnswer),
      busy: copyTarget(forwarding.busy),
      unavailable: copyTarget(forwarding.unavailable),
      returnAfterSeconds: forwarding.returnAfterSeconds,
      confirmExternal: forwarding.confirmExternal,
    },
  };
}

/** Builds the SIP layer's look-ups: digest credentials by realm and user name, call settings by tenant and number. */
export function createExtensionDirectory(ctx: ServiceContext): SipLookups {
  return {
    async findExtensionForAuth(sipDomain, extensionNumber) {
      const domain = normalizeSipDomain(sipDomain);
      if (domain === undefined || typeof extensionNumber !== 'string' || !EXTENSION_NUMBER.test(extensionNumber)) return undefined;
      return extensionRepository.findAuth(ctx.db.kysely, domain, extensionNumber);
    },

    async findCallSettings(tenantId, number) {
      if (typeof tenantId !== 'string' || typeof number !== 'string' || !EXTENSION_NUMBER.test(number)) return undefined;
      const ext = await extensionRepository.findByNumber(ctx.db.kysely, tenantId, number);
      if (!ext) return undefined;
      const tenant = await tenantRepository.findById(ctx.db.kysely, tenantId);
      return tenant && callSettingsOf(tenant, ext);
    },
  };
}
