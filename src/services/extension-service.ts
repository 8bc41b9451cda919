import {
  DomainError,
  generateSipPassword,
  ha1Md5,
  ha1Sha256,
  resolvePageRequest,
  toExtensionView,
  toPage,
  type Extension,
} from '../domain/index.js';
import { uuid } from '../lib/index.js';
import { extensionRepository, isUniqueViolation, type Executor } from '../store/index.js';
import { extensionInUse, forwardersTo, prepareCreate, prepareUpdate, secretsAfter, type PreparedChange } from './extension-change.js';
import { extensionNotFound, requireExtension, requireExtensionByRef, requireTenant } from './not-found.js';
import { chargeLedger, confirmQuote } from './quote-confirmation.js';
import { inTransaction, nowOf, type ServiceContext } from './service-context.js';
import type { ExtensionService, ExtensionWriteResult } from './services.js';

function numberTaken(number: string): DomainError {
  return new DomainError(
    'EXTENSION_NUMBER_TAKEN',
    { pl: `Numer wewnętrzny ${number} jest już zajęty.`, en: `Extension number ${number} is already taken.` },
    { field: 'number' },
  );
}

async function write(db: Executor, prepared: PreparedChange, extension: Extension, insert: boolean): Promise<void> {
  try {
    if (insert) await extensionRepository.insert(db, extension);
    else await extensionRepository.update(db, extension);
  } catch (err) {
    if (isUniqueViolation(err)) throw numberTaken(prepared.resolved.settings.number);
    throw err;
  }
}

/** Builds the extension use cases. */
export function createExtensionService(ctx: ServiceContext): ExtensionService {
  return {
    async create(tenantId, input, options = {}): Promise<ExtensionWriteResult> {
      return inTransaction(ctx, async (trx) => {
        const now = nowOf(ctx);
        const tenant = await requireTenant(trx, tenantId);
        const prepared = await prepareCreate(trx, tenant, input, now, ctx.unavailableFeatures);
        const quoteId = await confirmQuote(trx, prepared, options.quoteId, now);
        const extension: Extension = {
          id: uuid(),
          tenantId,
          ...prepared.resolved.settings,
          secrets: await secretsAfter(prepared),
          createdAt: now,
          updatedAt: now,
        };
        await write(trx, prepared, extension, true);
        const charges = await chargeLedger(trx, prepared, extension, quoteId, now);
        ctx.logger.info({ tenant: tenantId, extension: extension.number }, 'extension created');
        return { extension: toExtensionView(extension), password: prepared.resolved.password ?? null, charges };
      });
    },

    async get(tenantId, id) {
      return toExtensionView(await requireExtension(ctx.db.kysely, tenantId, id));
    },

    async getByNumber(tenantId, number) {
      const ext = typeof number === 'string' ? await extensionRepository.findByNumber(ctx.db.kysely, tenantId, number) : undefined;
      if (!ext) throw extensionNotFound();
      return toExtensionView(ext);
    },

    async find(tenantId, ref) {
      return toExtensionView(await requireExtensionByRef(ctx.db.kysely, tenantId, ref));
    },

    async list(tenantId, page, filter = {}) {
      const { limit, after } = resolvePageRequest(page, 1);
      await requireTenant(ctx.db.kysely, tenantId);
      if (filter.number !== undefined) {
        const ext = await extensionRepository.findByNumber(ctx.db.kysely, tenantId, filter.number);
        return { items: ext ? [toExtensionView(ext)] : [], nextCursor: null };
      }
      const rows = await extensionRepository.list(ctx.db.kysely, tenantId, limit + 1, after?.[0]);
      const result = toPage(rows, limit, (e) => [e.number]);
      return { items: result.items.map(toExtensionView), nextCursor: result.nextCursor };
    },

    async update(tenantId, id, patch, options = {}): Promise<ExtensionWriteResult> {
      return inTransaction(ctx, async (trx) => {
        const now = nowOf(ctx);
        const tenant = await requireTenant(trx, tenantId);
        const current = await requireExtension(trx, tenantId, id);
        const prepared = await prepareUpdate(trx, tenant, current, patch, now, ctx.unavailableFeatures);
        const quoteId = await confirmQuote(trx, prepared, options.quoteId, now);
        const extension: Extension = {
          ...current,
          ...prepared.resolved.settings,
          secrets: await secretsAfter(prepared),
          updatedAt: now,
        };
        await write(trx, prepared, extension, false);
        const charges = await chargeLedger(trx, prepared, extension, quoteId, now);
        ctx.logger.info({ tenant: tenantId, extension: extension.number }, 'extension updated');
        return { extension: toExtensionView(extension), password: prepared.resolved.password ?? null, charges };
      });
    },

    async delete(tenantId, id) {
      await inTransaction(ctx, async (trx) => {
        const current = await requireExtension(trx, tenantId, id);
        const others = (await extensionRepository.listAll(trx, tenantId)).filter((e) => e.id !== id);
        const forwarders = forwardersTo(others, current.number);
        if (forwarders.length > 0) throw extensionInUse(current.number, forwarders);
        await extensionRepository.delete(trx, tenantId, id);
        ctx.logger.info({ tenant: tenantId, extension: current.number }, 'extension deleted');
      });
    },

    async resetPassword(tenantId, id) {
      return inTransaction(ctx, async (trx) => {
        const now = nowOf(ctx);
        const tenant = await requireTenant(trx, tenantId);
        const current = await requireExtension(trx, tenantId, id);
        const password = generateSipPassword(current.number);
        const extension: Extension = {
          ...current,
          secrets: {
            ...current.secrets,
            ha1Md5: ha1Md5(current.number, tenant.sipDomain, password),
            ha1Sha256: ha1Sha256(current.number, tenant.sipDomain, password),
          },
          updatedAt: now,
        };
        await extensionRepository.update(trx, extension);
        return { extension: toExtensionView(extension), password };
      });
    },
  };
}
