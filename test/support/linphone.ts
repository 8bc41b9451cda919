/**
 * Runs linphonec (Linphone 5.1 console, Debian's linphone-cli) as a child process for interop tests: a fresh
 * HOME and configuration per phone (Linphone rewrites both), commands written to its stdin, its console output
 * read back. Audio goes through WAV files (`soundcard use files`, then `play` / `record` in a call).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** One Linphone phone: its account, where the server is and its local ports. */
export interface LinphoneOptions {
  readonly user: string;
  readonly domain: string;
  readonly password: string;
  /** Centrala's SIP port on 127.0.0.1 (UDP). */
  readonly proxyPort: number;
  /** Linphone's own SIP port (UDP) and first RTP port. */
  readonly sipPort: number;
  readonly rtpPort: number;
  /** Answer every incoming call by itself. */
  readonly autoAnswer?: boolean;
}

/** A running linphonec. */
export class LinphoneProcess {
  readonly #child: ChildProcess;
  readonly #home: string;
  #output = '';
  readonly #exited: Promise<number | null>;

  constructor(child: ChildProcess, home: string) {
    this.#child = child;
    this.#home = home;
    child.stdout?.setEncoding('utf8').on('data', (d: string) => (this.#output += d));
    child.stderr?.setEncoding('utf8').on('data', (d: string) => (this.#output += d));
    this.#exited = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
  }

  /** Linphone's console output without the sound card complaints of a machine without one. */
  get output(): string {
    return this.#output
      .split('\n')
      .filter((l) => !/soundcard with capabilities|Could not open .*\.mkv|mkvplayer|Parser opening failed|bctbx_file_open/.test(l))
      .join('\n');
  }

  /** A directory of this phone for its recordings. */
  get home(): string {
    return this.#home;
  }

  /** Types one console command. */
  send(command: string): void {
    this.#child.stdin?.write(`${command}\n`);
  }

  /** Resolves with the first match of `re` in the output printed after `since` (an output length). */
  async waitFor(re: RegExp, timeoutMs = 10_000, since = 0): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const m = re.exec(this.#output.slice(since));
      if (m) return m[0];
      if (Date.now() > deadline) throw new Error(`linphonec never printed ${re}:\n${this.output.slice(-4000)}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  /** How much output there is now (to wait only for what comes next). */
  get mark(): number {
    return this.#output.length;
  }

  /** Polls `status register` until Linphone says it is registered. */
  async registered(timeoutMs = 10_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const since = this.mark;
      this.send('status register');
      const line = await this.waitFor(/registered[,=][^\n]*/, 2000, since).catch(() => '');
      if (line.startsWith('registered, identity=')) return;
      if (Date.now() > deadline) throw new Error(`linphonec did not register:\n${this.output.slice(-4000)}`);
      await new Promise((r) => setTimeout(r, 300));
    }
  }

  /** Quits (Linphone unregisters first), SIGKILL by PID after `graceMs`; removes its HOME. */
  async stop(graceMs = 4000): Promise<void> {
    const pid = this.#child.pid;
    if (pid !== undefined && this.#child.exitCode === null && this.#child.signalCode === null) {
      this.send('quit');
      const killer = setTimeout(() => {
        if (this.#child.exitCode === null) process.kill(pid, 'SIGKILL');
      }, graceMs);
      await this.#exited;
      clearTimeout(killer);
    }
    rmSync(this.#home, { recursive: true, force: true });
  }
}

/** Writes a fresh configuration (UDP only, no video, audio from files) and starts linphonec. */
export function startLinphone(opts: LinphoneOptions): LinphoneProcess {
  const home = mkdtempSync(join(tmpdir(), 'centrala-linphone-'));
  // Linphone keeps its database under $HOME/.local/share/linphone and fails to open it when the folder is missing.
  mkdirSync(join(home, '.local', 'share', 'linphone'), { recursive: true });
  const proxy = `<sip:127.0.0.1:${opts.proxyPort};transport=udp>`;
  const rc = [
    '[sip]',
    `sip_port=${opts.sipPort}`,
    'sip_tcp_port=-1',
    'sip_tls_port=-1',
    'default_proxy=0',
    'register_only_when_network_is_up=0',
    '[net]',
    'ipv6_enabled=0',
    '[rtp]',
    `audio_rtp_port=${opts.rtpPort}`,
    '[video]',
    'capture=0',
    'display=0',
    'automatically_initiate=0',
    'automatically_accept=0',
    '[sound]',
    'echocancellation=0',
    '[proxy_0]',
    `reg_proxy=${proxy}`,
    `reg_route=${proxy}`,
    `reg_identity=sip:${opts.user}@${opts.domain}`,
    'reg_expires=600',
    'reg_sendregister=1',
    'publish=0',
    '[auth_info_0]',
    `username=${opts.user}`,
    `passwd=${opts.password}`,
    `realm=${opts.domain}`,
    `domain=${opts.domain}`,
    '',
  ].join('\n');
  const rcFile = join(home, 'linphonerc');
  writeFileSync(rcFile, rc);
  const child = spawn('linphonec', ['-c', rcFile], {
    cwd: home,
    env: { ...process.env, HOME: home },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const phone = new LinphoneProcess(child, home);
  phone.send('soundcard use files');
  if (opts.autoAnswer) phone.send('autoanswer enable');
  return phone;
}
