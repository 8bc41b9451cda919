import type { CallerId, Extension, ExtensionForwarding, InternalCallerId, InternationalLevel } from '../../domain/index.js';
import { fromDbBool, fromDbJson, fromDbTime, toDbBool, toDbTime, type Executor } from '../columns.js';
import type { ExtensionRow } from '../schema.js';

/** The one mapping of an `extensions` row to an {@link Extension}. */
export function extensionFromRow(row: ExtensionRow): Extension {
  return {
    id: row.id,
    tenantId: row.tenant_id,
    number: row.number,
    name: row.name,
    general: {
      callerId: fromDbJson<CallerId>(row.caller_id),
      internalCallerId: fromDbJson<InternalCallerId>(row.internal_caller_id),
      smsSender: row.sms_sender,
      ringTimeSeconds: row.ring_time_seconds,
      callWaiting: fromDbBool(row.call_waiting),
    },
    voicemail: {
      enabled: fromDbBool(row.voicemail_enabled),
      email: row.voicemail_email,
      greeting: row.voicemail_greeting === 'custom' ? 'custom' : 'system',
      greetingAppliesTo: { noAnswerOrUnavailable: fromDbBool(row.greeting_no_answer), busy: fromDbBool(row.greeting_busy) },
    },
    forwarding: fromDbJson<ExtensionForwarding>(row.forwarding),
    advanced: {
      encryption: fromDbBool(row.encryption),
      internationalLevel: row.international_level as InternationalLevel,
      allowPremium: fromDbBool(row.allow_premium),
      maxRateMinor: row.max_rate_minor,
      monitoring: fromDbBool(row.monitoring),
      fax: fromDbBool(row.fax),
    },
    secrets: {
      ha1Md5: row.ha1_md5,
      ha1Sha256: row.ha1_sha256,
      voicemailPinHash: row.voicemail_pin_hash,
      outgoingPinHash: row.outgoing_pin_hash,
    },
    createdAt: fromDbTime(row.created_at),
    updatedAt: fromDbTime(row.updated_at),
  };
}

/** The one mapping of an {@link Extension} to an `extensions` row. */
export function extensionToRow(ext: Extension): ExtensionRow {
  const { general, voicemail, forwarding, advanced, secrets } = ext;
  return {
    id: ext.id,
    tenant_id: ext.tenantId,
    number: ext.number,
    name: ext.name,
    ha1_md5: secrets.ha1Md5,
    ha1_sha256: secrets.ha1Sha256,
    caller_id: JSON.stringify(general.callerId),
    internal_caller_id: JSON.stringify(general.internalCallerId),
    sms_sender: general.smsSender,
    ring_time_seconds: general.ringTimeSeconds,
    call_waiting: toDbBool(general.callWaiting),
    voicemail_enabled: toDbBool(voicemail.enabled),
    voicemail_pin_hash: secrets.voicemailPinHash,
    voicemail_email: voicemail.email,
    voicemail_greeting: voicemail.greeting,
    greeting_no_answer: toDbBool(voicemail.greetingAppliesTo.noAnswerOrUnavailable),
    greeting_busy: toDbBool(voicemail.greetingAppliesTo.busy),
    forwarding: JSON.stringify({
      noAnswer: forwarding.noAnswer,
      busy: forwarding.busy,
      unavailable: forwarding.unavailable,
      returnAfterSeconds: forwarding.returnAfterSeconds,
      confirmExternal: forwarding.confirmExternal,
    }),
    encryption: toDbBool(advanced.encryption),
    international_level: advanced.internationalLevel,
    allow_premium: toDbBool(advanced.allowPremium),
    max_rate_minor: advanced.maxRateMinor,
    outgoing_pin_hash: secrets.outgoingPinHash,
    monitoring: toDbBool(advanced.monitoring),
    fax: toDbBool(advanced.fax),
    created_at: toDbTime(ext.createdAt),
    updated_at: toDbTime(ext.updatedAt),
  };
}

/** The digest credentials of one extension, found by realm and user name. */
export interface ExtensionAuthRow {
  readonly tenantId: string;
  readonly extensionId: string;
  readonly ha1Md5: string;
  readonly ha1Sha256: string;
}

/** Extensions table access; every query is scoped by tenant. */
export const extensionRepository = {
  /** Inserts an extension (unique violation when the number is taken in the tenant). */
  async insert(db: Executor, ext: Extension): Promise<void> {
    await db.insertInto('extensions').values(extensionToRow(ext)).execute();
  },

  /** Replaces every column of an existing extension. */
  async update(db: Executor, ext: Extension): Promise<void> {
    const { id, tenant_id, ...row } = extensionToRow(ext);
    await db.updateTable('extensions').set(row).where('id', '=', id).where('tenant_id', '=', tenant_id).execute();
  },

  /** Deletes an extension of the tenant. */
  async delete(db: Executor, tenantId: string, id: string): Promise<void> {
    await db.deleteFrom('extensions').where('id', '=', id).where('tenant_id', '=', tenantId).execute();
  },

  /** The tenant's extension with this id, or undefined. */
  async findById(db: Executor, tenantId: string, id: string): Promise<Extension | undefined> {
    const row = await db.selectFrom('extensions').selectAll().where('tenant_id', '=', tenantId).where('id', '=', id).executeTakeFirst();
    return row && extensionFromRow(row);
  },

  /** The tenant's extension with this number, or undefined. */
  async findByNumber(db: Executor, tenantId: string, number: string): Promise<Extension | undefined> {
    const row = await db
      .selectFrom('extensions')
      .selectAll()
      .where('tenant_id', '=', tenantId)
      .where('number', '=', number)
      .executeTakeFirst();
    return row && extensionFromRow(row);
  },

  /** Up to `limit` extensions of the tenant ordered by number (as text), after the number `after`. */
  async list(db: Executor, tenantId: string, limit: number, after: string | undefined): Promise<Extension[]> {
    let query = db.selectFrom('extensions').selectAll().where('tenant_id', '=', tenantId).orderBy('number').limit(limit);
    if (after !== undefined) query = query.where('number', '>', after);
    return (await query.execute()).map(extensionFromRow);
  },

  /** Every extension of the tenant (for whole-tenant rules: forwarding references, number usage). */
  async listAll(db: Executor, tenantId: string): Promise<Extension[]> {
    const rows = await db.selectFrom('extensions').selectAll().where('tenant_id', '=', tenantId).orderBy('number').execute();
    return rows.map(extensionFromRow);
  },

  /** How many extensions the tenant has. */
  async count(db: Executor, tenantId: string): Promise<number> {
    const row = await db
      .selectFrom('extensions')
      .select((eb) => eb.fn.countAll<number | string>().as('n'))
      .where('tenant_id', '=', tenantId)
      .executeTakeFirst();
    return Number(row?.n ?? 0);
  },

  /** Digest credentials of `<number>@<sipDomain>`, or undefined. */
  async findAuth(db: Executor, sipDomain: string, number: string): Promise<ExtensionAuthRow | undefined> {
    const row = await db
      .selectFrom('extensions')
      .innerJoin('tenants', 'tenants.id', 'extensions.tenant_id')
      .select(['extensions.tenant_id', 'extensions.id', 'extensions.ha1_md5', 'extensions.ha1_sha256'])
      .where('tenants.sip_domain', '=', sipDomain)
      .where('extensions.number', '=', number)
      .executeTakeFirst();
    return row && { tenantId: row.tenant_id, extensionId: row.id, ha1Md5: row.ha1_md5, ha1Sha256: row.ha1_sha256 };
  },
};
