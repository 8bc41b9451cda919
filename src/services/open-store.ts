import { StoreNotInitialisedError } from '../store/index.js';
import { openServices, type OpenedServices, type ServicesOptions } from './create-services.js';

/** Where the store is, as the settings name it (`--database-url`, else SQLite in `--data-dir`). */
export interface StoreLocation {
  readonly databaseUrl: string | undefined;
  readonly dataDir: string;
  /** PostgreSQL pool settings (`--database-pool-size` …); each left out keeps its default. */
  readonly databasePoolSize?: number;
  readonly databaseAcquireTimeout?: number;
  readonly databaseStatementTimeout?: number | undefined;
  readonly databaseApplicationName?: string;
}

/** Options of {@link openStore}. */
export interface OpenStoreOptions extends ServicesOptions {
  /** Create the store when there is none (`centrala start`); otherwise (every CLI command) refuse it, creating nothing. */
  readonly create?: boolean;
}

/**
 * Opens (and migrates) the store the settings name and builds the services over it; used by the server and by every
 * CLI command. Failure is one line naming the store (`--data-dir …` / `--database-url …`, password hidden).
 */
export async function openStore(location: StoreLocation, options: OpenStoreOptions = {}): Promise<OpenedServices> {
  const pool = {
    size: location.databasePoolSize,
    acquireTimeoutMs: location.databaseAcquireTimeout,
    statementTimeoutMs: location.databaseStatementTimeout ?? null,
    applicationName: location.databaseApplicationName,
  };
  return openServices({ url: location.databaseUrl, dataDir: location.dataDir, pool, ...options }).catch((err: unknown) => {
    throw storeError(location, err);
  });
}

/** A store that cannot be opened, as one line naming where it is (the URL's password left out). */
function storeError(location: StoreLocation, err: unknown): Error {
  const url = location.databaseUrl === undefined ? undefined : redactedUrl(location.databaseUrl);
  if (err instanceof StoreNotInitialisedError) {
    const where = url === undefined ? `in ${location.dataDir}` : `at ${url}`;
    const flag = url === undefined ? `--data-dir ${location.dataDir}` : `--database-url ${url}`;
    return new Error(`no Centrala database ${where} (looked for ${err.lookedFor}); start the server once with ${flag} to create it`);
  }
  const where = url === undefined ? `--data-dir ${location.dataDir}` : `--database-url ${url}`;
  const reason = err instanceof Error ? err.message.split('\n')[0] : String(err);
  return new Error(`cannot open the store at ${where}: ${reason}`);
}

/** A PostgreSQL URL with its password replaced by `***`. */
function redactedUrl(databaseUrl: string): string {
  const url = new URL(databaseUrl);
  if (url.password !== '') url.password = '***';
  return url.toString();
}
