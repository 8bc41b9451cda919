import {
  DomainError,
  domainError,
  hashSecret,
  validEmail,
  verifySecret,
  wrongTypeMessage,
  type Admin,
  type ApiToken,
  type Principal,
} from '../domain/index.js';
import { FailureTracker, randomToken, uuid, type FailureLimit } from '../lib/index.js';
import { authRepository, isUniqueViolation, type Executor } from '../store/index.js';
import { tokenHash } from './canonical-hash.js';
import { requireTenant } from './not-found.js';
import { inTransaction, nowOf, type ServiceContext } from './service-context.js';
import type { AuthService, CreatedToken } from './services.js';

/** Prefixes of API tokens, so that leaked tokens are recognisable by secret scanners. */
export const TOKEN_PREFIXES = { operator: 'cop_', tenant: 'ctt_' } as const;

function invalidCredentials(): DomainError {
  return domainError('INVALID_CREDENTIALS');
}

/** Realm under which panel logins are counted by the failure tracker. */
const PANEL_REALM = 'panel';

/** Per client address: 10 failed logins within 5 minutes block the address for 5 minutes (doubling on repeat). */
export const LOGIN_SOURCE_LIMIT: FailureLimit = { maxFailures: 10, windowMs: 300_000, blockMs: 300_000 };
/** Per e-mail, from any addresses: 20 failures within 15 minutes block it for 15 minutes, except where it logged in. */
export const LOGIN_ACCOUNT_LIMIT: FailureLimit = { maxFailures: 20, windowMs: 900_000, blockMs: 900_000 };

function loginBlocked(until: number, now: number): DomainError {
  const seconds = Math.max(1, Math.ceil((until - now) / 1000));
  return new DomainError(
    'LOGIN_BLOCKED',
    {
      pl: `Zbyt wiele nieudanych logowań. Spróbuj ponownie za ${seconds} s.`,
      en: `Too many failed logins. Try again in ${seconds} s.`,
    },
    { details: { retryAfterSeconds: seconds } },
  );
}

/** Admin e-mails are unique case-insensitively: stored and looked up in lower case. */
function adminEmail(value: unknown): string | undefined {
  return validEmail(value)?.toLowerCase();
}

/** Longest label of an API token. */
const MAX_TOKEN_LABEL = 100;

/** A token's label as given (API body or CLI): a string of 1–100 characters, or a clear VALUE_INVALID naming `label`. */
function tokenLabel(label: unknown): string {
  if (typeof label !== 'string') throw new DomainError('VALUE_INVALID', wrongTypeMessage('label', ['string'], label), { field: 'label' });
  const trimmed = label.trim();
  if (trimmed.length === 0 || trimmed.length > MAX_TOKEN_LABEL) {
    throw new DomainError(
      'VALUE_INVALID',
      { pl: `label: od 1 do ${MAX_TOKEN_LABEL} znaków.`, en: `label: must be 1–${MAX_TOKEN_LABEL} characters.` },
      { field: 'label' },
    );
  }
  return trimmed;
}

async function newToken(db: Executor, kind: 'operator' | 'tenant', tenantId: string | null, label: string, now: Date): Promise<CreatedToken> {
  const token = `${TOKEN_PREFIXES[kind]}${randomToken(32)}`;
  const record: ApiToken = { id: uuid(), kind, tenantId, label, createdAt: now };
  await authRepository.insertToken(db, record, tokenHash(token));
  return { token, record };
}

/** Builds the authentication use cases. */
export function createAuthService(ctx: ServiceContext): AuthService {
  // Login with an unknown e-mail still runs one scrypt verification, so timing does not reveal which e-mails exist.
  let dummyHash: Promise<string> | undefined;
  const dummy = (): Promise<string> => (dummyHash ??= hashSecret(randomToken(16)));
  // Failed logins of this process (blocks are not kept across a restart).
  const failures = new FailureTracker({ clock: ctx.clock, perSource: LOGIN_SOURCE_LIMIT, perExtension: LOGIN_ACCOUNT_LIMIT, logger: ctx.logger });

  return {
    async bootstrapOperatorToken() {
      return inTransaction(ctx, async (trx) => {
        if (await authRepository.hasOperatorToken(trx)) return undefined;
        const created = await newToken(trx, 'operator', null, 'bootstrap', nowOf(ctx));
        ctx.logger.info({ tokenId: created.record.id }, 'bootstrap operator token created');
        return created.token;
      });
    },

    async createOperatorToken(label = 'operator') {
      return newToken(ctx.db.kysely, 'operator', null, tokenLabel(label), nowOf(ctx));
    },

    async createTenantToken(tenantId, label = 'api') {
      return inTransaction(ctx, async (trx) => {
        await requireTenant(trx, tenantId);
        return newToken(trx, 'tenant', tenantId, tokenLabel(label), nowOf(ctx));
      });
    },

    async revokeToken(tokenId) {
      await authRepository.revokeToken(ctx.db.kysely, tokenId, nowOf(ctx));
    },

    async listTokens() {
      const stored = await authRepository.listTokens(ctx.db.kysely);
      return stored.map(({ record, revokedAt }) => ({ ...record, revokedAt }));
    },

    async verifyToken(token): Promise<Principal | undefined> {
      if (typeof token !== 'string' || token.length < 8 || token.length > 200) return undefined;
      const stored = await authRepository.findTokenByHash(ctx.db.kysely, tokenHash(token));
      if (!stored || stored.revoked) return undefined;
      if (stored.record.kind === 'operator') return { kind: 'operator' };
      return stored.record.tenantId === null ? undefined : { kind: 'tenant', tenantId: stored.record.tenantId };
    },

    async createAdmin(tenantId, input): Promise<Admin> {
      const email = adminEmail(input?.email);
      if (email === undefined) {
        throw domainError('EMAIL_INVALID', { field: 'email' });
      }
      const password = input.password;
      if (typeof password !== 'string' || password.length < 12 || password.length > 256 || !/\p{L}/u.test(password) || !/\d/.test(password)) {
        throw domainError('ADMIN_PASSWORD_WEAK', { field: 'password' });
      }
      const passwordHash = await hashSecret(password);
      return inTransaction(ctx, async (trx) => {
        await requireTenant(trx, tenantId);
        const admin: Admin = { id: uuid(), tenantId, email, createdAt: nowOf(ctx) };
        const taken = domainError('ADMIN_EMAIL_TAKEN', { field: 'email' });
        if (await authRepository.findAdminByEmail(trx, email)) throw taken;
        try {
          await authRepository.insertAdmin(trx, { admin, passwordHash });
        } catch (err) {
          if (isUniqueViolation(err)) throw taken;
          throw err;
        }
        return admin;
      });
    },

    async login(emailInput, password, source = 'unknown') {
      const email = adminEmail(emailInput);
      // Counted under what was typed (lower-cased), so a malformed or unknown e-mail is counted like a real one.
      const account = email ?? String(emailInput).toLowerCase().slice(0, 320);
      const block = failures.blocked(source, PANEL_REALM, account);
      if (block) throw loginBlocked(block.until, ctx.clock.now());
      const stored = email === undefined ? undefined : await authRepository.findAdminByEmail(ctx.db.kysely, email);
      const secret = typeof password === 'string' ? password : '';
      const ok = await verifySecret(secret, stored?.passwordHash ?? (await dummy()));
      if (!stored || !ok) {
        failures.recordFailure(source, PANEL_REALM, account);
        throw invalidCredentials();
      }
      failures.recordSuccess(source, PANEL_REALM, account);
      const now = nowOf(ctx);
      const id = randomToken(32);
      const session = {
        adminId: stored.admin.id,
        tenantId: stored.admin.tenantId,
        csrfToken: randomToken(24),
        expiresAt: new Date(now.getTime() + ctx.sessionTtlMs),
      };
      await inTransaction(ctx, async (trx) => {
        await authRepository.deleteExpiredSessions(trx, now);
        await authRepository.insertSession(trx, tokenHash(id), session, now);
      });
      return { id, ...session };
    },

    async verifySession(sessionId) {
      if (typeof sessionId !== 'string' || sessionId.length === 0 || sessionId.length > 200) return undefined;
      const stored = await authRepository.findSession(ctx.db.kysely, tokenHash(sessionId));
      if (!stored) return undefined;
      if (stored.expiresAt.getTime() <= ctx.clock.now()) {
        await authRepository.deleteSession(ctx.db.kysely, tokenHash(sessionId));
        return undefined;
      }
      return { id: sessionId, ...stored };
    },

    async logout(sessionId) {
      if (typeof sessionId !== 'string') return;
      await authRepository.deleteSession(ctx.db.kysely, tokenHash(sessionId));
    },
  };
}
