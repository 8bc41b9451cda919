import { DomainError, domainError, normalizeSipDomain } from '../domain/index.js';
import { extensionRepository, tenantRepository, type Executor } from '../store/index.js';
import type { Extension, Tenant } from '../domain/index.js';

/** The tenant, or a TENANT_NOT_FOUND DomainError. */
export async function requireTenant(db: Executor, tenantId: string): Promise<Tenant> {
  const tenant = typeof tenantId === 'string' ? await tenantRepository.findById(db, tenantId) : undefined;
  if (!tenant) throw domainError('TENANT_NOT_FOUND');
  return tenant;
}

/**
 * A tenant named by its id or its SIP domain (case-insensitive, a trailing dot ignored), or a TENANT_NOT_FOUND
 * DomainError. The id is tried first; a SIP domain can never look like an id (tenant rules refuse UUID-shaped
 * domains), so the two cannot collide.
 */
export async function requireTenantByRef(db: Executor, ref: string): Promise<Tenant> {
  const byId = typeof ref === 'string' ? await tenantRepository.findById(db, ref) : undefined;
  if (byId) return byId;
  const domain = normalizeSipDomain(ref);
  const byDomain = domain === undefined ? undefined : await tenantRepository.findBySipDomain(db, domain);
  if (!byDomain) return requireTenant(db, ref);
  return byDomain;
}

/**
 * An extension of the tenant named by its number (digits only) or its id, or an EXTENSION_NOT_FOUND DomainError.
 * Ids are UUIDs, never all digits, so the two forms cannot collide.
 */
export async function requireExtensionByRef(db: Executor, tenantId: string, ref: string): Promise<Extension> {
  if (typeof ref === 'string' && /^\d+$/.test(ref)) {
    const ext = await extensionRepository.findByNumber(db, tenantId, ref);
    if (!ext) throw extensionNotFound();
    return ext;
  }
  return requireExtension(db, tenantId, ref);
}

/** The tenant's extension, or an EXTENSION_NOT_FOUND DomainError. */
export async function requireExtension(db: Executor, tenantId: string, id: string): Promise<Extension> {
  const ext = typeof id === 'string' ? await extensionRepository.findById(db, tenantId, id) : undefined;
  if (!ext) throw extensionNotFound();
  return ext;
}

/** The EXTENSION_NOT_FOUND DomainError. */
export function extensionNotFound(field?: string): DomainError {
  return domainError('EXTENSION_NOT_FOUND', field ? { field } : {});
}
