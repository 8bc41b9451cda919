import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { shadowedEmergencyNumber, validEmail } from './field-rules.js';
import { normalizePhoneNumber } from './normalize-phone-number.js';

describe('field rules', () => {
  test('an extension number shadows an emergency number when it is one, a prefix of one, or starts with one', () => {
    const cases: [string, string | undefined][] = [
      ['112', '112'], ['11', '112'], ['1120', '112'], ['997', '997'], ['99', '997'], ['99812', '998'], ['9990', '999'],
      ['12', undefined], ['113', undefined], ['996', undefined], ['9', '997'], ['10', undefined], ['911', undefined],
    ];
    for (const [number, expected] of cases) assert.equal(shadowedEmergencyNumber(number), expected, number);
  });

  test('phone numbers normalise to E.164 from national, 00 and + forms', () => {
    assert.equal(normalizePhoneNumber('22 123 45 67', 'PL'), '+48221234567');
    assert.equal(normalizePhoneNumber('0048 22 123 45 67', 'PL'), '+48221234567');
    assert.equal(normalizePhoneNumber('+48 (22) 123-45-67', 'DE'), '+48221234567');
    assert.equal(normalizePhoneNumber('020 7183 8750', 'GB'), '+442071838750');
    for (const bad of ['', '123', '+4822123456', 'abc', '+48 22 123 45 67 89 00', '22*123']) {
      assert.equal(normalizePhoneNumber(bad, 'PL'), undefined, bad);
    }
  });

  test('e-mail addresses: one @, dotted domain, domain lower-cased', () => {
    assert.equal(validEmail(' Jan.Kowalski+vm@Firma.PL '), 'Jan.Kowalski+vm@firma.pl');
    for (const bad of ['', 'jan', 'jan@', '@firma.pl', 'jan@firma', 'ja n@firma.pl', 'jan@@firma.pl', `${'a'.repeat(65)}@firma.pl`]) {
      assert.equal(validEmail(bad), undefined, bad);
    }
  });
});
