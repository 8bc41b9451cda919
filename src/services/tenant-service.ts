import { DomainError, domainError, resolvePageRequest, resolveTenantCreate, resolveTenantPatch, toPage, type Tenant } from '../domain/index.js';
import { uuid } from '../lib/index.js';
import { extensionRepository, isUniqueViolation, numberRepository, tenantRepository, type Executor } from '../store/index.js';
import { requireTenant, requireTenantByRef } from './not-found.js';
import { inTransaction, nowOf, type ServiceContext } from './service-context.js';
import type { TenantService } from './services.js';

function domainTaken(domain: string): DomainError {
  return new DomainError(
    'SIP_DOMAIN_TAKEN',
    { pl: `Domena SIP ${domain} jest już używana.`, en: `SIP domain ${domain} is already in use.` },
    { field: 'sipDomain' },
  );
}

async function ensureDomainFree(db: Executor, domain: string, selfId?: string): Promise<void> {
  const other = await tenantRepository.findBySipDomain(db, domain);
  if (other && other.id !== selfId) throw domainTaken(domain);
}

/** Builds the tenant use cases. */
export function createTenantService(ctx: ServiceContext): TenantService {
  return {
    async create(input) {
      const fields = resolveTenantCreate(input);
      return inTransaction(ctx, async (trx) => {
        const now = nowOf(ctx);
        await ensureDomainFree(trx, fields.sipDomain);
        const tenant: Tenant = { id: uuid(), ...fields, createdAt: now, updatedAt: now };
        try {
          await tenantRepository.insert(trx, tenant);
        } catch (err) {
          if (isUniqueViolation(err)) throw domainTaken(fields.sipDomain);
          throw err;
        }
        ctx.logger.info({ tenant: tenant.id, sipDomain: tenant.sipDomain }, 'tenant created');
        return tenant;
      });
    },

    async list(page) {
      const { limit, after } = resolvePageRequest(page, 1);
      const rows = await tenantRepository.list(ctx.db.kysely, limit + 1, after?.[0]);
      return toPage(rows, limit, (t) => [t.sipDomain]);
    },

    async get(id) {
      return requireTenant(ctx.db.kysely, id);
    },

    async find(ref) {
      return requireTenantByRef(ctx.db.kysely, ref);
    },

    async update(id, patch) {
      return inTransaction(ctx, async (trx) => {
        const current = await requireTenant(trx, id);
        const fields = resolveTenantPatch(current, patch, await numberRepository.listE164(trx, id));
        if (fields.sipDomain !== current.sipDomain) {
          // The HA1 of every extension hashes the realm: renaming it would silently break every device.
          if ((await extensionRepository.count(trx, id)) > 0) {
            throw domainError('SIP_DOMAIN_LOCKED', { field: 'sipDomain' });
          }
          await ensureDomainFree(trx, fields.sipDomain, id);
        }
        const tenant: Tenant = { ...current, ...fields, updatedAt: nowOf(ctx) };
        try {
          await tenantRepository.update(trx, tenant);
        } catch (err) {
          if (isUniqueViolation(err)) throw domainTaken(fields.sipDomain);
          throw err;
        }
        return tenant;
      });
    },
  };
}

