import { normalizeSipDomain } from '../domain/index.js';
import { extensionRepository } from '../store/index.js';
import type { ServiceContext } from './service-context.js';
import type { ExtensionDirectory } from './services.js';

/** Builds the SIP layer's look-up of digest credentials by realm and user name. */
export function createExtensionDirectory(ctx: ServiceContext): ExtensionDirectory {
  return {
    async findExtensionForAuth(sipDomain, extensionNumber) {
      const domain = normalizeSipDomain(sipDomain);
      if (domain === undefined || typeof extensionNumber !== 'string' || !/^\d{2,6}$/.test(extensionNumber)) return undefined;
      return extensionRepository.findAuth(ctx.db.kysely, domain, extensionNumber);
    },
  };
}
