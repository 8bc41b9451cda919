import { DomainError } from './domain-error.js';
import { UNAVAILABLE_FEATURES, addFeatureNotAvailable, isFeatureAvailable, type Feature } from './feature-availability.js';
import { boundedInteger, validCurrency } from './field-rules.js';
import { PAID_OPTIONS, type PaidOption, type PriceList } from './price-list.js';
import { RuleIssues, isRecord } from './rule-issues.js';

const MAX_FEE = 100_000_000;

/**
 * Validates a price list: ISO 4217 currency, every fee an integer of minor units 0–100,000,000, and a fee of 0 for
 * every option whose feature is not available yet (FEATURE_NOT_AVAILABLE).
 */
export function resolvePriceList(input: PriceList, unavailable: ReadonlySet<Feature> = UNAVAILABLE_FEATURES): PriceList {
  if (!isRecord(input)) throw new DomainError('VALUE_INVALID', { pl: 'Nieprawidłowy cennik.', en: 'Invalid price list.' });
  const issues = new RuleIssues();
  const currency = validCurrency(input.currency);
  if (currency === undefined) issues.add('CURRENCY_INVALID', 'currency', 'Waluta: kod ISO 4217 (np. PLN).', 'Currency: an ISO 4217 code (e.g. PLN).');
  const fee = (value: unknown, field: string): number => {
    const amount = boundedInteger(value, 0, MAX_FEE);
    if (value === undefined) issues.missingField(field);
    else if (issues.expectType(value, field, ['number']) && amount === undefined) {
      issues.add('PRICE_LIST_INVALID', field, 'Opłata: liczba całkowita groszy 0–100 000 000.', 'Fee: an integer of minor units 0–100,000,000.');
    }
    return amount ?? 0;
  };
  const options: Record<string, unknown> = isRecord(input.optionMonthlyMinor) ? input.optionMonthlyMinor : {};
  const optionMonthlyMinor = Object.fromEntries(
    PAID_OPTIONS.map((o) => {
      const field = `optionMonthlyMinor.${o}`;
      const amount = fee(options[o], field);
      // An option that is not built yet cannot be sold: only a fee of 0 is accepted for it.
      if (amount !== 0 && !isFeatureAvailable(o, unavailable)) addFeatureNotAvailable(issues, o, field);
      return [o, amount];
    }),
  ) as Record<PaidOption, number>;
  const result: PriceList = {
    currency: currency ?? '',
    extensionMonthlyMinor: fee(input.extensionMonthlyMinor, 'extensionMonthlyMinor'),
    optionMonthlyMinor,
    activationMinor: fee(input.activationMinor, 'activationMinor'),
  };
  issues.throwIfAny();
  return result;
}
