/**
 * Runs sipp (3.6.1) as a child process with a scenario from test/fixtures/sipp/, a CSV of users and a
 * bounded number of calls, and returns what happened. sipp exits by itself (-m, -timeout); the
 * runner kills it by PID if it overstays.
 */
import { spawn } from 'node:child_process';
import dgram from 'node:dgram';
import net from 'node:net';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, isAbsolute } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Directory of the sipp scenarios. */
export const SIPP_SCENARIOS = fileURLToPath(new URL('../fixtures/sipp/', import.meta.url));

/** One line of the injection CSV: fields 0–3 of every scenario (3 = the [authentication] keyword). */
export interface SippUser {
  readonly user: string;
  readonly domain: string;
  readonly password: string;
}

/** Options of {@link runSipp}. */
export interface SippOptions {
  /** Scenario file name in test/fixtures/sipp/ or an absolute path. */
  readonly scenario: string;
  readonly host: string;
  readonly port: number;
  readonly transport?: 'udp' | 'tcp' | 'tls';
  readonly users: readonly SippUser[];
  /** `-key name value` pairs ([expires] …). */
  readonly keys?: Readonly<Record<string, string>>;
  /** Total calls (-m); default 1. */
  readonly calls?: number;
  /** Calls per second (-r); default 10. */
  readonly rate?: number;
  /** Max simultaneous calls (-l). */
  readonly limit?: number;
  /** Kill after this many ms; default 20 s. */
  readonly timeoutMs?: number;
  /** Keep the message trace (-trace_msg). */
  readonly traceMessages?: boolean;
  /** Write response times (-trace_rtt). */
  readonly traceRtt?: boolean;
  readonly extraArgs?: readonly string[];
}

/** What a sipp run produced. */
export interface SippResult {
  /** 0: every call succeeded; 1: some failed; other: sipp error (see stderr). */
  readonly exitCode: number | null;
  readonly successful: number;
  readonly failed: number;
  /** The message trace (when asked). */
  readonly messages: string;
  /** The response-time trace CSV (when asked). */
  readonly rtt: string;
  /** The last statistics CSV line as a record. */
  readonly stats: Record<string, string>;
  readonly stderr: string;
  readonly errors: string;
  readonly elapsedMs: number;
}

function parseStats(csv: string): Record<string, string> {
  const lines = csv.split('\n').filter((l) => l.trim() !== '');
  if (lines.length < 2) return {};
  const head = (lines[0] ?? '').split(';');
  const last = (lines[lines.length - 1] ?? '').split(';');
  const out: Record<string, string> = {};
  head.forEach((h, i) => {
    if (h) out[h] = last[i] ?? '';
  });
  return out;
}

/** A port free for UDP and TCP on 127.0.0.1 (sipp's -p 0 puts a wrong [local_port] in its messages). */
async function freeLocalPort(): Promise<number> {
  for (;;) {
    const server = net.createServer();
    const port = await new Promise<number>((resolve) =>
      server.listen(0, '127.0.0.1', () => {
        const a = server.address();
        resolve(typeof a === 'object' && a ? a.port : 0);
      }),
    );
    const udp = dgram.createSocket('udp4');
    const ok = await new Promise<boolean>((resolve) => {
      udp.once('error', () => resolve(false));
      udp.bind(port, '127.0.0.1', () => resolve(true));
    });
    udp.close();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    if (ok) return port;
  }
}

/** Runs one sipp client to completion. */
export async function runSipp(opts: SippOptions): Promise<SippResult> {
  const dir = mkdtempSync(join(tmpdir(), 'centrala-sipp-'));
  try {
    const csv = join(dir, 'users.csv');
    writeFileSync(
      csv,
      ['SEQUENTIAL', ...opts.users.map((u) => `${u.user};${u.domain};${u.password};[authentication username=${u.user} password=${u.password}]`)].join('\n') + '\n',
    );
    const scenario = isAbsolute(opts.scenario) ? opts.scenario : join(SIPP_SCENARIOS, opts.scenario);
    const transport = opts.transport ?? 'udp';
    const domain = opts.users[0]?.domain ?? '127.0.0.1';
    const args = [
      '-sf', scenario,
      '-inf', csv,
      '-m', String(opts.calls ?? 1),
      '-r', String(opts.rate ?? 10),
      '-i', '127.0.0.1',
      '-p', String(await freeLocalPort()),
      '-t', transport === 'udp' ? 'u1' : transport === 'tcp' ? 't1' : 'l1',
      '-auth_uri', `sip:${domain}`,
      '-nostdin',
      '-timeout', `${Math.ceil((opts.timeoutMs ?? 20_000) / 1000)}s`,
      '-trace_stat', '-stf', join(dir, 'stat.csv'), '-fd', '1',
      '-trace_err', '-error_file', join(dir, 'errors.log'),
      '-trace_screen', '-screen_file', join(dir, 'screen.log'),
    ];
    if (opts.limit !== undefined) args.push('-l', String(opts.limit));
    if (opts.traceMessages) args.push('-trace_msg', '-message_file', join(dir, 'messages.log'));
    if (opts.traceRtt) args.push('-trace_rtt', '-rtt_freq', '1');
    for (const [k, v] of Object.entries(opts.keys ?? {})) args.push('-key', k, v);
    args.push(...(opts.extraArgs ?? []), `${opts.host}:${opts.port}`);

    const started = Date.now();
    const child = spawn('sipp', args, { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const killer = setTimeout(() => {
      if (child.pid !== undefined) process.kill(child.pid, 'SIGKILL');
    }, (opts.timeoutMs ?? 20_000) + 5_000);
    const exitCode = await new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
    clearTimeout(killer);
    const elapsedMs = Date.now() - started;
    const read = (p: string): string => (existsSync(p) ? readFileSync(p, 'utf8') : '');
    const rttFile = readdirSync(dir).find((f) => f.endsWith('_rtt.csv'));
    const stats = parseStats(read(join(dir, 'stat.csv')));
    return {
      exitCode,
      successful: Number(stats['SuccessfulCall(C)'] ?? 0),
      failed: Number(stats['FailedCall(C)'] ?? 0),
      messages: read(join(dir, 'messages.log')),
      rtt: rttFile ? read(join(dir, rttFile)) : '',
      stats,
      stderr,
      errors: read(join(dir, 'errors.log')),
      elapsedMs,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
