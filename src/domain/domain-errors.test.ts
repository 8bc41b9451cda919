import assert from 'node:assert/strict';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { DOMAIN_ERROR_MESSAGES, DOMAIN_ERRORS } from './domain-errors.js';

const srcDir = fileURLToPath(new URL('..', import.meta.url));

function sources(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) sources(full, out);
    else if (name.endsWith('.ts') && !name.endsWith('.test.ts')) out.push(full);
  }
  return out;
}

describe('DOMAIN_ERRORS catalogue', () => {
  test('every code has a 4xx status and a description', () => {
    for (const [code, info] of Object.entries(DOMAIN_ERRORS)) {
      assert.match(code, /^[A-Z][A-Z0-9_]+$/);
      assert.ok(info.httpStatus >= 400 && info.httpStatus < 500, code);
      assert.ok(info.description.length > 10, code);
    }
  });

  test('every code thrown in src/domain and src/services is in the catalogue', () => {
    const used = new Set<string>();
    for (const file of [...sources(join(srcDir, 'domain')), ...sources(join(srcDir, 'services'))]) {
      const text = readFileSync(file, 'utf8');
      for (const m of text.matchAll(/(?:new DomainError\(|domainError\(|\.add\(|isDomainError\([^,]+,)\s*'([A-Z_]+)'/g)) used.add(m[1] ?? '');
    }
    assert.ok(used.size > 30, `found only ${used.size} codes: the scan is broken`);
    for (const code of used) assert.ok(code in DOMAIN_ERRORS, `${code} is thrown but not catalogued`);
  });

  test('a code with a catalogued text is never thrown with a text of its own (one text per code)', () => {
    const own: string[] = [];
    for (const file of [...sources(join(srcDir, 'domain')), ...sources(join(srcDir, 'services')), ...sources(join(srcDir, 'api'))]) {
      const text = readFileSync(file, 'utf8');
      for (const m of text.matchAll(/new DomainError\(\s*'([A-Z_]+)'/g)) if ((m[1] ?? '') in DOMAIN_ERROR_MESSAGES) own.push(`${m[1]} in ${file}`);
    }
    assert.deepEqual(own, []);
  });
});
