export { runCli } from './run-cli.js';
export { createProgram } from './create-program.js';
export { processIo, type CliIo } from './cli-io.js';
export { CliError } from './cli-error.js';
export type { CliHost } from './cli-host.js';
