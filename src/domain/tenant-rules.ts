import { DomainError } from './domain-error.js';
import { boundedInteger, boundedText, validCurrency, validPhoneNumber } from './field-rules.js';
import type { Money } from './money.js';
import { isSupportedCountryCode } from './normalize-phone-number.js';
import { RuleIssues, isRecord } from './rule-issues.js';
import { LANGUAGES, TENANT_DEFAULTS, type Language, type Tenant, type TenantCreateInput, type TenantPatch } from './tenant.js';

/** The settable fields of a tenant after validation and normalisation. */
export type TenantFields = Pick<Tenant, 'name' | 'sipDomain' | 'country' | 'mainNumber' | 'defaultMaxRate' | 'language'>;

const LABEL = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/;
/** The shape of a tenant id: a SIP domain of this shape could be mistaken for another tenant's id in the API. */
const UUID_SHAPED = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;

/**
 * A SIP domain (realm) normalised to lower case: a DNS name of labels of 1–63 letters, digits and inner hyphens,
 * at most 253 characters, or an IPv4 address. Undefined when invalid, and for a name shaped like a tenant id (a
 * UUID), which the API could not tell from an id where it takes either.
 */
export function normalizeSipDomain(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const domain = value.trim().toLowerCase().replace(/\.$/, '');
  if (domain.length < 1 || domain.length > 253) return undefined;
  if (IPV4.test(domain)) return domain;
  if (UUID_SHAPED.test(domain)) return undefined;
  const labels = domain.split('.');
  if (!labels.every((l) => LABEL.test(l)) || /^\d+$/.test(labels[labels.length - 1] ?? '')) return undefined;
  return domain;
}

/** Validates a new tenant and fills defaults (PL, pl, 1.00 PLN/min); throws a DomainError listing every problem. */
export function resolveTenantCreate(input: TenantCreateInput): TenantFields {
  if (!isRecord(input)) throw new DomainError('VALUE_INVALID', { pl: 'Nieprawidłowe dane firmy.', en: 'Invalid tenant data.' });
  const issues = new RuleIssues();
  const fields = check(
    {
      name: input.name,
      sipDomain: input.sipDomain,
      country: input.country ?? TENANT_DEFAULTS.country,
      defaultMaxRate: input.defaultMaxRate ?? TENANT_DEFAULTS.defaultMaxRate,
      language: input.language ?? TENANT_DEFAULTS.language,
    },
    issues,
  );
  issues.throwIfAny();
  return { ...fields, mainNumber: null };
}

/**
 * Applies a tenant patch and validates the result; `ownedNumbers` are the tenant's numbers (E.164), of which
 * `mainNumber` must be one.
 */
export function resolveTenantPatch(current: Tenant, patch: TenantPatch, ownedNumbers: ReadonlySet<string>): TenantFields {
  if (!isRecord(patch)) throw new DomainError('VALUE_INVALID', { pl: 'Nieprawidłowe dane firmy.', en: 'Invalid tenant data.' });
  const issues = new RuleIssues();
  const fields = check(
    {
      name: patch.name ?? current.name,
      sipDomain: patch.sipDomain ?? current.sipDomain,
      country: patch.country ?? current.country,
      defaultMaxRate: patch.defaultMaxRate ?? current.defaultMaxRate,
      language: patch.language ?? current.language,
    },
    issues,
  );
  let mainNumber = current.mainNumber;
  if (patch.mainNumber !== undefined) {
    const e164 = validPhoneNumber(patch.mainNumber, fields.country);
    if (e164 === undefined || !ownedNumbers.has(e164)) {
      issues.add('MAIN_NUMBER_NOT_OWNED', 'mainNumber', 'Numer główny musi być jednym z numerów firmy.', "The main number must be one of the company's numbers.");
    } else {
      mainNumber = e164;
    }
  }
  issues.throwIfAny();
  return { ...fields, mainNumber };
}

function check(raw: Record<keyof Omit<TenantFields, 'mainNumber'>, unknown>, issues: RuleIssues): Omit<TenantFields, 'mainNumber'> {
  // A missing or wrongly typed field is named as such; a text breaking its rule gets the rule's code.
  const text = (field: keyof typeof raw): boolean => {
    if (raw[field] !== undefined) return issues.expectType(raw[field], field, ['string']);
    issues.missingField(field);
    return false;
  };
  const name = boundedText(raw.name, 1, 100);
  if (text('name') && name === undefined) {
    issues.add('TENANT_NAME_INVALID', 'name', 'Nazwa firmy musi mieć od 1 do 100 znaków.', 'Company name must be 1–100 characters.');
  }
  const sipDomain = normalizeSipDomain(raw.sipDomain);
  if (text('sipDomain') && sipDomain === undefined) {
    issues.add('SIP_DOMAIN_INVALID', 'sipDomain', 'Domena SIP musi być nazwą DNS lub adresem IPv4.', 'SIP domain must be a DNS name or an IPv4 address.');
  }
  const country = typeof raw.country === 'string' ? raw.country.trim().toUpperCase() : '';
  if (text('country') && !isSupportedCountryCode(country)) {
    issues.add('COUNTRY_INVALID', 'country', 'Kraj musi być dwuliterowym kodem ISO 3166 (np. PL).', 'Country must be an ISO 3166 alpha-2 code (e.g. PL).');
  }
  const language = LANGUAGES.find((l) => l === raw.language);
  if (text('language') && language === undefined) issues.add('LANGUAGE_INVALID', 'language', 'Język: pl lub en.', 'Language must be pl or en.');
  return {
    name: name ?? '',
    sipDomain: sipDomain ?? '',
    country,
    defaultMaxRate: checkRate(raw.defaultMaxRate, 'defaultMaxRate', issues),
    language: language ?? ('pl' satisfies Language),
  };
}

function checkRate(value: unknown, field: string, issues: RuleIssues): Money {
  if (!issues.expectType(value, field, ['object']) || !isRecord(value)) return { amountMinor: 0, currency: '' };
  if (!issues.expectShape(value, field, { amountMinor: ['number'], currency: ['string'] })) return { amountMinor: 0, currency: '' };
  const amount = isRecord(value) ? boundedInteger(value.amountMinor, 0, 1_000_000) : undefined;
  const currency = isRecord(value) ? validCurrency(value.currency) : undefined;
  if (amount === undefined) {
    issues.add('MAX_RATE_INVALID', `${field}.amountMinor`, 'Stawka: liczba całkowita groszy 0–1 000 000.', 'Rate: an integer of minor units 0–1,000,000.');
  }
  if (currency === undefined) {
    issues.add('CURRENCY_INVALID', `${field}.currency`, 'Waluta: kod ISO 4217 (np. PLN).', 'Currency: an ISO 4217 code (e.g. PLN).');
  }
  return { amountMinor: amount ?? 0, currency: currency ?? '' };
}
