import type { ExtensionSettings, InternationalLevel } from './extension.js';
import type { Money } from './money.js';
import { UNAVAILABLE_FEATURES, isFeatureAvailable, type Feature } from './feature-availability.js';
import { PAID_OPTIONS, type PaidOption, type PriceList } from './price-list.js';

/** What a quote line charges for. */
export type QuoteLineItem = 'extension' | PaidOption;

/** One charge of a quote: a pro-rated monthly fee or a one-time fee. */
export interface QuoteLine {
  /** Stable code: `extension.activation`, `extension.monthly`, `voicemail.monthly`, `fax.monthly` … */
  readonly code: string;
  readonly item: QuoteLineItem;
  readonly kind: 'monthly' | 'one-time';
  /** The full fee from the price list (monthly or one-time). */
  readonly unitMinor: number;
  /** Days charged of this month (today included) and the month's length; null for one-time fees. */
  readonly proration: { readonly days: number; readonly daysInMonth: number } | null;
  /** What is charged: `round(unit × days / daysInMonth)`, half up, or the unit for one-time fees. */
  readonly amountMinor: number;
}

/** The toll-fraud exposure a change opens (SPEC 2.6): what the extension may call and the per-minute cap. */
export interface QuoteExposure {
  readonly internationalLevel: InternationalLevel;
  readonly allowPremium: boolean;
  /** The effective per-minute cap (extension's own or the tenant default). */
  readonly maxRate: Money;
}

/** Result of pricing a change: lines and their total in the price list's currency. */
export interface PriceQuote {
  readonly currency: string;
  readonly lines: readonly QuoteLine[];
  readonly totalMinor: number;
}

/** A stored quote the admin confirms by id when creating or changing an extension. */
export interface Quote extends PriceQuote {
  readonly id: string;
  readonly tenantId: string;
  readonly kind: 'create' | 'update';
  /** The extension an update quote is for; null for create. */
  readonly extensionId: string | null;
  readonly exposure: QuoteExposure;
  readonly createdAt: Date;
  readonly expiresAt: Date;
  readonly usedAt: Date | null;
}

/** Days charged for the current month: from `now`'s day (inclusive) to the month's end, in UTC. */
export function prorationOf(now: Date): { days: number; daysInMonth: number } {
  const daysInMonth = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 0)).getUTCDate();
  return { days: daysInMonth - now.getUTCDate() + 1, daysInMonth };
}

/** `round(unit × days / daysInMonth)` to a whole minor unit, halves rounded up, in exact integer arithmetic. */
export function prorate(unitMinor: number, days: number, daysInMonth: number): number {
  return Math.floor((2 * unitMinor * days + daysInMonth) / (2 * daysInMonth));
}

/** Which paid options an extension has on. */
export function paidOptionsOf(settings: ExtensionSettings): Record<PaidOption, boolean> {
  return {
    voicemail: settings.voicemail.enabled,
    monitoring: settings.advanced.monitoring,
    fax: settings.advanced.fax,
    encryption: settings.advanced.encryption,
  };
}

/**
 * Prices creating (`before` undefined) or changing an extension at `now` (SPEC 2.6). Creating charges the
 * one-time activation fee, the extension's monthly fee and the monthly fee of every paid option that is on;
 * a change charges the monthly fee of every paid option turned on. Monthly fees are pro-rated for the rest of
 * the month, today included: `round(fee × remainingDays / daysInMonth)` (UTC dates, halves up). Turning an
 * option off refunds nothing. Lines of a zero fee are left out, and so is every option whose feature is in
 * `unavailable` (by default the features not built yet): nothing that does not work is ever charged, whatever
 * the price list says.
 */
export function quote(
  before: ExtensionSettings | undefined,
  after: ExtensionSettings,
  priceList: PriceList,
  now: Date,
  unavailable: ReadonlySet<Feature> = UNAVAILABLE_FEATURES,
): PriceQuote {
  const { days, daysInMonth } = prorationOf(now);
  const lines: QuoteLine[] = [];
  const monthly = (item: QuoteLineItem, unitMinor: number): void => {
    if (unitMinor === 0) return;
    lines.push({ code: `${item}.monthly`, item, kind: 'monthly', unitMinor, proration: { days, daysInMonth }, amountMinor: prorate(unitMinor, days, daysInMonth) });
  };
  if (!before) {
    if (priceList.activationMinor !== 0) {
      lines.push({
        code: 'extension.activation',
        item: 'extension',
        kind: 'one-time',
        unitMinor: priceList.activationMinor,
        proration: null,
        amountMinor: priceList.activationMinor,
      });
    }
    monthly('extension', priceList.extensionMonthlyMinor);
  }
  const was = before ? paidOptionsOf(before) : undefined;
  const is = paidOptionsOf(after);
  for (const option of PAID_OPTIONS) {
    if (is[option] && !was?.[option] && isFeatureAvailable(option, unavailable)) monthly(option, priceList.optionMonthlyMinor[option]);
  }
  return { currency: priceList.currency, lines, totalMinor: lines.reduce((sum, l) => sum + l.amountMinor, 0) };
}

/** The toll exposure of an extension: its calling level, premium permission and effective per-minute cap. */
export function exposureOf(settings: ExtensionSettings, tenantDefaultMaxRate: Money): QuoteExposure {
  return {
    internationalLevel: settings.advanced.internationalLevel,
    allowPremium: settings.advanced.allowPremium,
    maxRate: {
      amountMinor: settings.advanced.maxRateMinor ?? tenantDefaultMaxRate.amountMinor,
      currency: tenantDefaultMaxRate.currency,
    },
  };
}
