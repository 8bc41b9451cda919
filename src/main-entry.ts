// Runs the CLI as a process from source (`node --import tsx src/main-entry.ts …`); bin/centrala.js does the same
// with the build.
import { runCli } from './main.js';

process.exitCode = await runCli(process.argv.slice(2));
