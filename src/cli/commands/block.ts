import { Command } from 'commander';
import type { SecurityBlockFilter, SecurityBlockView } from '../../services/index.js';
import { CliError } from '../cli-error.js';
import { printJson, type CliIo } from '../cli-io.js';
import { renderTable } from '../render-table.js';
import { addSettingOptions, configFromOptions } from '../setting-options.js';
import { withServices } from '../with-services.js';

interface FilterOptions {
  source?: string;
  tenant?: string;
  extension?: string;
  json?: boolean;
}

/** The filter options every `block` command takes. */
function withFilters(command: Command): Command {
  return command
    .option('--source <address>', 'only blocks of this address (an IPv6 address matches its /64)')
    .option('--tenant <tenant>', 'only blocks of this tenant (id or SIP domain)')
    .option('--extension <number>', 'only blocks of this extension number')
    .option('--json', 'print a JSON array of blocks');
}

function filterOf(options: FilterOptions): SecurityBlockFilter {
  return {
    ...(options.source !== undefined ? { source: options.source } : {}),
    ...(options.tenant !== undefined ? { tenant: options.tenant } : {}),
    ...(options.extension !== undefined ? { extension: options.extension } : {}),
  };
}

function blockTable(blocks: readonly SecurityBlockView[]): string {
  return renderTable(blocks, [
    { heading: 'ID', cell: (b) => b.id },
    { heading: 'SCOPE', cell: (b) => b.scope },
    { heading: 'SOURCE', cell: (b) => b.source },
    { heading: 'SIP DOMAIN', cell: (b) => b.sipDomain },
    { heading: 'EXTENSION', cell: (b) => b.extension },
    { heading: 'FAILURES', cell: (b) => String(b.failures) },
    { heading: 'SINCE', cell: (b) => b.since },
    { heading: 'UNTIL', cell: (b) => b.until },
  ]);
}

/** `centrala block list|clear`: the brute-force blocks of SIP authentication (docs/registrar.md). */
export function blockCommand(io: CliIo): Command {
  const block = new Command('block').description('list and lift the blocks of SIP authentication after repeated failures');

  addSettingOptions(withFilters(block.command('list').description('list the blocks in force, oldest first')), 'common').action(
    async (options: FilterOptions, command: Command) => {
      const config = configFromOptions(command, io);
      const { items } = await withServices(config, (services) => services.securityBlocks.list(filterOf(options)));
      if (options.json) printJson(io, items);
      else io.stdout(items.length === 0 ? 'No blocks in force.\n' : blockTable(items));
    },
  );

  addSettingOptions(
    withFilters(
      block
        .command('clear')
        .description(
          'lift blocks: one by id, every block matching --source/--tenant/--extension, or every block with --all ' +
            '(a running server lifts them within 5 s)',
        )
        .argument('[id]', 'the id of one block (see block list)')
        .option('--all', 'lift every block in force (with filters: every matching block)'),
    ),
    'common',
  ).action(async (id: string | undefined, options: FilterOptions & { all?: boolean }, command: Command) => {
    const filter = filterOf(options);
    const filtered = Object.keys(filter).length > 0;
    if (id !== undefined && (filtered || options.all)) throw new CliError('give either a block id or --all/--source/--tenant/--extension, not both', 2);
    if (id === undefined && !filtered && !options.all) {
      throw new CliError('say which blocks to lift: a block id (see block list), --source, --tenant, --extension, or --all', 2);
    }
    const config = configFromOptions(command, io);
    const lifted = await withServices(config, async (services) =>
      id !== undefined ? [await services.securityBlocks.lift(id)] : services.securityBlocks.liftAll(filter),
    );
    if (options.json) printJson(io, lifted);
    else io.stdout(`Lifted ${lifted.length} block${lifted.length === 1 ? '' : 's'}.\n${lifted.length > 0 ? blockTable(lifted) : ''}`);
  });
  return block;
}
