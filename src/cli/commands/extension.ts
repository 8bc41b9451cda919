import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Command } from 'commander';
import type { TSchema } from '@sinclair/typebox';
import { EXTENSION_SETTING_CATALOG, type ExtensionCreateInput, type ExtensionPatch, type ExtensionSettingInfo } from '../../domain/index.js';
import type { Services } from '../../services/index.js';
import { CliError } from '../cli-error.js';
import type { CliHost } from '../cli-host.js';
import { printJson, type CliIo } from '../cli-io.js';
import { renderFields, renderTable } from '../render-table.js';
import { parseAssignments } from '../setting-assignments.js';
import { addSettingOptions, configFromOptions } from '../setting-options.js';
import { withServices } from '../with-services.js';
import { collectPages } from '../collect-pages.js';
import { describeExtension, describeQuote, describeWrite, formatTotal } from './describe-extension.js';

interface WriteOptions {
  number?: string;
  name?: string;
  password?: string;
  set: string[];
  input?: string;
  yes?: boolean;
  json?: boolean;
}

const SET_HELP = 'a setting as path=value, e.g. general.ringTimeSeconds=20 (repeatable; every path: centrala extension settings)';

/** `centrala extension create|list|show|update|delete|settings`. */
export function extensionCommand(io: CliIo, schemas: CliHost['extensionInput']): Command {
  const extension = new Command('extension').description("manage a tenant's extensions (SIP accounts)");

  addSettingOptions(
    writeOptions(
      extension
        .command('create')
        .description('create an extension; a change that costs money needs --yes (the quote is shown first)')
        .argument('<tenant>', 'tenant id or SIP domain')
        .requiredOption('--number <digits>', 'extension number, 2–6 digits')
        .requiredOption('--name <name>', 'account name'),
    ),
    'common',
  ).action(async (tenantRef: string, options: WriteOptions, command: Command) => {
    const config = configFromOptions(command, io);
    const input = buildInput(io, options, schemas.create) as unknown as ExtensionCreateInput;
    await withServices(config, async (services) => {
      const tenant = await services.tenants.find(tenantRef);
      const quote = await services.quotes.quote(tenant.id, { kind: 'create', input });
      confirmCost(io, quote, options);
      const result = await services.extensions.create(tenant.id, input, { quoteId: quote.id });
      if (options.json) printJson(io, { ...result, quote });
      else io.stdout(describeWrite(result));
    });
  });

  addSettingOptions(
    extension
      .command('list')
      .description("list a tenant's extensions")
      .argument('<tenant>', 'tenant id or SIP domain')
      .option('--json', 'print a JSON array'),
    'common',
  ).action(async (tenantRef: string, options: { json?: boolean }, command: Command) => {
    const config = configFromOptions(command, io);
    const list = await withServices(config, async (services) => {
      const tenant = await services.tenants.find(tenantRef);
      return collectPages((page) => services.extensions.list(tenant.id, page));
    });
    if (options.json) printJson(io, list);
    else
      io.stdout(
        renderTable(list, [
          { heading: 'NUMBER', cell: (e) => e.number },
          { heading: 'NAME', cell: (e) => e.name },
          { heading: 'VOICEMAIL', cell: (e) => (e.voicemail.enabled ? 'on' : 'off') },
          { heading: 'CALLS', cell: (e) => e.advanced.internationalLevel },
          { heading: 'ID', cell: (e) => e.id },
        ]),
      );
  });

  addSettingOptions(
    extension
      .command('show')
      .description('show every setting of an extension')
      .argument('<tenant>', 'tenant id or SIP domain')
      .argument('<extension>', 'extension number or id')
      .option('--json', 'print it as JSON'),
    'common',
  ).action(async (tenantRef: string, extensionRef: string, options: { json?: boolean }, command: Command) => {
    const config = configFromOptions(command, io);
    const found = await withServices(config, async (services) => {
      const tenant = await services.tenants.find(tenantRef);
      return services.extensions.find(tenant.id, extensionRef);
    });
    if (options.json) printJson(io, found);
    else io.stdout(describeExtension(found));
  });

  addSettingOptions(
    writeOptions(
      extension
        .command('update')
        .description('change an extension (only what is given); a change that costs money needs --yes')
        .argument('<tenant>', 'tenant id or SIP domain')
        .argument('<extension>', 'extension number or id')
        .option('--number <digits>', 'new extension number (a new password is generated unless --password)')
        .option('--name <name>', 'new account name'),
    ),
    'common',
  ).action(async (tenantRef: string, extensionRef: string, options: WriteOptions, command: Command) => {
    const config = configFromOptions(command, io);
    const patch = buildInput(io, options, schemas.patch) as ExtensionPatch;
    await withServices(config, async (services) => {
      const tenant = await services.tenants.find(tenantRef);
      const current = await services.extensions.find(tenant.id, extensionRef);
      const quote = await services.quotes.quote(tenant.id, { kind: 'update', extensionId: current.id, patch });
      confirmCost(io, quote, options);
      const result = await services.extensions.update(tenant.id, current.id, patch, { quoteId: quote.id });
      if (options.json) printJson(io, { ...result, quote });
      else io.stdout(describeWrite(result));
    });
  });

  addSettingOptions(
    extension
      .command('delete')
      .description('delete an extension (needs --yes)')
      .argument('<tenant>', 'tenant id or SIP domain')
      .argument('<extension>', 'extension number or id')
      .option('--yes', 'confirm the deletion (without it nothing is deleted and the command says what would be)')
      .option('--json', 'print { deleted: id } as JSON'),
    'common',
  ).action(async (tenantRef: string, extensionRef: string, options: { yes?: boolean; json?: boolean }, command: Command) => {
    const config = configFromOptions(command, io);
    const deleted = await withServices(config, async (services: Services) => {
      const tenant = await services.tenants.find(tenantRef);
      const current = await services.extensions.find(tenant.id, extensionRef);
      if (!options.yes) {
        throw new CliError(
          `this deletes extension ${current.number} "${current.name}" (${current.id}) of ${tenant.sipDomain}: its phones can no longer ` +
            'register or call, numbers routed to it are unrouted (its call history is kept); run it again with --yes to confirm',
        );
      }
      await services.extensions.delete(tenant.id, current.id);
      return current;
    });
    if (options.json) printJson(io, { deleted: deleted.id, number: deleted.number });
    else io.stdout(`Deleted extension ${deleted.number} (${deleted.id})\n`);
  });
  extension
    .command('settings')
    .description('list every extension setting: path (for --set and the API), type, default, rule, what it does (docs/extension-settings.md)')
    .option('--json', 'print a JSON array')
    .action((options: { json?: boolean }) => {
      if (options.json) printJson(io, EXTENSION_SETTING_CATALOG);
      else io.stdout(EXTENSION_SETTING_CATALOG.map(describeSetting).join('\n'));
    });
  return extension;
}

/** One setting of `extension settings`: its path, then the columns of docs/extension-settings.md, indented. */
function describeSetting(setting: ExtensionSettingInfo): string {
  const fields = renderFields([
    ['type', setting.type],
    ['default', setting.default],
    ['rule', setting.rule],
    ['does', setting.effect],
    ['status', setting.status],
  ]);
  return `${setting.path}\n${fields.trimEnd().replace(/^/gm, '  ')}\n`;
}

function writeOptions(command: Command): Command {
  return command
    .option('--password <password>', 'SIP password (≥ 12 characters, letters and digits); generated when left out')
    .option('--set <path=value>', SET_HELP, (value: string, previous: string[]) => [...previous, value], [])
    .option('--input <file>', 'JSON file with the settings (as in the API); flags override it')
    .option('--yes', 'confirm the costs of the change')
    .option('--json', 'print the result (extension, password shown once, charges, quote) as JSON');
}

/** The settings from --input, then --set, then the named flags. */
function buildInput(io: CliIo, options: WriteOptions, schema: TSchema): Record<string, unknown> {
  const base = options.input !== undefined ? readJsonFile(resolve(io.cwd, options.input)) : {};
  const merged = deepMerge(base, parseAssignments(options.set, schema));
  if (options.number !== undefined) merged.number = options.number;
  if (options.name !== undefined) merged.name = options.name;
  if (options.password !== undefined) merged.password = options.password;
  return merged;
}

/** Shows the quote and refuses to go on without --yes when the change costs money (SPEC 2.6). */
function confirmCost(io: CliIo, quote: Parameters<typeof describeQuote>[0], options: WriteOptions): void {
  if (quote.totalMinor <= 0 || options.yes) return;
  if (options.json) printJson(io, { quote });
  else io.stdout(describeQuote(quote));
  throw new CliError(`this change costs ${formatTotal(quote)}; run it again with --yes to confirm`);
}

function readJsonFile(path: string): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new CliError(`cannot read --input ${path}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
  }
  try {
    const value: unknown = JSON.parse(text);
    if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Error('not an object');
    return value as Record<string, unknown>;
  } catch {
    throw new CliError(`--input ${path} must hold a JSON object`);
  }
}

function deepMerge(base: Record<string, unknown>, over: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(over)) {
    const current = out[key];
    const bothObjects = isPlainObject(current) && isPlainObject(value);
    out[key] = bothObjects ? deepMerge(current, value) : value;
  }
  return out;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
