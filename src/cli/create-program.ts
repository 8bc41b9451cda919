import { Command } from 'commander';
import type { CliHost } from './cli-host.js';
import type { CliIo } from './cli-io.js';
import { blockCommand } from './commands/block.js';
import { callCommand } from './commands/call.js';
import { extensionCommand } from './commands/extension.js';
import { numberCommand } from './commands/number.js';
import { priceListCommand } from './commands/price-list.js';
import { startCommand } from './commands/start.js';
import { tenantCommand } from './commands/tenant.js';
import { tokenCommand } from './commands/token.js';

/** The `centrala` command line: output and exits go through `io` and exitOverride (nothing calls process.exit). */
export function createProgram(io: CliIo, host: CliHost): Command {
  const program = new Command('centrala')
    .description('Centrala: a hosted virtual PBX. The operator CLI works on the store directly (see docs/configuration.md).')
    .version(host.version)
    .exitOverride()
    .configureOutput({
      writeOut: (text) => io.stdout(text),
      writeErr: (text) => io.stderr(text),
      outputError: () => undefined,
    })
    .showSuggestionAfterError(true)
    .allowExcessArguments(false);
  program.addCommand(startCommand(io, host.serve));
  program.addCommand(tenantCommand(io));
  program.addCommand(numberCommand(io));
  program.addCommand(extensionCommand(io, host.extensionInput));
  program.addCommand(priceListCommand(io));
  program.addCommand(callCommand(io));
  program.addCommand(tokenCommand(io));
  program.addCommand(blockCommand(io));
  inheritSettings(program);
  return program;
}

/** addCommand() does not pass output, exitOverride and parsing settings down; copy them to every subcommand. */
function inheritSettings(parent: Command): void {
  for (const child of parent.commands) {
    child.copyInheritedSettings(parent);
    inheritSettings(child);
  }
}
