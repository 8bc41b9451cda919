import { isDomainError } from '../domain/index.js';
import { openStore, type Services } from '../services/index.js';
import type { Config } from '../config/index.js';

/**
 * Opens the store the configuration names, runs `fn` with the services and closes the store again. Only a store
 * Centrala initialised is opened: a data dir or database `centrala start` never ran on is refused, and nothing is
 * created (a mistyped --data-dir must not leave an empty database behind). The CLI works on the store directly, never through the HTTP API: SQLite in WAL mode lets it share the file with a
 * running server (each change is one transaction, readers never block the writer), and PostgreSQL is shared
 * by design.
 */
export async function withServices<T>(config: Config, fn: (services: Services) => Promise<T>): Promise<T> {
  const opened = await openStore(config, { create: false });
  try {
    return await fn(opened.services);
  } finally {
    await opened.close();
  }
}

/** True when the tenant has an extension with this number or id. */
export async function extensionExists(services: Services, tenantId: string, ref: string): Promise<boolean> {
  try {
    await services.extensions.find(tenantId, ref);
    return true;
  } catch (err) {
    if (isDomainError(err, 'EXTENSION_NOT_FOUND')) return false;
    throw err;
  }
}
