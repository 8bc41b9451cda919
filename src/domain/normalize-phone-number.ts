import { isSupportedCountry, parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js/max';

/**
 * Normalises a phone number typed as E.164 (`+48…`), international with `00`, or national form of `country`
 * (ISO 3166-1 alpha-2) to E.164. Returns undefined unless libphonenumber's full metadata says the number is valid.
 */
export function normalizePhoneNumber(input: string, country: string): string | undefined {
  if (typeof input !== 'string') return undefined;
  const compact = input.trim().replace(/[\s\-().]/g, '');
  if (!/^(\+|00)?\d{2,17}$/.test(compact)) return undefined;
  const international = compact.startsWith('00') ? `+${compact.slice(2)}` : compact;
  const region = isSupportedCountry(country) ? (country as CountryCode) : undefined;
  const parsed = parsePhoneNumberFromString(international, region);
  if (!parsed || !parsed.isValid()) return undefined;
  return parsed.number;
}

/** True when `country` is an ISO 3166-1 alpha-2 code the numbering-plan library knows. */
export function isSupportedCountryCode(country: string): boolean {
  return typeof country === 'string' && /^[A-Z]{2}$/.test(country) && isSupportedCountry(country);
}
