/**
 * A failure the CLI reports as one line on stderr. `usage` errors (a wrong command line) exit with 2, the
 * others with 1.
 */
export class CliError extends Error {
  override readonly name = 'CliError';
  readonly exitCode: 1 | 2;

  constructor(message: string, exitCode: 1 | 2 = 1) {
    super(message);
    this.exitCode = exitCode;
  }
}
