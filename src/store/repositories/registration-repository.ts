import type { Kysely, Selectable } from 'kysely';
import { isBindingTransport, type BindingRecord, type BindingTransport } from '../../domain/index.js';
import type { Db } from '../database.js';

/** Table `registrations` (migration 0002): one SIP binding per row; times in epoch ms. */
export interface RegistrationsTable {
  id: string;
  tenant_id: string;
  extension_id: string;
  aor: string;
  contact_uri: string;
  /** bigint: PostgreSQL returns it as a string, SQLite as a number. */
  expires_at: number | string;
  q: number;
  call_id: string;
  cseq: number | string;
  instance_id: string | null;
  reg_id: number | null;
  /** JSON array of Path header values. */
  path: string;
  user_agent: string | null;
  source_transport: string;
  source_address: string;
  source_port: number;
  connection_id: string | null;
  created_at: number | string;
  updated_at: number | string;
}

/** A row of `registrations`. */
export type RegistrationRow = Selectable<RegistrationsTable>;

/** Transport of a registration's flow. */
export type RegistrationTransport = BindingTransport;

/** One stored registration: the domain's binding, which the PBX's registrar keeps through its LocationStore port. */
export type RegistrationRecord = BindingRecord;

function parsePath(text: string): string[] {
  try {
    const v: unknown = JSON.parse(text);
    return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
  } catch {
    return [];
  }
}

/** Maps a row to a record (the only place that does). */
export function registrationRowToRecord(row: RegistrationRow): RegistrationRecord {
  return {
    id: row.id,
    tenantId: row.tenant_id,
    extensionId: row.extension_id,
    aor: row.aor,
    contactUri: row.contact_uri,
    expiresAt: Number(row.expires_at),
    q: Number(row.q),
    callId: row.call_id,
    cseq: Number(row.cseq),
    instanceId: row.instance_id ?? undefined,
    regId: row.reg_id ?? undefined,
    path: parsePath(row.path),
    userAgent: row.user_agent ?? undefined,
    sourceTransport: isBindingTransport(row.source_transport) ? row.source_transport : 'udp',
    sourceAddress: row.source_address,
    sourcePort: row.source_port,
    connectionId: row.connection_id ?? undefined,
    createdAt: Number(row.created_at),
    updatedAt: Number(row.updated_at),
  };
}

function recordToRow(r: RegistrationRecord): RegistrationRow {
  return {
    id: r.id,
    tenant_id: r.tenantId,
    extension_id: r.extensionId,
    aor: r.aor,
    contact_uri: r.contactUri,
    expires_at: r.expiresAt,
    q: r.q,
    call_id: r.callId,
    cseq: r.cseq,
    instance_id: r.instanceId ?? null,
    reg_id: r.regId ?? null,
    path: JSON.stringify(r.path),
    user_agent: r.userAgent ?? null,
    source_transport: r.sourceTransport,
    source_address: r.sourceAddress,
    source_port: r.sourcePort,
    connection_id: r.connectionId ?? null,
    created_at: r.createdAt,
    updated_at: r.updatedAt,
  };
}

/** Registrations persistence; implements the PBX's LocationStore port plus the device list query. */
export interface RegistrationRepository {
  /** Every registration with `expiresAt > now`. */
  loadActive(now: number): Promise<RegistrationRecord[]>;
  /** Atomically replaces every registration of `aor` (one transaction). */
  replaceAor(aor: string, records: readonly RegistrationRecord[]): Promise<void>;
  /** Deletes registrations with `expiresAt <= now`; returns how many. */
  deleteExpired(now: number): Promise<number>;
  /** Live registrations of one extension, newest first. */
  listByExtension(tenantId: string, extensionId: string, now: number): Promise<RegistrationRecord[]>;
  /** True when `sipDomain` is a tenant's SIP domain (case-insensitive). */
  hasSipDomain(sipDomain: string): Promise<boolean>;
}

type RegistrationDb = Kysely<{ registrations: RegistrationsTable; tenants: { id: string; sip_domain: string } }>;

/** Creates the repository over an open, migrated store. */
export function createRegistrationRepository(db: Db): RegistrationRepository {
  const k = db.kysely.withTables<{ registrations: RegistrationsTable }>() as unknown as RegistrationDb;
  return {
    async loadActive(now) {
      const rows = await k.selectFrom('registrations').selectAll().where('expires_at', '>', now).execute();
      return rows.map(registrationRowToRecord);
    },
    async replaceAor(aor, records) {
      await k.transaction().execute(async (tx) => {
        await tx.deleteFrom('registrations').where('aor', '=', aor).execute();
        if (records.length > 0) await tx.insertInto('registrations').values(records.map(recordToRow)).execute();
      });
    },
    async deleteExpired(now) {
      const result = await k.deleteFrom('registrations').where('expires_at', '<=', now).executeTakeFirst();
      return Number(result.numDeletedRows);
    },
    async listByExtension(tenantId, extensionId, now) {
      const rows = await k
        .selectFrom('registrations')
        .selectAll()
        .where('tenant_id', '=', tenantId)
        .where('extension_id', '=', extensionId)
        .where('expires_at', '>', now)
        .orderBy('updated_at', 'desc')
        .execute();
      return rows.map(registrationRowToRecord);
    },
    async hasSipDomain(sipDomain) {
      const row = await k
        .selectFrom('tenants')
        .select('id')
        .where('sip_domain', '=', sipDomain.toLowerCase())
        .executeTakeFirst();
      return row !== undefined;
    },
  };
}
