import type { Money } from './money.js';

/** Panel and announcement language of a tenant. */
export type Language = 'pl' | 'en';

/** The languages a tenant may choose. */
export const LANGUAGES: readonly Language[] = ['pl', 'en'];

/** A customer company: its own SIP realm, numbers and extensions, isolated from every other tenant. */
export interface Tenant {
  readonly id: string;
  /** Company name, 1–100 characters. */
  readonly name: string;
  /** SIP domain = digest realm, lower-case DNS name (or IPv4 literal), unique on the platform. */
  readonly sipDomain: string;
  /** ISO 3166-1 alpha-2 country used to normalise national numbers (default PL). */
  readonly country: string;
  /** E.164 main number, always one of the tenant's numbers; null while the tenant has none. */
  readonly mainNumber: string | null;
  /** Per-minute rate cap for extensions whose own maxRate is null. */
  readonly defaultMaxRate: Money;
  readonly language: Language;
  readonly createdAt: Date;
  readonly updatedAt: Date;
}

/** Input of tenant creation; omitted fields take the defaults of {@link TENANT_DEFAULTS}. */
export interface TenantCreateInput {
  name: string;
  sipDomain: string;
  country?: string;
  defaultMaxRate?: Money;
  language?: Language;
}

/** A partial tenant change. `mainNumber` must be a number the tenant owns. */
export interface TenantPatch {
  name?: string;
  sipDomain?: string;
  country?: string;
  mainNumber?: string;
  defaultMaxRate?: Money;
  language?: Language;
}

/** Defaults of a new tenant: Poland, Polish, a cap of 1.00 PLN per minute. */
export const TENANT_DEFAULTS = {
  country: 'PL',
  language: 'pl',
  defaultMaxRate: { amountMinor: 100, currency: 'PLN' },
} as const satisfies { country: string; language: Language; defaultMaxRate: Money };
