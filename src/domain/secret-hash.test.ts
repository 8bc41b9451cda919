import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { hashSecret, verifySecret } from './secret-hash.js';

describe('scrypt secret hashes', () => {
  test('hash has the form scrypt$N$r$p$salt$hash and never contains the secret', async () => {
    const encoded = await hashSecret('1234');
    assert.match(encoded, /^scrypt\$16384\$8\$1\$[A-Za-z0-9_-]{22}\$[A-Za-z0-9_-]{43}$/);
    assert.ok(!encoded.includes('1234'));
  });

  test('verify accepts the right secret and refuses a wrong one', async () => {
    const encoded = await hashSecret('482913');
    assert.equal(await verifySecret('482913', encoded), true);
    assert.equal(await verifySecret('482914', encoded), false);
    assert.equal(await verifySecret('', encoded), false);
  });

  test('the same secret hashes differently each time (salted)', async () => {
    assert.notEqual(await hashSecret('1234'), await hashSecret('1234'));
  });

  test('malformed hashes verify as false instead of throwing', async () => {
    for (const bad of ['', 'scrypt$', 'bcrypt$1$2$3$4$5', 'scrypt$abc$8$1$c2FsdA$aGFzaA', 'scrypt$16384$8$1$$aGFzaA']) {
      assert.equal(await verifySecret('1234', bad), false, bad);
    }
  });
});
