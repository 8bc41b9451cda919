import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { GENERATED_PASSWORD_LENGTH, generateSipPassword } from './sip-password.js';

describe('generated SIP passwords', () => {
  test('are 16 letters and digits with at least one of each', () => {
    for (let i = 0; i < 200; i++) {
      const pw = generateSipPassword('101');
      assert.equal(pw.length, GENERATED_PASSWORD_LENGTH);
      assert.match(pw, /^[A-Za-z0-9]+$/);
      assert.match(pw, /[A-Za-z]/);
      assert.match(pw, /\d/);
    }
  });

  test('never contain the extension number, even a short one made of their own digits', () => {
    for (let i = 0; i < 500; i++) assert.ok(!generateSipPassword('23').includes('23'));
  });

  test('differ from call to call', () => {
    const seen = new Set(Array.from({ length: 100 }, () => generateSipPassword('10')));
    assert.equal(seen.size, 100);
  });
});
