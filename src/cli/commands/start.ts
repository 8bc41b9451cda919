import { Command } from 'commander';
import { runUntilSignal, startCentrala } from '../../main.js';
import type { CliIo } from '../cli-io.js';
import { addSettingOptions, configFromOptions } from '../setting-options.js';

/** `centrala start`: validates the configuration once, runs the server until SIGTERM/SIGINT. */
export function startCommand(io: CliIo): Command {
  return addSettingOptions(
    new Command('start').description('run the PBX (HTTP API and SIP) until SIGTERM or SIGINT'),
    'server',
  ).action(async (_options: unknown, command: Command) => {
    const config = configFromOptions(command, io);
    const running = await startCentrala(config, { print: (line) => io.stdout(`${line}\n`) });
    await runUntilSignal(running);
  });
}
