import type { ExtensionView, Tenant } from '../domain/index.js';
import type { Services } from '../services/index.js';
import { openStore } from '../main.js';
import type { Config } from '../config/index.js';

/**
 * Opens the store the configuration names, runs `fn` with the services and closes the store again. The CLI
 * works on the store directly, never through the HTTP API: SQLite in WAL mode lets it share the file with a
 * running server (each change is one transaction, readers never block the writer), and PostgreSQL is shared
 * by design.
 */
export async function withServices<T>(config: Config, fn: (services: Services) => Promise<T>): Promise<T> {
  const opened = await openStore(config);
  try {
    return await fn(opened.services);
  } finally {
    await opened.close();
  }
}

/** A tenant by id or by SIP domain (case-insensitive). Throws TENANT_NOT_FOUND. */
export async function findTenant(services: Services, ref: string): Promise<Tenant> {
  return services.tenants.find(ref);
}

/** An extension by number (all digits) or by id. Throws EXTENSION_NOT_FOUND. */
export async function findExtension(services: Services, tenantId: string, ref: string): Promise<ExtensionView> {
  return services.extensions.find(tenantId, ref);
}
