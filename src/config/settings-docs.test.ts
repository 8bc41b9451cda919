import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { SETTINGS, defaultText } from './index.js';

const DOCS = readFileSync(new URL('../../docs/configuration.md', import.meta.url), 'utf8');

describe('docs/configuration.md', () => {
  for (const [name, spec] of Object.entries(SETTINGS)) {
    it(`documents ${name} with its flag and environment variable in one table row`, () => {
      const row = DOCS.split('\n').find((line) => line.startsWith(`| ${name} |`));
      assert.ok(row, `no table row for ${name}`);
      assert.ok(row.includes(`\`--${spec.flag}`), `${name}: flag --${spec.flag} missing`);
      if (spec.env) assert.ok(row.includes(`\`${spec.env}\``), `${name}: ${spec.env} missing`);
    });

    it(`shows the default of ${name} as it is typed`, () => {
      const row = DOCS.split('\n').find((line) => line.startsWith(`| ${name} |`)) ?? '';
      const cell = row.split(' | ')[3];
      const text = defaultText<unknown>(spec);
      assert.equal(cell, text === undefined ? 'unset' : `\`${text}\``);
    });
  }
});
