import { Command } from 'commander';
import type { CallRecordView } from '../../services/index.js';
import { CliError } from '../cli-error.js';
import { printJson, type CliIo } from '../cli-io.js';
import { renderTable } from '../render-table.js';
import { addSettingOptions, configFromOptions } from '../setting-options.js';
import { extensionExists, findTenant, withServices } from '../with-services.js';

/** `centrala call list`: the call history (newest first), as the API's GET …/calls. */
export function callCommand(io: CliIo): Command {
  const call = new Command('call').description("read a tenant's call history");

  addSettingOptions(
    call
      .command('list')
      .description("list a tenant's calls, newest first")
      .argument('<tenant>', 'tenant id or SIP domain')
      .option('--extension <number>', 'only calls this extension made, was dialled on, rang on, answered or forwarded')
      .option('--from <date-time>', 'only calls started at or after this ISO 8601 time (with a zone, e.g. 2026-12-01T00:00:00Z)')
      .option('--to <date-time>', 'only calls started before this ISO 8601 time')
      .option('--limit <n>', 'how many calls at most (1–200)', '50')
      .option('--json', 'print a JSON array of call records'),
    'common',
  ).action(
    async (
      tenantRef: string,
      options: { extension?: string; from?: string; to?: string; limit: string; json?: boolean },
      command: Command,
    ) => {
      const limit = /^\d{1,3}$/.test(options.limit) ? Number(options.limit) : NaN;
      if (!(limit >= 1 && limit <= 200)) throw new CliError(`invalid --limit "${options.limit}": must be an integer 1-200`, 2);
      const config = configFromOptions(command, io);
      const page = await withServices(config, async (services) => {
        const tenant = await findTenant(services, tenantRef);
        const found = await services.calls.list(tenant.id, {
          limit,
          ...(options.extension !== undefined ? { extension: options.extension } : {}),
          ...(options.from !== undefined ? { from: options.from } : {}),
          ...(options.to !== undefined ? { to: options.to } : {}),
        });
        // The history outlives deleted extensions, so a number with calls is listed even when its extension is gone.
        if (options.extension !== undefined && found.items.length === 0 && !(await extensionExists(services, tenant.id, options.extension))) {
          throw new CliError(`extension ${options.extension} does not exist in ${tenant.sipDomain}, and no call in its history involves that number`);
        }
        return found;
      });
      if (options.json) printJson(io, page.items);
      else
        io.stdout(
          renderTable<CallRecordView>(page.items, [
            { heading: 'STARTED', cell: (c) => c.startedAt },
            { heading: 'FROM', cell: (c) => c.callerNumber },
            { heading: 'TO', cell: (c) => c.callee },
            { heading: 'ANSWERED BY', cell: (c) => c.answeredBy ?? '-' },
            { heading: 'DISPOSITION', cell: (c) => c.disposition },
            { heading: 'SECONDS', cell: (c) => String(c.durationSeconds) },
            { heading: 'END', cell: (c) => c.endReason },
          ]),
        );
    },
  );
  return call;
}
