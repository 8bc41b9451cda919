/** Where the CLI reads its environment and writes its output (injectable so tests run it in-process). */
export interface CliIo {
  /** Writes to standard output (command results; with --json, one JSON document). */
  readonly stdout: (text: string) => void;
  /** Writes to standard error (errors, one line each). */
  readonly stderr: (text: string) => void;
  /** Environment variables (CENTRALA_*, DATABASE_URL). */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Working directory relative paths are resolved against. */
  readonly cwd: string;
}

/** The real process: stdout, stderr, process.env and the working directory. */
export function processIo(): CliIo {
  return {
    stdout: (text) => void process.stdout.write(text),
    stderr: (text) => void process.stderr.write(text),
    env: process.env,
    cwd: process.cwd(),
  };
}

/** Writes `value` as pretty JSON followed by a newline. */
export function printJson(io: CliIo, value: unknown): void {
  io.stdout(`${JSON.stringify(value, null, 2)}\n`);
}
