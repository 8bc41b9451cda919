import { DomainError } from '../domain/index.js';
import { extensionRepository, tenantRepository, type Executor } from '../store/index.js';
import type { Extension, Tenant } from '../domain/index.js';

/** The tenant, or a TENANT_NOT_FOUND DomainError. */
export async function requireTenant(db: Executor, tenantId: string): Promise<Tenant> {
  const tenant = typeof tenantId === 'string' ? await tenantRepository.findById(db, tenantId) : undefined;
  if (!tenant) throw new DomainError('TENANT_NOT_FOUND', { pl: 'Nie ma takiej firmy.', en: 'No such tenant.' });
  return tenant;
}

/** The tenant's extension, or an EXTENSION_NOT_FOUND DomainError. */
export async function requireExtension(db: Executor, tenantId: string, id: string): Promise<Extension> {
  const ext = typeof id === 'string' ? await extensionRepository.findById(db, tenantId, id) : undefined;
  if (!ext) throw extensionNotFound();
  return ext;
}

/** The EXTENSION_NOT_FOUND DomainError. */
export function extensionNotFound(field?: string): DomainError {
  return new DomainError('EXTENSION_NOT_FOUND', { pl: 'Nie ma takiego konta SIP.', en: 'No such extension.' }, field ? { field } : {});
}
