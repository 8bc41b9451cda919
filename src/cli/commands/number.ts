import { Command } from 'commander';
import type { PhoneNumber } from '../../domain/index.js';
import { printJson, type CliIo } from '../cli-io.js';
import { renderFields, renderTable } from '../render-table.js';
import { addSettingOptions, configFromOptions } from '../setting-options.js';
import { withServices } from '../with-services.js';
import { collectPages } from '../collect-pages.js';

/** `centrala number add|list`. */
export function numberCommand(io: CliIo): Command {
  const number = new Command('number').description("manage a tenant's public numbers (DIDs)");

  addSettingOptions(
    number
      .command('add')
      .description('assign a public number to a tenant (the first one becomes its main number)')
      .argument('<tenant>', 'tenant id or SIP domain')
      .argument('<number>', 'E.164 (+48221234567) or national form of the tenant country')
      .option('--extension <number>', 'route inbound calls to this extension')
      .option('--json', 'print the number as JSON'),
    'common',
  ).action(async (tenantRef: string, e164: string, options: { extension?: string; json?: boolean }, command: Command) => {
    const config = configFromOptions(command, io);
    const added = await withServices(config, async (services) => {
      const tenant = await services.tenants.find(tenantRef);
      return services.numbers.add(tenant.id, { number: e164, ...(options.extension ? { extensionNumber: options.extension } : {}) });
    });
    if (options.json) printJson(io, added);
    else
      io.stdout(
        renderFields([
          ['Number', added.e164],
          ['Tenant', added.tenantId],
          ['Routes to', added.extensionNumber ?? '-'],
        ]),
      );
  });

  addSettingOptions(
    number
      .command('list')
      .description("list a tenant's numbers")
      .argument('<tenant>', 'tenant id or SIP domain')
      .option('--json', 'print a JSON array'),
    'common',
  ).action(async (tenantRef: string, options: { json?: boolean }, command: Command) => {
    const config = configFromOptions(command, io);
    const numbers = await withServices(config, async (services) => {
      const tenant = await services.tenants.find(tenantRef);
      return collectPages((page) => services.numbers.list(tenant.id, page));
    });
    if (options.json) printJson(io, numbers);
    else
      io.stdout(
        renderTable<PhoneNumber>(numbers, [
          { heading: 'NUMBER', cell: (n) => n.e164 },
          { heading: 'ROUTES TO', cell: (n) => n.extensionNumber ?? '-' },
        ]),
      );
  });
  return number;
}
