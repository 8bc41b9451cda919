/**
 * Runs baresip (1.0.0) non-interactively against a running Centrala: a config directory in a temp
 * dir (`-f`), one account, no audio device, and `-t` so it quits by itself. The runner also stops it
 * by PID. baresip unregisters (Expires: 0) when it quits normally.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Options of {@link startBaresip}. */
export interface BaresipOptions {
  readonly user: string;
  readonly domain: string;
  readonly password: string;
  readonly transport: 'udp' | 'tcp' | 'tls';
  /** Centrala's address for that transport. */
  readonly proxyPort: number;
  /** Registration interval (Expires asked for), default 600. */
  readonly regint?: number;
  /** baresip quits by itself after this many seconds (default 20). */
  readonly quitAfterSec?: number;
  /** CA file to verify the server with (TLS). */
  readonly caFile?: string;
}

/** A running baresip. */
export class BaresipProcess {
  readonly #child: ChildProcess;
  readonly #dir: string;
  #output = '';
  readonly #exited: Promise<number | null>;

  constructor(child: ChildProcess, dir: string) {
    this.#child = child;
    this.#dir = dir;
    child.stdout?.setEncoding('utf8').on('data', (d: string) => (this.#output += d));
    child.stderr?.setEncoding('utf8').on('data', (d: string) => (this.#output += d));
    this.#exited = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
  }

  /** Everything baresip printed. */
  get output(): string {
    return this.#output;
  }

  /** Resolves when baresip prints a line matching `re`, or rejects after `timeoutMs`. */
  async waitFor(re: RegExp, timeoutMs = 10_000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const m = re.exec(this.#output);
      if (m) return m[0];
      if (Date.now() > deadline) throw new Error(`baresip never printed ${re}:\n${this.#output}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  /** Asks baresip to quit (SIGTERM: it unregisters first), SIGKILL after `graceMs`; removes its config. */
  async stop(graceMs = 4000): Promise<void> {
    const pid = this.#child.pid;
    if (pid !== undefined && this.#child.exitCode === null && this.#child.signalCode === null) {
      process.kill(pid, 'SIGTERM');
      const killer = setTimeout(() => {
        if (this.#child.exitCode === null) process.kill(pid, 'SIGKILL');
      }, graceMs);
      await this.#exited;
      clearTimeout(killer);
    }
    rmSync(this.#dir, { recursive: true, force: true });
  }
}

/** Writes the config and starts baresip. */
export function startBaresip(opts: BaresipOptions): BaresipProcess {
  const dir = mkdtempSync(join(tmpdir(), 'centrala-baresip-'));
  const config = [
    'module_path /usr/lib/baresip/modules',
    'sip_listen 127.0.0.1:0',
    ...(opts.caFile ? [`sip_cafile ${opts.caFile}`] : []),
    'module account.so',
    'module g711.so',
    'audio_player none',
    'audio_source none',
    'audio_alert none',
    '',
  ].join('\n');
  writeFileSync(join(dir, 'config'), config);
  const t = opts.transport;
  const account =
    `<sip:${opts.user}@${opts.domain};transport=${t}>;auth_pass=${opts.password};` +
    `outbound="sip:127.0.0.1:${opts.proxyPort};transport=${t}";regint=${opts.regint ?? 600}\n`;
  writeFileSync(join(dir, 'accounts'), account);
  const child = spawn('baresip', ['-f', dir, '-t', String(opts.quitAfterSec ?? 20)], {
    cwd: dir,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return new BaresipProcess(child, dir);
}
