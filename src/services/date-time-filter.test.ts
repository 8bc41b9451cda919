import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { DomainError } from '../domain/index.js';
import { dateTimeFilter, parseIsoDateTime } from './date-time-filter.js';

describe('parseIsoDateTime', () => {
  const valid: Array<[string, string]> = [
    ['2025-01-10T12:00:00Z', '2025-01-10T12:00:00.000Z'],
    ['2025-01-10T12:00:00.5Z', '2025-01-10T12:00:00.500Z'],
    ['2025-01-10T12:00:00.123456789Z', '2025-01-10T12:00:00.123Z'],
    ['2025-01-10T12:00Z', '2025-01-10T12:00:00.000Z'],
    ['2025-01-10T13:00:00+01:00', '2025-01-10T12:00:00.000Z'],
    ['2025-01-10T07:30:00-0430', '2025-01-10T12:00:00.000Z'],
    ['2025-01-10 13:00:00+01:00', '2025-01-10T12:00:00.000Z'],
    // An unencoded + in a query string arrives as a space.
    ['2025-01-10T13:00:00 01:00', '2025-01-10T12:00:00.000Z'],
    ['2024-02-29T00:00:00Z', '2024-02-29T00:00:00.000Z'],
  ];
  for (const [text, iso] of valid) {
    test(`reads ${text} as ${iso}`, () => {
      const instant = parseIsoDateTime(text);
      assert.ok(instant !== undefined);
      assert.equal(new Date(instant).toISOString(), iso);
    });
  }

  const invalid = [
    'not-a-date',
    '',
    '2025-01-10',
    '2025-01-10T12:00:00',
    '1736510400000',
    '2025-02-29T00:00:00Z',
    '2025-02-30T00:00:00Z',
    '2025-13-01T00:00:00Z',
    '2025-01-10T24:00:00Z',
    '2025-01-10T12:60:00Z',
    '2025-01-10T12:00:60Z',
    '2025-01-10T12:00:00+24:00',
    '2025-1-10T12:00:00Z',
  ];
  for (const text of invalid) {
    test(`refuses ${JSON.stringify(text)}`, () => {
      assert.equal(parseIsoDateTime(text), undefined);
    });
  }
});

describe('dateTimeFilter', () => {
  test('is undefined when the field is absent or empty', () => {
    assert.equal(dateTimeFilter(undefined, 'from'), undefined);
    assert.equal(dateTimeFilter('', 'from'), undefined);
  });

  for (const value of ['yesterday', 42, ['2025-01-10T12:00:00Z'], {}]) {
    test(`throws DATE_TIME_INVALID naming the field for ${JSON.stringify(value)}`, () => {
      assert.throws(
        () => dateTimeFilter(value, 'to'),
        (err: unknown) => err instanceof DomainError && err.code === 'DATE_TIME_INVALID' && err.field === 'to',
      );
    });
  }
});
