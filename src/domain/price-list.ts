/** Options of an extension that carry a monthly fee (a fee of 0 makes an option free). */
export const PAID_OPTIONS = ['voicemail', 'monitoring', 'fax', 'encryption'] as const;

/** One paid option of {@link PAID_OPTIONS}. */
export type PaidOption = (typeof PAID_OPTIONS)[number];

/** The operator's price list; every amount is in integer minor units of `currency`. */
export interface PriceList {
  readonly currency: string;
  /** Monthly fee of one extension. */
  readonly extensionMonthlyMinor: number;
  /** Monthly fee of each paid option, charged while the option is on. */
  readonly optionMonthlyMinor: Readonly<Record<PaidOption, number>>;
  /** One-time fee charged when an extension is created. */
  readonly activationMinor: number;
}

/** The price list in force until the operator sets one: PLN, everything free. */
export const DEFAULT_PRICE_LIST: PriceList = {
  currency: 'PLN',
  extensionMonthlyMinor: 0,
  optionMonthlyMinor: { voicemail: 0, monitoring: 0, fax: 0, encryption: 0 },
  activationMinor: 0,
};
