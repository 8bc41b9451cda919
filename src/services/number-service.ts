import { DomainError, domainError, normalizePhoneNumber, resolvePageRequest, toPage, type PhoneNumber, type Tenant } from '../domain/index.js';
import { uuid } from '../lib/index.js';
import { extensionRepository, isUniqueViolation, numberRepository, tenantRepository, type Executor } from '../store/index.js';
import { extensionNotFound, requireTenant } from './not-found.js';
import { inTransaction, nowOf, type ServiceContext } from './service-context.js';
import type { NumberService } from './services.js';

function toE164(tenant: Tenant, number: unknown): string {
  const e164 = typeof number === 'string' ? normalizePhoneNumber(number, tenant.country) : undefined;
  if (e164 === undefined) {
    throw domainError('PHONE_NUMBER_INVALID', { field: 'number' });
  }
  return e164;
}

function numberNotFound(): DomainError {
  return domainError('NUMBER_NOT_FOUND', { field: 'number' });
}

function numberTaken(e164: string): DomainError {
  return new DomainError('NUMBER_TAKEN', { pl: `Numer ${e164} jest już przydzielony.`, en: `Number ${e164} is already assigned.` }, { field: 'number' });
}

async function routeTarget(db: Executor, tenantId: string, extensionNumber: string | null | undefined): Promise<string | null> {
  if (extensionNumber === null || extensionNumber === undefined) return null;
  const ext = typeof extensionNumber === 'string' ? await extensionRepository.findByNumber(db, tenantId, extensionNumber) : undefined;
  if (!ext) throw extensionNotFound('extensionNumber');
  return ext.id;
}

async function requireNumber(db: Executor, tenantId: string, e164: string): Promise<PhoneNumber> {
  const found = await numberRepository.find(db, tenantId, e164);
  if (!found) throw numberNotFound();
  return found;
}

/** Builds the number (DID) use cases. */
export function createNumberService(ctx: ServiceContext): NumberService {
  return {
    async add(tenantId, input) {
      return inTransaction(ctx, async (trx) => {
        const tenant = await requireTenant(trx, tenantId);
        const e164 = toE164(tenant, input?.number);
        if (await numberRepository.findAnyTenant(trx, e164)) throw numberTaken(e164);
        const extensionId = await routeTarget(trx, tenantId, input.extensionNumber);
        try {
          await numberRepository.insert(trx, { id: uuid(), tenantId, e164, extensionId, extensionNumber: null, createdAt: nowOf(ctx) });
        } catch (err) {
          if (isUniqueViolation(err)) throw numberTaken(e164);
          throw err;
        }
        // The first number becomes the main number, so the main number is always one the tenant owns.
        if (tenant.mainNumber === null) await tenantRepository.update(trx, { ...tenant, mainNumber: e164, updatedAt: nowOf(ctx) });
        return requireNumber(trx, tenantId, e164);
      });
    },

    async list(tenantId, page) {
      const { limit, after } = resolvePageRequest(page, 1);
      await requireTenant(ctx.db.kysely, tenantId);
      const rows = await numberRepository.list(ctx.db.kysely, tenantId, limit + 1, after?.[0]);
      return toPage(rows, limit, (n) => [n.e164]);
    },

    async get(tenantId, number) {
      const tenant = await requireTenant(ctx.db.kysely, tenantId);
      return requireNumber(ctx.db.kysely, tenantId, toE164(tenant, number));
    },

    async remove(tenantId, number) {
      await inTransaction(ctx, async (trx) => {
        const tenant = await requireTenant(trx, tenantId);
        const e164 = toE164(tenant, number);
        await requireNumber(trx, tenantId, e164);
        const users = (await extensionRepository.listAll(trx, tenantId))
          .filter((e) => (e.general.callerId.kind === 'number' && e.general.callerId.e164 === e164) || e.general.smsSender === e164)
          .map((e) => e.number);
        if (users.length > 0) {
          throw new DomainError(
            'NUMBER_IN_USE',
            {
              pl: `Numer ${e164} jest prezentacją lub nadawcą SMS kont: ${users.join(', ')}.`,
              en: `Number ${e164} is the caller ID or SMS sender of extensions ${users.join(', ')}.`,
            },
            { field: 'number', details: { extensions: users } },
          );
        }
        if (tenant.mainNumber === e164) {
          const owned = await numberRepository.listE164(trx, tenantId);
          if (owned.size > 1) {
            throw new DomainError(
              'NUMBER_IN_USE',
              { pl: `Numer ${e164} jest numerem głównym; najpierw wybierz inny.`, en: `Number ${e164} is the main number; choose another first.` },
              { field: 'number', details: { mainNumber: true } },
            );
          }
          await tenantRepository.update(trx, { ...tenant, mainNumber: null, updatedAt: nowOf(ctx) });
        }
        await numberRepository.delete(trx, tenantId, e164);
      });
    },

    async route(tenantId, number, extensionNumber) {
      return inTransaction(ctx, async (trx) => {
        const tenant = await requireTenant(trx, tenantId);
        const e164 = toE164(tenant, number);
        await requireNumber(trx, tenantId, e164);
        await numberRepository.setRoute(trx, tenantId, e164, await routeTarget(trx, tenantId, extensionNumber));
        return requireNumber(trx, tenantId, e164);
      });
    },
  };
}
