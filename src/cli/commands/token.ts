import { Command } from 'commander';
import type { ApiTokenView, CreatedToken } from '../../services/index.js';
import { CliError } from '../cli-error.js';
import { printJson, type CliIo } from '../cli-io.js';
import { renderFields, renderTable } from '../render-table.js';
import { addSettingOptions, configFromOptions } from '../setting-options.js';
import { withServices } from '../with-services.js';

/**
 * `centrala token create|list|revoke`: API tokens, straight on the store. Whoever runs the server (and so can
 * reach its data dir or database) can always make a new operator token, e.g. after losing the first one.
 */
export function tokenCommand(io: CliIo): Command {
  const token = new Command('token').description('manage API tokens (lost the operator token? centrala token create makes a new one)');

  addSettingOptions(
    token
      .command('create')
      .description('create an operator token (or, with --tenant, a token scoped to one tenant); printed once')
      .option('--label <text>', 'what the token is for, shown by token list', 'cli')
      .option('--tenant <tenant>', 'scope the token to this tenant (id or SIP domain)')
      .option('--json', 'print { token, id, kind, tenantId, label, createdAt } as JSON'),
    'common',
  ).action(async (options: { label: string; tenant?: string; json?: boolean }, command: Command) => {
    const config = configFromOptions(command, io);
    const created = await withServices(config, async (services): Promise<CreatedToken> => {
      if (options.tenant === undefined) return services.auth.createOperatorToken(options.label);
      const tenant = await services.tenants.find(options.tenant);
      return services.auth.createTenantToken(tenant.id, options.label);
    });
    if (options.json) {
      printJson(io, { token: created.token, ...created.record });
      return;
    }
    const kind = created.record.kind === 'operator' ? 'Operator' : 'Tenant';
    io.stdout(`${kind} API token (shown once): ${created.token}\n`);
    io.stdout(
      renderFields([
        ['Id', created.record.id],
        ['Label', created.record.label],
        ...(created.record.tenantId !== null ? ([['Tenant', created.record.tenantId]] as const) : []),
      ]),
    );
  });

  addSettingOptions(
    token
      .command('list')
      .description('list API tokens, revoked ones too (never the token itself)')
      .option('--json', 'print a JSON array'),
    'common',
  ).action(async (options: { json?: boolean }, command: Command) => {
    const config = configFromOptions(command, io);
    const tokens = await withServices(config, (services) => services.auth.listTokens());
    if (options.json) printJson(io, tokens);
    else
      io.stdout(
        renderTable<ApiTokenView>(tokens, [
          { heading: 'ID', cell: (t) => t.id },
          { heading: 'KIND', cell: (t) => t.kind },
          { heading: 'TENANT', cell: (t) => t.tenantId ?? '-' },
          { heading: 'LABEL', cell: (t) => t.label },
          { heading: 'CREATED', cell: (t) => t.createdAt.toISOString() },
          { heading: 'REVOKED', cell: (t) => t.revokedAt?.toISOString() ?? '-' },
        ]),
      );
  });

  addSettingOptions(
    token
      .command('revoke')
      .description('revoke a token: the API refuses it from its next request')
      .argument('<id>', 'token id, as token list shows it')
      .option('--json', 'print the revoked token as JSON'),
    'common',
  ).action(async (id: string, options: { json?: boolean }, command: Command) => {
    const config = configFromOptions(command, io);
    const revoked = await withServices(config, async (services) => {
      const found = (await services.auth.listTokens()).find((t) => t.id === id);
      if (found === undefined) throw new CliError(`no API token with id ${id} (centrala token list shows them)`);
      if (found.revokedAt !== null) return found;
      await services.auth.revokeToken(id);
      return (await services.auth.listTokens()).find((t) => t.id === id) ?? found;
    });
    if (options.json) printJson(io, revoked);
    else io.stdout(`Revoked ${revoked.kind} token ${revoked.id} (${revoked.label}) at ${revoked.revokedAt?.toISOString() ?? '-'}\n`);
  });
  return token;
}
