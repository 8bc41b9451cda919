/** What both load benchmarks share: their command-line options, CPU time from /proc, percentiles. */
import { readFileSync } from 'node:fs';

/** The value after `--name` on the command line, or `fallback`. */
export function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? (process.argv[i + 1] ?? fallback) : fallback;
}

/** A comma-separated list of numbers (`--rates 40,80`). */
export const numberList = (value: string): number[] => value.split(',').filter((x) => x !== '').map(Number);

/**
 * Node options that make Centrala write a V8 CPU profile (`.cpuprofile`, for Chrome DevTools) into the directory
 * given as `--cpu-prof <dir>` when it stops; none without the option.
 */
export function profileNodeArgs(): { nodeArgs?: string[] } {
  const dir = arg('cpu-prof', '');
  return dir === '' ? {} : { nodeArgs: ['--cpu-prof', `--cpu-prof-dir=${dir}`] };
}

/** utime + stime of a process in seconds (Linux /proc). */
export function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

/** The `p`-th percentile of ascending `sorted` values (NaN when empty). */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}
