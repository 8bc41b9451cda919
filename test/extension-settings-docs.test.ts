// docs/extension-settings.md and `centrala extension settings` against the one catalog they come from, and the
// catalog against what the API accepts (its TypeBox schema) and what a new extension gets (the domain rules).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import type { TSchema } from '@sinclair/typebox';
import { ExtensionCreateInputSchema } from '../src/api/index.js';
import type { CliIo } from '../src/cli/index.js';
import { runCli } from '../src/main.js';
import { EXTENSION_SETTING_CATALOG, resolveExtensionCreate } from '../src/domain/index.js';

const DOC = readFileSync(new URL('../docs/extension-settings.md', import.meta.url), 'utf8');
const SECTIONS = ['general', 'voicemail', 'forwarding', 'advanced'];

/** Every path the API's create body takes (a section's fields; objects such as forward targets are one path). */
function schemaPaths(): Map<string, TSchema> {
  const paths = new Map<string, TSchema>();
  for (const [key, schema] of Object.entries(ExtensionCreateInputSchema.properties as Record<string, TSchema>)) {
    if (!SECTIONS.includes(key)) {
      paths.set(key, schema);
      continue;
    }
    for (const [field, fieldSchema] of Object.entries(schema.properties as Record<string, TSchema>)) paths.set(`${key}.${field}`, fieldSchema);
  }
  return paths;
}

/** The catalog's way of writing a schema's type: integer, string or null, one of a, b, object. */
function typeOf(schema: TSchema): string {
  const members = (s: TSchema): TSchema[] => ((s.anyOf as TSchema[] | undefined) ?? [s]).flatMap((m) => (m.anyOf ? members(m) : [m]));
  const all = members(schema);
  const nullable = all.some((m) => m.type === 'null');
  const rest = all.filter((m) => m.type !== 'null');
  let type: string;
  if (rest.every((m) => typeof m.const === 'string')) type = `one of ${rest.map((m) => String(m.const)).join(', ')}`;
  else if (rest.every((m) => m.type === 'object')) type = 'object';
  else type = rest.map((m) => String(m.type)).join(' or ');
  return nullable ? `${type} or null` : type;
}

/** The rows of the settings table in the doc, cells trimmed and code quotes removed. */
function docRows(): string[][] {
  const lines = DOC.split('\n');
  const start = lines.findIndex((l) => l.startsWith('| path | type | default |'));
  assert.ok(start >= 0, 'no settings table in docs/extension-settings.md');
  const rows: string[][] = [];
  for (const line of lines.slice(start + 2)) {
    if (!line.startsWith('|')) break;
    rows.push(line.slice(1, -1).split(' | ').map((cell) => cell.trim().replace(/^`(.*)`$/, '$1')));
  }
  return rows;
}

describe('the extension setting catalog', () => {
  it('has exactly the paths the API takes, in the order of its schema, with their types', () => {
    const paths = schemaPaths();
    assert.deepEqual(EXTENSION_SETTING_CATALOG.map((s) => s.path), [...paths.keys()]);
    for (const setting of EXTENSION_SETTING_CATALOG) {
      const schema = paths.get(setting.path);
      assert.ok(schema);
      assert.equal(setting.type, typeOf(schema), `${setting.path}: type`);
    }
  });

  it('gives the default a new extension really gets (resolved by the domain rules from number and name alone)', () => {
    const resolved = resolveExtensionCreate({ number: '31', name: 'Jan' }, { country: 'PL', ownedNumbers: new Set(), otherExtensionNumbers: new Set() });
    const required = new Set((ExtensionCreateInputSchema.required as string[] | undefined) ?? []);
    const settings = resolved.settings as unknown as Record<string, Record<string, unknown>>;
    for (const setting of EXTENSION_SETTING_CATALOG) {
      const [section, field] = setting.path.split('.');
      if (field === undefined) {
        if (required.has(setting.path)) assert.equal(setting.default, 'required', setting.path);
        else assert.match(setting.default, /^generated /, setting.path);
        continue;
      }
      const value = section === 'voicemail' && field === 'pin' ? resolved.voicemailPin : section === 'advanced' && field === 'outgoingPin' ? resolved.outgoingPin : settings[section ?? '']?.[field];
      const text = typeof value === 'string' ? value : JSON.stringify(value ?? null);
      assert.equal(setting.default, text, `${setting.path}: default`);
    }
    assert.equal(resolved.passwordGenerated, true);
  });

  it('marks the settings of features not built yet as not available', () => {
    const notAvailable = EXTENSION_SETTING_CATALOG.filter((s) => s.status === 'not available yet').map((s) => s.path);
    for (const path of ['general.smsSender', 'voicemail.enabled', 'forwarding.confirmExternal', 'advanced.encryption', 'advanced.monitoring', 'advanced.fax']) {
      assert.ok(notAvailable.includes(path), path);
    }
    for (const condition of ['noAnswer', 'busy', 'unavailable']) {
      const setting = EXTENSION_SETTING_CATALOG.find((s) => s.path === `forwarding.${condition}`);
      assert.match(setting?.effect ?? '', /voicemail and external targets are not available yet/);
    }
  });
});

describe('docs/extension-settings.md', () => {
  it('documents every setting of the catalog, and nothing else, with the same type, default, rule, effect and status', () => {
    const expected = EXTENSION_SETTING_CATALOG.map((s) => [s.path, s.type, s.default, s.rule, s.effect, s.status]);
    assert.deepEqual(docRows(), expected);
  });
});

describe('centrala extension settings', () => {
  async function run(args: string[]): Promise<string> {
    let stdout = '';
    const io: CliIo = { stdout: (t) => void (stdout += t), stderr: (t) => assert.fail(t), env: {}, cwd: process.cwd() };
    assert.equal(await runCli(args, io), 0);
    return stdout;
  }

  it('prints the catalog with --json', async () => {
    assert.deepEqual(JSON.parse(await run(['extension', 'settings', '--json'])), EXTENSION_SETTING_CATALOG);
  });

  it('prints every setting with its type, default, rule, effect and status', async () => {
    const out = await run(['extension', 'settings']);
    const blocks = out.trimEnd().split('\n\n');
    assert.equal(blocks.length, EXTENSION_SETTING_CATALOG.length);
    for (const [i, s] of EXTENSION_SETTING_CATALOG.entries()) {
      assert.equal(
        blocks[i],
        [s.path, `  type:    ${s.type}`, `  default: ${s.default}`, `  rule:    ${s.rule}`, `  does:    ${s.effect}`, `  status:  ${s.status}`].join('\n'),
      );
    }
  });
});
