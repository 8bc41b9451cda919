import { UNAVAILABLE_FEATURES, type Feature } from '../domain/index.js';
import { SystemClock, silentLogger, type Clock, type Logger } from '../lib/index.js';
import { createDeviceService } from './device-service.js';
import { migrateToLatest, openDatabase, type Db, type PoolSettings } from '../store/index.js';
import { createAuthService } from './auth-service.js';
import { createCallHistoryService } from './call-history-service.js';
import { createExtensionDirectory } from './extension-directory.js';
import { createExtensionService } from './extension-service.js';
import { createIdempotencyService } from './idempotency-service.js';
import { createLedgerService } from './ledger-service.js';
import { createLiveCallService } from './live-call-service.js';
import { createNumberService } from './number-service.js';
import { createPriceListService } from './price-list-service.js';
import { createQuoteService } from './quote-service.js';
import { createSecurityBlockService } from './security-block-service.js';
import type { ServiceContext } from './service-context.js';
import type { Services } from './services.js';
import { createTenantService } from './tenant-service.js';

/** Default time a quote may be confirmed: 15 minutes. */
export const DEFAULT_QUOTE_TTL_MS = 15 * 60_000;

/** Default length of a panel session: 12 hours. */
export const DEFAULT_SESSION_TTL_MS = 12 * 3_600_000;

/** Options of {@link createServices}. */
export interface ServicesOptions {
  /** Time source (quotes expire, sessions expire, proration uses the date). Default: system clock. */
  clock?: Clock;
  logger?: Logger;
  /** How long a quote may be confirmed. Default 15 minutes. */
  quoteTtlMs?: number;
  /** How long a panel session lasts. Default 12 hours. */
  sessionTtlMs?: number;
  /**
   * Features refused as not built yet. Default: the domain's UNAVAILABLE_FEATURES; tests of what a feature's
   * settings do once it is built pass an empty set.
   */
  unavailableFeatures?: ReadonlySet<Feature>;
}

/** Options of {@link openServices}: where the store is, plus {@link ServicesOptions}. */
export interface OpenServicesOptions extends ServicesOptions {
  /** PostgreSQL URL; otherwise SQLite in `dataDir`. */
  url?: string;
  dataDir: string;
  /** Create the store when it does not exist (the server); false refuses one Centrala never initialised (the CLI). */
  create?: boolean;
  /** PostgreSQL connection pool settings. */
  pool?: PoolSettings;
}

/** Services over an opened and migrated store; `close()` closes the store. */
export interface OpenedServices {
  readonly services: Services;
  readonly db: Db;
  close(): Promise<void>;
}

/** Builds every use case over an open, migrated store. */
export function createServices(db: Db, options: ServicesOptions = {}): Services {
  const ctx: ServiceContext = {
    db,
    clock: options.clock ?? new SystemClock(),
    logger: (options.logger ?? silentLogger()).child({ module: 'services' }),
    quoteTtlMs: options.quoteTtlMs ?? DEFAULT_QUOTE_TTL_MS,
    sessionTtlMs: options.sessionTtlMs ?? DEFAULT_SESSION_TTL_MS,
    unavailableFeatures: options.unavailableFeatures ?? UNAVAILABLE_FEATURES,
  };
  return {
    tenants: createTenantService(ctx),
    numbers: createNumberService(ctx),
    extensions: createExtensionService(ctx),
    quotes: createQuoteService(ctx),
    ledger: createLedgerService(ctx),
    priceList: createPriceListService(ctx),
    auth: createAuthService(ctx),
    directory: createExtensionDirectory(ctx),
    devices: createDeviceService(db, ctx.clock),
    calls: createCallHistoryService(ctx),
    liveCalls: createLiveCallService(ctx),
    idempotency: createIdempotencyService(ctx),
    securityBlocks: createSecurityBlockService(ctx),
  };
}

/** Opens the store, migrates it to the latest version and builds the services (used by main and the CLI). */
export async function openServices(options: OpenServicesOptions): Promise<OpenedServices> {
  const db = await openDatabase({
    url: options.url,
    dataDir: options.dataDir,
    create: options.create ?? true,
    ...(options.pool ? { pool: options.pool } : {}),
    ...(options.logger ? { logger: options.logger.child({ module: 'store' }) } : {}),
  });
  try {
    await migrateToLatest(db);
  } catch (err) {
    await db.close();
    throw err;
  }
  const services = createServices(db, options);
  return { services, db, close: () => db.close() };
}
