import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { EXTENSION_DEFAULTS, type ExtensionSettings } from './extension.js';
import { isFeatureAvailable, type Feature } from './feature-availability.js';
import type { PriceList } from './price-list.js';
import { exposureOf, prorate, prorationOf, quote, type QuoteLine } from './quote.js';

const prices: PriceList = {
  currency: 'PLN',
  extensionMonthlyMinor: 2000,
  optionMonthlyMinor: { voicemail: 500, monitoring: 300, fax: 0, encryption: 1000 },
  activationMinor: 4900,
};

const base: ExtensionSettings = { number: '101', name: 'Jan', ...EXTENSION_DEFAULTS };
const withOptions = (o: { voicemail?: boolean; monitoring?: boolean; fax?: boolean; encryption?: boolean }): ExtensionSettings => ({
  ...base,
  voicemail: { ...base.voicemail, enabled: o.voicemail ?? false },
  advanced: { ...base.advanced, monitoring: o.monitoring ?? false, fax: o.fax ?? false, encryption: o.encryption ?? false },
});

describe('pro-rating', () => {
  test('counts today and the rest of the month in UTC', () => {
    assert.deepEqual(prorationOf(new Date('2024-02-15T10:00:00Z')), { days: 15, daysInMonth: 29 });
    assert.deepEqual(prorationOf(new Date('2023-02-01T00:00:00Z')), { days: 28, daysInMonth: 28 });
    assert.deepEqual(prorationOf(new Date('2024-01-31T23:59:59Z')), { days: 1, daysInMonth: 31 });
    assert.deepEqual(prorationOf(new Date('2024-04-01T00:00:00Z')), { days: 30, daysInMonth: 30 });
  });

  test('rounds fee × days / daysInMonth to the minor unit, halves up', () => {
    assert.equal(prorate(2000, 15, 29), 1034); // 1034.48…
    assert.equal(prorate(100, 1, 2), 50);
    assert.equal(prorate(1, 1, 2), 1); // 0.5 → 1
    assert.equal(prorate(3, 1, 4), 1); // 0.75 → 1
    assert.equal(prorate(1, 1, 3), 0); // 0.33 → 0
    assert.equal(prorate(2000, 30, 30), 2000);
  });
});

describe('quote(before, after, priceList, now)', () => {
  const now = new Date('2024-02-15T10:00:00Z');
  /** The price arithmetic of options, as it applies once every feature is built. */
  const allBuilt = new Set<Feature>();

  test('never charges an option whose feature is not built yet, whatever the price list says', () => {
    const everything = withOptions({ voicemail: true, monitoring: true, fax: true, encryption: true });
    const unbuilt = (l: QuoteLine): boolean => l.item !== 'extension' && !isFeatureAvailable(l.item);
    assert.deepEqual(quote(undefined, everything, prices, now).lines.filter(unbuilt), []);
    assert.deepEqual(quote(base, everything, prices, now).lines.filter(unbuilt), []);
  });

  test('creating charges activation, the pro-rated extension fee and every paid option that is on', () => {
    const q = quote(undefined, withOptions({ voicemail: true, encryption: true }), prices, now, allBuilt);
    assert.deepEqual(
      q.lines.map((l) => [l.code, l.kind, l.amountMinor]),
      [
        ['extension.activation', 'one-time', 4900],
        ['extension.monthly', 'monthly', 1034],
        ['voicemail.monthly', 'monthly', 259], // 500 × 15/29 = 258.6
        ['encryption.monthly', 'monthly', 517], // 1000 × 15/29 = 517.2
      ],
    );
    assert.equal(q.totalMinor, 4900 + 1034 + 259 + 517);
    assert.equal(q.currency, 'PLN');
    assert.deepEqual(q.lines[1]?.proration, { days: 15, daysInMonth: 29 });
    assert.equal(q.lines[0]?.proration, null);
  });

  test('an option with a zero fee gives no line', () => {
    const q = quote(undefined, withOptions({ fax: true }), prices, now, allBuilt);
    assert.ok(!q.lines.some((l) => l.item === 'fax'));
  });

  test('changing charges only the options turned on', () => {
    const q = quote(withOptions({ voicemail: true }), withOptions({ voicemail: true, monitoring: true }), prices, now, allBuilt);
    assert.deepEqual(q.lines.map((l) => l.code), ['monitoring.monthly']);
    assert.equal(q.totalMinor, prorate(300, 15, 29));
  });

  test('turning options off or changing free settings costs nothing (no refunds)', () => {
    assert.equal(quote(withOptions({ voicemail: true }), withOptions({}), prices, now).totalMinor, 0);
    assert.equal(quote(base, { ...base, name: 'Other' }, prices, now).lines.length, 0);
  });

  test('exposure reports the level, premium permission and the effective cap', () => {
    const cap = { amountMinor: 150, currency: 'PLN' };
    assert.deepEqual(exposureOf(base, cap), { internationalLevel: 'domestic', allowPremium: false, maxRate: cap });
    const own = { ...base, advanced: { ...base.advanced, internationalLevel: 'worldwide' as const, maxRateMinor: 900 } };
    assert.deepEqual(exposureOf(own, cap).maxRate, { amountMinor: 900, currency: 'PLN' });
  });
});
