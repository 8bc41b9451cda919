import { Command } from 'commander';
import type { Tenant } from '../../domain/index.js';
import { printJson, type CliIo } from '../cli-io.js';
import { formatMoney, renderFields, renderTable } from '../render-table.js';
import { addSettingOptions, configFromOptions } from '../setting-options.js';
import { withServices } from '../with-services.js';
import { collectPages } from '../collect-pages.js';

/** `centrala tenant create|list`. */
export function tenantCommand(io: CliIo): Command {
  const tenant = new Command('tenant').description('manage tenants (customer companies)');

  addSettingOptions(
    tenant
      .command('create')
      .description('create a tenant')
      .requiredOption('--name <name>', 'company name, 1–100 characters')
      .requiredOption('--domain <sipDomain>', 'SIP domain (digest realm), e.g. acme.pbx.example')
      .option('--country <code>', 'ISO 3166-1 alpha-2 country for national numbers (default PL)')
      .option('--language <pl|en>', 'panel and announcement language (default pl)')
      .option('--json', 'print the tenant as JSON'),
    'common',
  ).action(async (options: { name: string; domain: string; country?: string; language?: string; json?: boolean }, command: Command) => {
    const config = configFromOptions(command, io);
    const created = await withServices(config, (services) =>
      services.tenants.create({
        name: options.name,
        sipDomain: options.domain,
        ...(options.country !== undefined ? { country: options.country } : {}),
        ...(options.language !== undefined ? { language: options.language as Tenant['language'] } : {}),
      }),
    );
    if (options.json) printJson(io, created);
    else io.stdout(describeTenant(created));
  });

  addSettingOptions(
    tenant.command('list').description('list every tenant').option('--json', 'print a JSON array'),
    'common',
  ).action(async (options: { json?: boolean }, command: Command) => {
    const config = configFromOptions(command, io);
    const tenants = await withServices(config, (services) => collectPages((page) => services.tenants.list(page)));
    if (options.json) printJson(io, tenants);
    else
      io.stdout(
        renderTable(tenants, [
          { heading: 'ID', cell: (t) => t.id },
          { heading: 'SIP DOMAIN', cell: (t) => t.sipDomain },
          { heading: 'NAME', cell: (t) => t.name },
          { heading: 'MAIN NUMBER', cell: (t) => t.mainNumber ?? '-' },
        ]),
      );
  });
  return tenant;
}

function describeTenant(t: Tenant): string {
  return renderFields([
    ['Tenant', t.id],
    ['Name', t.name],
    ['SIP domain', t.sipDomain],
    ['Country', t.country],
    ['Language', t.language],
    ['Main number', t.mainNumber ?? '-'],
    ['Default max rate', `${formatMoney(t.defaultMaxRate.amountMinor, t.defaultMaxRate.currency)}/min`],
  ]);
}
