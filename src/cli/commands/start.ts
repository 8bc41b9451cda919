import { Command } from 'commander';
import type { CliHost } from '../cli-host.js';
import type { CliIo } from '../cli-io.js';
import { addSettingOptions, configFromOptions } from '../setting-options.js';

/** `centrala start`: validates the configuration once, runs the server until SIGTERM/SIGINT. */
export function startCommand(io: CliIo, serve: CliHost['serve']): Command {
  return addSettingOptions(
    new Command('start').description('run the PBX (HTTP API and SIP) until SIGTERM or SIGINT'),
    'server',
  ).action(async (_options: unknown, command: Command) => {
    const config = configFromOptions(command, io);
    await serve(config, (line) => io.stdout(`${line}\n`));
  });
}
