import { CommanderError } from 'commander';
import { ConfigError } from '../config/index.js';
import { isDomainError } from '../domain/index.js';
import { CliError } from './cli-error.js';
import type { CliHost } from './cli-host.js';
import { processIo, type CliIo } from './cli-io.js';
import { createProgram } from './create-program.js';

/**
 * Runs the `centrala` command line and returns the exit code: 0 on success, 1 when the command failed (one
 * line on stderr), 2 for a wrong command line (usage). `argv` is without `node` and the script path; `host` is what
 * `src/main.ts` wires in.
 */
export async function runCli(argv: string[], host: CliHost, io: CliIo = processIo()): Promise<number> {
  const program = createProgram(io, host);
  try {
    await program.parseAsync(argv, { from: 'user' });
    return 0;
  } catch (err) {
    return report(io, err);
  }
}

function report(io: CliIo, err: unknown): number {
  if (err instanceof CommanderError) {
    if (err.exitCode === 0) return 0; // --help, --version
    io.stderr(`${oneLine(err.message)}\n`);
    return 2;
  }
  if (err instanceof CliError) {
    io.stderr(`centrala: ${oneLine(err.message)}\n`);
    return err.exitCode;
  }
  if (err instanceof ConfigError) {
    io.stderr(`centrala: ${err.message}\n`);
    return 1;
  }
  if (isDomainError(err)) {
    const field = err.field ? ` (field ${err.field})` : '';
    io.stderr(`centrala: ${err.code}: ${oneLine(err.messages.en)}${field}\n`);
    return 1;
  }
  io.stderr(`centrala: ${oneLine(err instanceof Error ? err.message : String(err))}\n`);
  return 1;
}

function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, ' ').trim();
}
