/**
 * Runs sipp (3.6.1) as a child process with a scenario from test/fixtures/sipp/, a CSV of users and a
 * bounded number of calls, and returns what happened. sipp exits by itself (-m, -timeout); the
 * runner kills it by PID if it overstays. {@link startSipp} runs one in the background (a callee
 * device in server mode) and resolves once its SIP port is bound.
 */
import { spawn } from 'node:child_process';
import { isIP } from 'node:net';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, isAbsolute } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from './centrala-process.js';

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
  /** Remote address; left out for a server-mode (UAS) scenario, which answers whoever sends to it. */
  readonly host?: string;
  readonly port?: number;
  readonly transport?: 'udp' | 'tcp' | 'tls';
  /** Injection CSV lines; may be empty for a scenario that reads no [fieldN]. */
  readonly users: readonly SippUser[];
  /** Bind to ::1 instead of 127.0.0.1 (default: when `host` is an IPv6 literal); for a server-mode device. */
  readonly ipv6?: boolean;
  /** Local IPv4 address to send from (-i), e.g. another loopback address; default 127.0.0.1. */
  readonly localAddress?: string;
  /** Local SIP port (-p); a free one by default. A device registers and then answers calls from the same port. */
  readonly localPort?: number;
  /**
   * The digest-uri for [authentication] (-auth_uri; sipp 3.6.1 writes `sip:` before it), e.g. `101@acme.test`
   * for an INVITE to sip:101@acme.test. Default, kept from the REGISTER scenarios: `sip:<domain of the first
   * user>`, which sipp sends as uri="sip:sip:<domain>" (the registrar does not compare it with the Request-URI).
   */
  readonly authUri?: string;
  /** The Call-ID format (-cid_str: %u call number, %p pid, %s local IP), to find a call in the call history. */
  readonly callIdFormat?: string;
  /** Length of a scenario's bare `<pause/>` in ms (-d). */
  readonly pauseMs?: number;
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
  /** Stops sipp (SIGTERM to its PID) when aborted, e.g. a callee device left waiting at the end of a benchmark. */
  readonly signal?: AbortSignal;
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
  /** The last screen sipp printed (-trace_screen): counters per message, "Peak was N calls". */
  readonly screen: string;
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

/** sipp binds ::1 (and takes the server address in brackets) for an IPv6 server address or when asked to. */
function usesIpv6(opts: SippOptions): boolean {
  return opts.ipv6 ?? isIP(opts.host ?? '') === 6;
}

/**
 * True when something listens on UDP `port` of 127.0.0.1 (or ::1) (Linux /proc/net/udp and udp6, addresses in
 * kernel byte order; no probe socket that could steal the port).
 */
function udpBound(port: number, ipv6: boolean): boolean {
  const hexPort = port.toString(16).toUpperCase().padStart(4, '0');
  const [table, local] = ipv6 ? ['/proc/net/udp6', `00000000000000000000000001000000:${hexPort}`] : ['/proc/net/udp', `0100007F:${hexPort}`];
  if (!existsSync(table)) return false;
  return readFileSync(table, 'utf8').split('\n').some((line) => line.trim().split(/\s+/)[1] === local);
}

/** A sipp started by {@link startSipp}. */
export interface RunningSipp {
  /** The local SIP port it listens on. */
  readonly port: number;
  /** Settles when sipp exits (by itself: -m calls done, or -timeout). */
  readonly result: Promise<SippResult>;
  /** The message trace written so far (sipp flushes it per message; empty without `traceMessages`). */
  trace(): string;
}

/**
 * Starts sipp in the background (typically a callee device in server mode, `-m` calls) and resolves once its
 * SIP port is bound (at most 5 s), so that a call placed next reaches it.
 */
export async function startSipp(opts: SippOptions): Promise<RunningSipp> {
  const port = opts.localPort ?? (await freePort());
  let exited = false;
  let workDir = '';
  const result = launchSipp({ ...opts, localPort: port }, (dir) => (workDir = dir)).finally(() => (exited = true));
  const deadline = Date.now() + 5000;
  while (!exited && !udpBound(port, usesIpv6(opts)) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 25));
  if (exited) {
    const r = await result;
    throw new Error(`sipp ${opts.scenario} exited at start (${String(r.exitCode)}): ${r.stderr}${r.errors}`);
  }
  // sipp binds its SIP socket before it reads the rest of its setup; give it a moment to start its loop.
  await new Promise((r) => setTimeout(r, 100));
  const trace = (): string => {
    try {
      return workDir === '' ? '' : readFileSync(join(workDir, 'messages.log'), 'utf8');
    } catch {
      return ''; // not written yet, or sipp has exited and its directory is gone
    }
  };
  return { port, result, trace };
}

/** Runs one sipp client to completion. */
export async function runSipp(opts: SippOptions): Promise<SippResult> {
  return launchSipp(opts);
}

/** Where a sipp device registers: the server, its account and how. */
export interface SippDevice {
  readonly serverPort: number;
  readonly user: SippUser;
  /** Server address (default 127.0.0.1; `::1` registers over IPv6). */
  readonly host?: string;
  readonly transport?: 'udp' | 'tcp';
  readonly expires?: number;
}

/**
 * Registers a sipp device (register-auth.xml, MD5 digest) from a fresh local port and returns that port, on
 * which a server-mode scenario then answers the calls the PBX sends to the device. Throws with sipp's errors
 * when the registration fails.
 */
export async function registerSippDevice(device: SippDevice): Promise<number> {
  const localPort = await freePort();
  const r = await runSipp({
    scenario: 'register-auth.xml',
    host: device.host ?? '127.0.0.1',
    port: device.serverPort,
    transport: device.transport ?? 'udp',
    localPort,
    users: [device.user],
    keys: { expires: String(device.expires ?? 600) },
    timeoutMs: 5000,
  });
  if (r.exitCode !== 0) throw new Error(`sipp registration of ${device.user.user} failed (exit ${String(r.exitCode)}): ${r.stderr}${r.errors}`);
  return localPort;
}

async function launchSipp(opts: SippOptions, onWorkDir?: (dir: string) => void): Promise<SippResult> {
  const dir = mkdtempSync(join(tmpdir(), 'centrala-sipp-'));
  onWorkDir?.(dir);
  try {
    const scenario = isAbsolute(opts.scenario) ? opts.scenario : join(SIPP_SCENARIOS, opts.scenario);
    const transport = opts.transport ?? 'udp';
    const ipv6 = usesIpv6(opts);
    const args = [
      '-sf', scenario,
      '-m', String(opts.calls ?? 1),
      '-r', String(opts.rate ?? 10),
      '-i', ipv6 ? '::1' : (opts.localAddress ?? '127.0.0.1'),
      '-p', String(opts.localPort ?? (await freePort())),
      '-t', transport === 'udp' ? 'u1' : transport === 'tcp' ? 't1' : 'l1',
      '-nostdin',
      '-timeout', `${Math.ceil((opts.timeoutMs ?? 20_000) / 1000)}s`,
      '-trace_stat', '-stf', join(dir, 'stat.csv'), '-fd', '1',
      '-trace_err', '-error_file', join(dir, 'errors.log'),
      '-trace_screen', '-screen_file', join(dir, 'screen.log'),
    ];
    if (opts.users.length > 0) {
      const csv = join(dir, 'users.csv');
      writeFileSync(
        csv,
        ['SEQUENTIAL', ...opts.users.map((u) => `${u.user};${u.domain};${u.password};[authentication username=${u.user} password=${u.password}]`)].join('\n') + '\n',
      );
      args.push('-inf', csv, '-auth_uri', opts.authUri ?? `sip:${opts.users[0]?.domain ?? '127.0.0.1'}`);
    }
    if (opts.callIdFormat !== undefined) args.push('-cid_str', opts.callIdFormat);
    if (opts.pauseMs !== undefined) args.push('-d', String(opts.pauseMs));
    if (opts.limit !== undefined) args.push('-l', String(opts.limit));
    if (opts.traceMessages) args.push('-trace_msg', '-message_file', join(dir, 'messages.log'));
    if (opts.traceRtt) args.push('-trace_rtt', '-rtt_freq', '1');
    for (const [k, v] of Object.entries(opts.keys ?? {})) args.push('-key', k, v);
    args.push(...(opts.extraArgs ?? []));
    if (opts.host !== undefined) args.push(`${ipv6 ? `[${opts.host}]` : opts.host}:${opts.port ?? 5060}`);

    const started = Date.now();
    const child = spawn('sipp', args, { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const killer = setTimeout(() => {
      if (child.pid !== undefined) process.kill(child.pid, 'SIGKILL');
    }, (opts.timeoutMs ?? 20_000) + 5_000);
    const abort = (): void => {
      if (child.pid !== undefined && child.exitCode === null && child.signalCode === null) process.kill(child.pid, 'SIGTERM');
    };
    if (opts.signal?.aborted) abort();
    opts.signal?.addEventListener('abort', abort, { once: true });
    const exitCode = await new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
    clearTimeout(killer);
    opts.signal?.removeEventListener('abort', abort);
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
      screen: read(join(dir, 'screen.log')),
      stats,
      stderr,
      errors: read(join(dir, 'errors.log')),
      elapsedMs,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** One message of a sipp message trace (-trace_msg). */
export interface TracedMessage {
  /** When sipp logged it, ms (local clock; only differences are meaningful). */
  readonly at: number;
  readonly direction: 'sent' | 'received';
  /** The SIP message, start line first. */
  readonly text: string;
}

/** Splits a sipp -trace_msg log into its messages, in order. */
export function tracedMessages(log: string): TracedMessage[] {
  const out: TracedMessage[] = [];
  const blocks = log.split(/^-{10,} (\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d+)\s*$/m);
  // blocks: [preamble, time1, body1, time2, body2, …]
  for (let i = 1; i + 1 < blocks.length; i += 2) {
    const time = blocks[i] ?? '';
    const body = blocks[i + 1] ?? '';
    const head = /^\s*(?:UDP|TCP|TLS)? ?message (sent|received)[^\n]*\n/i.exec(body);
    if (!head) continue;
    const [date, clock] = time.split(' ');
    const at = Date.parse(`${date ?? ''}T${(clock ?? '').slice(0, 12)}`);
    out.push({ at, direction: head[1] === 'sent' ? 'sent' : 'received', text: body.slice(head[0].length).trim() });
  }
  return out;
}

/** The requests of `method` (or responses with status `method` when a number) a trace shows in `direction`. */
export function tracedWith(log: string, direction: TracedMessage['direction'], method: string | number): TracedMessage[] {
  const start = typeof method === 'number' ? `SIP/2.0 ${method} ` : `${method} `;
  return tracedMessages(log).filter((m) => m.direction === direction && m.text.startsWith(start));
}
