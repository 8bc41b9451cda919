import type { Admin, ApiToken } from '../../domain/index.js';
import { fromDbTime, toDbTime, type Executor } from '../columns.js';
import type { AdminRow, ApiTokenRow, SessionRow } from '../schema.js';

/** A stored API token: its public record and whether (and when) it was revoked. */
export interface StoredToken {
  readonly record: ApiToken;
  readonly revoked: boolean;
  readonly revokedAt: Date | null;
}

/** The one mapping of an `api_tokens` row to a {@link StoredToken}. */
export function tokenFromRow(row: ApiTokenRow): StoredToken {
  return {
    record: {
      id: row.id,
      kind: row.kind === 'operator' ? 'operator' : 'tenant',
      tenantId: row.tenant_id,
      label: row.label,
      createdAt: fromDbTime(row.created_at),
    },
    revoked: row.revoked_at !== null,
    revokedAt: row.revoked_at === null ? null : fromDbTime(row.revoked_at),
  };
}

/** The one mapping of a new token to an `api_tokens` row (only the SHA-256 of the token is stored). */
export function tokenToRow(record: ApiToken, tokenHash: string): ApiTokenRow {
  return {
    id: record.id,
    token_hash: tokenHash,
    kind: record.kind,
    tenant_id: record.tenantId,
    label: record.label,
    created_at: toDbTime(record.createdAt),
    revoked_at: null,
  };
}

/** An admin with the scrypt hash of their password. */
export interface StoredAdmin {
  readonly admin: Admin;
  readonly passwordHash: string;
}

/** The one mapping of an `admins` row to a {@link StoredAdmin}. */
export function adminFromRow(row: AdminRow): StoredAdmin {
  return {
    admin: { id: row.id, tenantId: row.tenant_id, email: row.email, createdAt: fromDbTime(row.created_at) },
    passwordHash: row.password_hash,
  };
}

/** The one mapping of a {@link StoredAdmin} to an `admins` row. */
export function adminToRow({ admin, passwordHash }: StoredAdmin): AdminRow {
  return { id: admin.id, tenant_id: admin.tenantId, email: admin.email, password_hash: passwordHash, created_at: toDbTime(admin.createdAt) };
}

/** A stored panel session (keyed by the SHA-256 of its id), with its admin's tenant. */
export interface StoredSession {
  readonly adminId: string;
  readonly tenantId: string;
  readonly csrfToken: string;
  readonly expiresAt: Date;
}

/** API tokens, admins and sessions table access. */
export const authRepository = {
  /** Stores a token by its hash. */
  async insertToken(db: Executor, record: ApiToken, tokenHash: string): Promise<void> {
    await db.insertInto('api_tokens').values(tokenToRow(record, tokenHash)).execute();
  },

  /** The token with this hash, or undefined. */
  async findTokenByHash(db: Executor, tokenHash: string): Promise<StoredToken | undefined> {
    const row = await db.selectFrom('api_tokens').selectAll().where('token_hash', '=', tokenHash).executeTakeFirst();
    return row && tokenFromRow(row);
  },

  /** Every token (revoked ones too), oldest first; the hashes are not read. */
  async listTokens(db: Executor): Promise<StoredToken[]> {
    const rows = await db.selectFrom('api_tokens').selectAll().orderBy('created_at').orderBy('id').execute();
    return rows.map(tokenFromRow);
  },

  /** True when an operator token (revoked or not) was ever created. */
  async hasOperatorToken(db: Executor): Promise<boolean> {
    const row = await db.selectFrom('api_tokens').select('id').where('kind', '=', 'operator').limit(1).executeTakeFirst();
    return row !== undefined;
  },

  /** Marks a token revoked (no-op when unknown or already revoked). */
  async revokeToken(db: Executor, id: string, at: Date): Promise<void> {
    await db.updateTable('api_tokens').set({ revoked_at: toDbTime(at) }).where('id', '=', id).where('revoked_at', 'is', null).execute();
  },

  /** Stores an admin (unique violation on a taken e-mail). */
  async insertAdmin(db: Executor, stored: StoredAdmin): Promise<void> {
    await db.insertInto('admins').values(adminToRow(stored)).execute();
  },

  /** The admin with this (normalised) e-mail, or undefined. */
  async findAdminByEmail(db: Executor, email: string): Promise<StoredAdmin | undefined> {
    const row = await db.selectFrom('admins').selectAll().where('email', '=', email).executeTakeFirst();
    return row && adminFromRow(row);
  },

  /** Stores a session by the hash of its id. */
  async insertSession(db: Executor, idHash: string, session: StoredSession, createdAt: Date): Promise<void> {
    const row: SessionRow = {
      id_hash: idHash,
      admin_id: session.adminId,
      csrf_token: session.csrfToken,
      created_at: toDbTime(createdAt),
      expires_at: toDbTime(session.expiresAt),
    };
    await db.insertInto('sessions').values(row).execute();
  },

  /** The session with this id hash joined with its admin's tenant, or undefined. */
  async findSession(db: Executor, idHash: string): Promise<StoredSession | undefined> {
    const row = await db
      .selectFrom('sessions')
      .innerJoin('admins', 'admins.id', 'sessions.admin_id')
      .select(['sessions.admin_id', 'admins.tenant_id', 'sessions.csrf_token', 'sessions.expires_at'])
      .where('sessions.id_hash', '=', idHash)
      .executeTakeFirst();
    return row && { adminId: row.admin_id, tenantId: row.tenant_id, csrfToken: row.csrf_token, expiresAt: fromDbTime(row.expires_at) };
  },

  /** Deletes a session. */
  async deleteSession(db: Executor, idHash: string): Promise<void> {
    await db.deleteFrom('sessions').where('id_hash', '=', idHash).execute();
  },

  /** Deletes every session that expired before `now`. */
  async deleteExpiredSessions(db: Executor, now: Date): Promise<void> {
    await db.deleteFrom('sessions').where('expires_at', '<', toDbTime(now)).execute();
  },
};
