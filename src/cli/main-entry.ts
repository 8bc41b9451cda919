// Runs the CLI as a process from source (`node --import tsx src/cli/main-entry.ts …`); bin/centrala.js does
// the same with the build.
import { runCli } from './index.js';

process.exitCode = await runCli(process.argv.slice(2));
