import type { Clock } from '../lib/index.js';
import { createRegistrationRepository, type Db } from '../store/index.js';
import { requireExtension } from './not-found.js';

/** One registered device (SIP binding) of an extension, as the panel's device list shows it (SPEC 2.7). */
export interface DeviceView {
  /** Binding id. */
  readonly id: string;
  /** Contact URI the device registered. */
  readonly contact: string;
  /** User-Agent of its REGISTER, or null. */
  readonly userAgent: string | null;
  /** Address and port its REGISTER came from (after NAT). */
  readonly sourceAddress: string;
  readonly sourcePort: number;
  /** udp, tcp, tls, ws or wss. */
  readonly transport: string;
  /** ISO time the registration expires, and the seconds left. */
  readonly expiresAt: string;
  readonly expiresInSeconds: number;
  /** ISO time of the first and the last REGISTER. */
  readonly registeredAt: string;
  readonly refreshedAt: string;
  /** `+sip.instance` of the device, or null. */
  readonly instanceId: string | null;
  readonly q: number;
}

/** The devices (registrations) of an extension, read from the store the registrar writes through to. */
export interface DeviceService {
  /** Live devices of the extension, last refreshed first. Throws EXTENSION_NOT_FOUND. */
  list(tenantId: string, extensionId: string): Promise<{ items: DeviceView[] }>;
}

/** Creates the device service over an open, migrated store. */
export function createDeviceService(db: Db, clock: Clock): DeviceService {
  const registrations = createRegistrationRepository(db);
  return {
    async list(tenantId, extensionId) {
      await requireExtension(db.kysely, tenantId, extensionId);
      const now = clock.now();
      const rows = await registrations.listByExtension(tenantId, extensionId, now);
      return {
        items: rows.map((r) => ({
          id: r.id,
          contact: r.contactUri,
          userAgent: r.userAgent ?? null,
          sourceAddress: r.sourceAddress,
          sourcePort: r.sourcePort,
          transport: r.sourceTransport,
          expiresAt: new Date(r.expiresAt).toISOString(),
          expiresInSeconds: Math.max(0, Math.round((r.expiresAt - now) / 1000)),
          registeredAt: new Date(r.createdAt).toISOString(),
          refreshedAt: new Date(r.updatedAt).toISOString(),
          instanceId: r.instanceId ?? null,
          q: r.q,
        })),
      };
    },
  };
}
