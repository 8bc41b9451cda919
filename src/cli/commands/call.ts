import { Command } from 'commander';
import type { CallRecordView, LiveCallView } from '../../services/index.js';
import { CliError } from '../cli-error.js';
import { printJson, type CliIo } from '../cli-io.js';
import { renderTable } from '../render-table.js';
import { withServerApi } from '../server-api.js';
import { addSettingOptions, configFromOptions } from '../setting-options.js';
import { extensionExists, withServices } from '../with-services.js';

/**
 * `centrala call list`: the call history (newest first), as the API's GET …/calls; `call active` / `call hangup`: calls
 * in progress, through the running server's API (see server-api.ts).
 */
export function callCommand(io: CliIo): Command {
  const call = new Command('call').description("read a tenant's call history, see and hang up its calls in progress");

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
        const tenant = await services.tenants.find(tenantRef);
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
  addLiveCallCommands(call, io);
  return call;
}

/** `call active` and `call hangup`: they ask the running server (live calls exist only in its memory). */
function addLiveCallCommands(call: Command, io: CliIo): void {
  addSettingOptions(
    call
      .command('active')
      .description("list a tenant's calls in progress (asks the running server at --http-port)")
      .argument('<tenant>', 'tenant id or SIP domain')
      .option('--json', 'print a JSON array of live calls'),
    'common',
    ['httpHost', 'httpPort'],
  ).action(async (tenantRef: string, options: { json?: boolean }, command: Command) => {
    const config = configFromOptions(command, io);
    // The API takes the tenant's id or SIP domain, as the CLI does.
    const items = await withServices(config, (services) =>
      withServerApi(config, services, io, async (request) => {
        const res = await request('GET', `/api/v1/tenants/${encodeURIComponent(tenantRef)}/calls/active`);
        return (res.body as { items: LiveCallView[] }).items;
      }),
    );
    if (options.json) printJson(io, items);
    else
      io.stdout(
        renderTable<LiveCallView>(items, [
          { heading: 'ID', cell: (c) => c.id },
          { heading: 'STARTED', cell: (c) => c.startedAt },
          { heading: 'STATE', cell: (c) => c.state },
          { heading: 'FROM', cell: (c) => c.callerNumber },
          { heading: 'TO', cell: (c) => c.callee },
          { heading: 'ANSWERED BY', cell: (c) => c.answeredBy ?? '-' },
          { heading: 'SECONDS', cell: (c) => String(c.durationSeconds) },
          { heading: 'CODECS', cell: (c) => (c.codecs.length > 0 ? c.codecs.join(',') : '-') },
        ]),
      );
  });

  addSettingOptions(
    call
      .command('hangup')
      .description('hang a call in progress up: BYE to both phones (asks the running server at --http-port)')
      .argument('<tenant>', 'tenant id or SIP domain')
      .argument('<id>', 'the id `call active` shows'),
    'common',
    ['httpHost', 'httpPort'],
  ).action(async (tenantRef: string, id: string, _options: unknown, command: Command) => {
    const config = configFromOptions(command, io);
    await withServices(config, (services) =>
      withServerApi(config, services, io, (request) =>
        request('DELETE', `/api/v1/tenants/${encodeURIComponent(tenantRef)}/calls/active/${encodeURIComponent(id)}`),
      ),
    );
    io.stdout(`hung up call ${id}\n`);
  });
}
