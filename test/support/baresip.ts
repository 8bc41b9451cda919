/**
 * Runs baresip (1.0.0) non-interactively against a running Centrala: a config directory in a temp
 * dir (`-f`), one account, no audio device, and `-t` so it quits by itself. The runner also stops it
 * by PID. baresip unregisters (Expires: 0) when it quits normally.
 *
 * For calls with real audio ({@link BaresipOptions.audio}): the `aufile` module plays a WAV file as
 * the microphone, the `sndfile` filter records each call to `<recordDir>/dump-<time>-enc.wav` (what it
 * sent) and `…-dec.wav` (what it heard, decoded), `g711` is the codec, and media binds to 127.0.0.1
 * (`net_interface`). Calls are placed and ended through the `ctrl_tcp` module
 * ({@link BaresipOptions.controlPort}): netstring-framed JSON commands (`dial`, `hangup`) and events
 * (`CALL_ESTABLISHED`, `CALL_CLOSED` …).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Audio of a call: what baresip plays and where it records. */
export interface BaresipAudioOptions {
  /** WAV played as the microphone: 8 kHz, 16-bit, mono (aufile's requirement with G.711). */
  readonly sourceWav: string;
  /** Directory where the sndfile filter writes `dump-<time>-enc.wav` and `dump-<time>-dec.wav` per call. */
  readonly recordDir: string;
}

/** Options of {@link startBaresip}. */
export interface BaresipOptions {
  readonly user: string;
  readonly domain: string;
  readonly password: string;
  readonly transport: 'udp' | 'tcp' | 'tls';
  /** Centrala's port for that transport; without it baresip uses no proxy and does not register (peer to peer). */
  readonly proxyPort?: number;
  /** Registration interval (Expires asked for), default 600. */
  readonly regint?: number;
  /** baresip quits by itself after this many seconds (default 20). */
  readonly quitAfterSec?: number;
  /** CA file to verify the server with (TLS). */
  readonly caFile?: string;
  /** SIP listen address (default `127.0.0.1:0`); TLS takes the next port when a port is given. */
  readonly sipListen?: string;
  /** Play and record audio in calls (see the file comment). */
  readonly audio?: BaresipAudioOptions;
  /** Audio codecs offered and accepted, in order (default: every loaded codec, i.e. PCMU and PCMA). */
  readonly audioCodecs?: readonly ('PCMU' | 'PCMA')[];
  /** Answer incoming calls by itself (account `answermode=auto`). */
  readonly autoAnswer?: boolean;
  /** Local RTP port range [min, max] (`rtp_ports`), e.g. to tell relayed media from direct media. */
  readonly rtpPorts?: readonly [number, number];
  /** Load ctrl_tcp listening on this 127.0.0.1 port, for {@link BaresipProcess.command} and events. */
  readonly controlPort?: number;
}

/** One event baresip's ctrl_tcp reported (`type` e.g. CALL_ESTABLISHED, CALL_CLOSED). */
export interface BaresipEvent {
  readonly type: string;
  readonly class?: string;
  readonly param?: string;
  readonly peeruri?: string;
  readonly accountaor?: string;
  readonly direction?: string;
  /** When the runner received it (Date.now()). */
  readonly at: number;
}

/** A command's answer from ctrl_tcp. */
export interface BaresipResponse {
  readonly ok: boolean;
  readonly data: string;
}

/** A running baresip. */
export class BaresipProcess {
  readonly #child: ChildProcess;
  readonly #dir: string;
  readonly #controlPort: number | undefined;
  #output = '';
  readonly #exited: Promise<number | null>;
  #control: net.Socket | undefined;
  #controlBuffer = Buffer.alloc(0);
  readonly #events: BaresipEvent[] = [];
  readonly #responses = new Map<string, BaresipResponse>();
  #nextToken = 1;

  constructor(child: ChildProcess, dir: string, controlPort?: number) {
    this.#child = child;
    this.#dir = dir;
    this.#controlPort = controlPort;
    child.stdout?.setEncoding('utf8').on('data', (d: string) => (this.#output += d));
    child.stderr?.setEncoding('utf8').on('data', (d: string) => (this.#output += d));
    this.#exited = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
  }

  /** PID of the child. */
  get pid(): number | undefined {
    return this.#child.pid;
  }

  /** Everything baresip printed (the periodic `[0:00:03] audio=…` status line removed). */
  get output(): string {
    return this.#output.replace(/\[\d+:\d\d:\d\d\] audio=\d+\/\d+ \(bit\/s\)\s*/g, '');
  }

  /** The ctrl_tcp events received so far. */
  get events(): readonly BaresipEvent[] {
    return this.#events;
  }

  /** Where the last call's incoming audio RTP came from (baresip prints it when the first packet arrives). */
  rtpSource(): { address: string; port: number } | undefined {
    const all = [...this.#output.matchAll(/incoming rtp for 'audio' established, receiving from ([\d.]+):(\d+)/g)];
    const last = all.at(-1);
    return last ? { address: last[1] ?? '', port: Number(last[2]) } : undefined;
  }

  /** Resolves when baresip prints a line matching `re`, or rejects after `timeoutMs`. */
  async waitFor(re: RegExp, timeoutMs = 10_000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const m = re.exec(this.#output);
      if (m) return m[0];
      if (Date.now() > deadline) throw new Error(`baresip never printed ${re}:\n${this.output}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  /**
   * Resolves once baresip printed "baresip is ready." and, with a control port, ctrl_tcp accepted the
   * runner's connection (events are only reported to a connected client, so call this before a call).
   */
  async ready(timeoutMs = 10_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    await this.waitFor(/baresip is ready\./, timeoutMs);
    if (this.#controlPort !== undefined) await this.#connectControl(Math.max(0, deadline - Date.now()));
  }

  /**
   * Resolves with the first ctrl_tcp event of `type` received since {@link ready}; rejects after
   * `timeoutMs`, or at once when an event of a type in `failOn` comes first (e.g. CALL_CLOSED while
   * waiting for CALL_ESTABLISHED). The error lists the events; {@link output} has the rest.
   */
  async waitForEvent(type: string, timeoutMs = 10_000, failOn: readonly string[] = []): Promise<BaresipEvent> {
    await this.#connectControl(timeoutMs);
    const deadline = Date.now() + timeoutMs;
    const list = (): string => this.#events.map((e) => `${e.type}(${e.param ?? ''})`).join(', ');
    for (;;) {
      const event = this.#events.find((e) => e.type === type || failOn.includes(e.type));
      if (event?.type === type) return event;
      if (event) throw new Error(`baresip reported ${event.type} (${event.param ?? ''}) before ${type}; events: ${list()}`);
      if (Date.now() > deadline) throw new Error(`baresip never reported ${type} within ${timeoutMs} ms; events: ${list()}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  /** Sends a ctrl_tcp command (e.g. `dial`, `sip:101@acme.test`; `hangup`) and resolves with its response. */
  async command(name: string, params = '', timeoutMs = 5000): Promise<BaresipResponse> {
    const socket = await this.#connectControl(timeoutMs);
    const token = String(this.#nextToken++);
    const json = Buffer.from(JSON.stringify({ command: name, params, token }), 'utf8');
    socket.write(Buffer.concat([Buffer.from(`${json.length}:`, 'latin1'), json, Buffer.from(',', 'latin1')]));
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const response = this.#responses.get(token);
      if (response) return response;
      if (Date.now() > deadline) throw new Error(`baresip did not answer command ${name}:\n${this.output}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  /** Connects to ctrl_tcp (retrying while baresip starts); later calls reuse the connection. */
  async #connectControl(timeoutMs: number): Promise<net.Socket> {
    if (this.#control) return this.#control;
    const port = this.#controlPort;
    if (port === undefined) throw new Error('baresip was started without controlPort');
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const socket = await new Promise<net.Socket | undefined>((resolve) => {
        const s = net.connect(port, '127.0.0.1');
        s.once('connect', () => resolve(s));
        s.once('error', () => {
          s.destroy();
          resolve(undefined);
        });
      });
      if (socket) {
        socket.on('data', (d: Buffer) => this.#onControlData(d));
        socket.on('error', () => undefined);
        this.#control = socket;
        return socket;
      }
      if (Date.now() > deadline) throw new Error(`baresip ctrl_tcp on port ${port} never accepted:\n${this.output}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  /** Splits netstrings (`<length>:<json>,`) and files events and responses. */
  #onControlData(data: Buffer): void {
    this.#controlBuffer = Buffer.concat([this.#controlBuffer, data]);
    for (;;) {
      const colon = this.#controlBuffer.indexOf(0x3a);
      if (colon < 0) return;
      const length = Number(this.#controlBuffer.toString('latin1', 0, colon));
      if (this.#controlBuffer.length < colon + 1 + length + 1) return;
      const text = this.#controlBuffer.toString('utf8', colon + 1, colon + 1 + length);
      this.#controlBuffer = this.#controlBuffer.subarray(colon + 1 + length + 1);
      let message: Record<string, unknown>;
      try {
        message = JSON.parse(text) as Record<string, unknown>;
      } catch {
        continue;
      }
      const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
      if (message.event === true) {
        this.#events.push({
          type: str(message.type) ?? '',
          class: str(message.class),
          param: str(message.param),
          peeruri: str(message.peeruri),
          accountaor: str(message.accountaor),
          direction: str(message.direction),
          at: Date.now(),
        });
      } else if (message.response === true) {
        this.#responses.set(str(message.token) ?? '', { ok: message.ok === true, data: str(message.data) ?? '' });
      }
    }
  }

  /** Asks baresip to quit (SIGTERM: it unregisters first), SIGKILL after `graceMs`; removes its config. */
  async stop(graceMs = 4000): Promise<void> {
    this.#control?.destroy();
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

/** The recording sndfile wrote in `recordDir` for the last call: `dec` = heard, `enc` = sent; undefined when none. */
export function baresipRecording(recordDir: string, direction: 'dec' | 'enc'): string | undefined {
  const files = readdirSync(recordDir)
    .filter((f) => f.startsWith('dump-') && f.endsWith(`-${direction}.wav`))
    .sort();
  const last = files.at(-1);
  return last === undefined ? undefined : join(recordDir, last);
}

/** Writes the config and starts baresip. */
export function startBaresip(opts: BaresipOptions): BaresipProcess {
  const dir = mkdtempSync(join(tmpdir(), 'centrala-baresip-'));
  const audio = opts.audio;
  const config = [
    'module_path /usr/lib/baresip/modules',
    `sip_listen ${opts.sipListen ?? '127.0.0.1:0'}`,
    ...(opts.caFile ? [`sip_cafile ${opts.caFile}`] : []),
    // Codecs and the audio modules load before the account, or its audio_codecs list finds nothing.
    'module g711.so',
    ...(audio ? ['module aufile.so', 'module sndfile.so', `snd_path ${audio.recordDir}`, 'net_interface 127.0.0.1'] : []),
    'module account.so',
    ...(opts.rtpPorts ? [`rtp_ports ${opts.rtpPorts[0]}-${opts.rtpPorts[1]}`] : []),
    ...(opts.controlPort !== undefined
      ? ['module menu.so', 'module ctrl_tcp.so', `ctrl_tcp_listen 127.0.0.1:${opts.controlPort}`]
      : []),
    'audio_player none',
    audio ? `audio_source aufile,${audio.sourceWav}` : 'audio_source none',
    'audio_alert none',
    '',
  ].join('\n');
  writeFileSync(join(dir, 'config'), config);
  const t = opts.transport;
  const params = [
    `auth_pass=${opts.password}`,
    ...(opts.proxyPort !== undefined
      ? [`outbound="sip:127.0.0.1:${opts.proxyPort};transport=${t}"`, `regint=${opts.regint ?? 600}`]
      : ['regint=0']),
    ...(opts.audioCodecs ? [`audio_codecs=${opts.audioCodecs.join(',')}`] : []),
    ...(opts.autoAnswer ? ['answermode=auto'] : []),
  ];
  writeFileSync(join(dir, 'accounts'), `<sip:${opts.user}@${opts.domain};transport=${t}>;${params.join(';')}\n`);
  const child = spawn('baresip', ['-f', dir, '-t', String(opts.quitAfterSec ?? 20)], {
    cwd: dir,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return new BaresipProcess(child, dir, opts.controlPort);
}
