/**
 * Starts Centrala as a real child process (`node --import tsx bin entry start …`) on free ports of
 * 127.0.0.1 with a temporary data directory, seeds tenants/extensions straight into its store
 * through the services (as the CLI does), and stops it by PID.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import dgram from 'node:dgram';
import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ExtensionForwarding, ExtensionGeneral, ExtensionPatch, ForwardTarget } from '../../src/domain/index.js';
import { openServices } from '../../src/services/index.js';
import { statusOf, token, udpExchange } from './sip-udp-client.js';

/** Repository root. */
export const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** The CLI entry the child runs (`centrala start`), through tsx so no build is needed. */
export const CLI_ENTRY = join(ROOT, 'src/main-entry.ts');

/** A port that is free for both UDP and TCP on 127.0.0.1 right now. */
export async function freePort(): Promise<number> {
  for (let attempt = 0; attempt < 20; attempt++) {
    const server = net.createServer();
    const port = await new Promise<number>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => {
        const a = server.address();
        resolve(typeof a === 'object' && a ? a.port : 0);
      });
    });
    const udp = dgram.createSocket('udp4');
    const udpOk = await new Promise<boolean>((resolve) => {
      udp.once('error', () => resolve(false));
      udp.bind(port, '127.0.0.1', () => resolve(true));
    });
    udp.close();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    if (udpOk) return port;
  }
  throw new Error('no free port');
}

/** Forwarding rules of a seeded extension (SPEC 2.4): the target extension number per condition. */
export interface SeedForwarding {
  readonly noAnswer?: string;
  readonly busy?: string;
  readonly unavailable?: string;
  /** "Return after" in seconds (5–300). */
  readonly returnAfterSeconds?: number;
}

/** One extension to seed; the call settings left out keep their defaults (ring time 30 s, call waiting on, no forwarding). */
export interface SeedExtension {
  readonly number: string;
  readonly password: string;
  readonly name?: string;
  /** Ring time in seconds (5–300). */
  readonly ringTimeSeconds?: number;
  readonly callWaiting?: boolean;
  readonly forwarding?: SeedForwarding;
}

function forwardingPatch(f: SeedForwarding): Partial<ExtensionForwarding> {
  const target = (number: string): ForwardTarget => ({ kind: 'extension', number });
  return {
    ...(f.noAnswer !== undefined ? { noAnswer: target(f.noAnswer) } : {}),
    ...(f.busy !== undefined ? { busy: target(f.busy) } : {}),
    ...(f.unavailable !== undefined ? { unavailable: target(f.unavailable) } : {}),
    ...(f.returnAfterSeconds !== undefined ? { returnAfterSeconds: f.returnAfterSeconds } : {}),
  };
}

/** The settings patch of a seeded extension, or undefined when it keeps every default. */
function settingsPatch(e: SeedExtension): ExtensionPatch | undefined {
  const general: Partial<ExtensionGeneral> = {
    ...(e.ringTimeSeconds !== undefined ? { ringTimeSeconds: e.ringTimeSeconds } : {}),
    ...(e.callWaiting !== undefined ? { callWaiting: e.callWaiting } : {}),
  };
  const patch: ExtensionPatch = {
    ...(Object.keys(general).length > 0 ? { general } : {}),
    ...(e.forwarding !== undefined ? { forwarding: forwardingPatch(e.forwarding) } : {}),
  };
  return Object.keys(patch).length > 0 ? patch : undefined;
}

/** One device as the API lists it (the fields the tests read). */
export interface DeviceJson {
  readonly contact: string;
  readonly userAgent: string | null;
  readonly sourceAddress: string;
  readonly sourcePort: number;
  readonly transport: string;
  readonly expiresAt: string;
  readonly expiresInSeconds: number;
  readonly instanceId: string | null;
}

/** What {@link seedTenant} created. */
export interface SeededTenant {
  readonly tenantId: string;
  readonly sipDomain: string;
  /** number → extension id */
  readonly extensionIds: ReadonlyMap<string, string>;
}

/** Where a seeded store lives: the data directory of a SQLite store, or a PostgreSQL `url` (and a data directory). */
export type SeedStore = string | { readonly dataDir: string; readonly url?: string };

function storeOptions(store: SeedStore): { dataDir: string; url?: string } {
  return typeof store === 'string' ? { dataDir: store } : { ...store };
}

/**
 * Creates a tenant with extensions directly in `store` (quote + confirmed create), then applies each extension's
 * call settings with `extensions.update` once all exist (a forward target must exist). These settings are free,
 * so the update needs no quote.
 */
export async function seedTenant(store: SeedStore, sipDomain: string, extensions: readonly SeedExtension[]): Promise<SeededTenant> {
  const opened = await openServices(storeOptions(store));
  try {
    const s = opened.services;
    const tenant = await s.tenants.create({ name: `Tenant ${sipDomain}`, sipDomain });
    const ids = new Map<string, string>();
    for (const e of extensions) {
      const input = { number: e.number, name: e.name ?? `Ext ${e.number}`, password: e.password };
      const quote = await s.quotes.quote(tenant.id, { kind: 'create', input });
      const created = await s.extensions.create(tenant.id, input, { quoteId: quote.id });
      ids.set(e.number, created.extension.id);
    }
    for (const e of extensions) {
      const patch = settingsPatch(e);
      if (patch !== undefined) await s.extensions.update(tenant.id, ids.get(e.number) ?? '', patch);
    }
    return { tenantId: tenant.id, sipDomain, extensionIds: ids };
  } finally {
    await opened.close();
  }
}

/** Creates an operator API token in `store`. */
export async function operatorToken(store: SeedStore): Promise<string> {
  const opened = await openServices(storeOptions(store));
  try {
    return (await opened.services.auth.createOperatorToken('interop')).token;
  } finally {
    await opened.close();
  }
}

/** Ports of a running Centrala. */
export interface CentralaPorts {
  readonly http: number;
  /** UDP and TCP. */
  readonly sip: number;
  readonly tls: number;
  readonly ws: number;
}

/** Options of {@link startCentrala}. */
export interface StartOptions {
  /** Reuse a data directory (restart tests); a fresh temp dir by default. */
  readonly dataDir?: string;
  /** Reuse ports (restart tests). */
  readonly ports?: CentralaPorts;
  readonly tlsCert?: string;
  readonly tlsKey?: string;
  /** Without tlsCert/tlsKey: serve SIP over TLS with the development certificate Centrala makes itself. */
  readonly devTls?: boolean;
  readonly env?: Readonly<Record<string, string>>;
  readonly extraArgs?: readonly string[];
  /** Options for the node process itself (e.g. `--cpu-prof` for a benchmark's profile). */
  readonly nodeArgs?: readonly string[];
  /** Give up waiting for readiness after this many ms (default 90 s: tsx compiles on start). */
  readonly readyTimeoutMs?: number;
}

/** A running Centrala child process. */
export class CentralaProcess {
  readonly #child: ChildProcess;
  readonly #ownsDir: boolean;
  #output = '';
  #exited: Promise<number | null>;

  constructor(child: ChildProcess, readonly dataDir: string, readonly ports: CentralaPorts, ownsDir: boolean) {
    this.#child = child;
    this.#ownsDir = ownsDir;
    child.stdout?.setEncoding('utf8').on('data', (d: string) => (this.#output += d));
    child.stderr?.setEncoding('utf8').on('data', (d: string) => (this.#output += d));
    this.#exited = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
  }

  /** PID of the child. */
  get pid(): number | undefined {
    return this.#child.pid;
  }

  /** Everything the process wrote (logs), for failure messages. */
  get output(): string {
    return this.#output;
  }

  /** Base URL of the HTTP API. */
  get baseUrl(): string {
    return `http://127.0.0.1:${this.ports.http}`;
  }

  /** True once the process exited. */
  exitedCode(): Promise<number | null> {
    return this.#exited;
  }

  /** GET/POST on the API with a bearer token; returns status and parsed JSON. */
  async api(path: string, tokenValue: string, init: { method?: string; body?: unknown } = {}): Promise<{ status: number; body: unknown }> {
    const res = await fetch(`${this.baseUrl}${path}`, {
      method: init.method ?? 'GET',
      headers: {
        authorization: `Bearer ${tokenValue}`,
        ...(init.body !== undefined ? { 'content-type': 'application/json' } : {}),
      },
      body: init.body !== undefined ? JSON.stringify(init.body) : undefined,
    });
    const text = await res.text();
    let body: unknown = text;
    try {
      body = JSON.parse(text);
    } catch {
      // not JSON
    }
    return { status: res.status, body };
  }

  /** The registered devices of extension `number` of `tenant` (GET …/extensions/{id}/devices); throws unless 200. */
  async devices(tenant: SeededTenant, number: string, tokenValue: string): Promise<DeviceJson[]> {
    const res = await this.api(`/api/v1/tenants/${tenant.tenantId}/extensions/${tenant.extensionIds.get(number) ?? ''}/devices`, tokenValue);
    if (res.status !== 200) throw new Error(`GET devices of ${number}: HTTP ${res.status} ${JSON.stringify(res.body)}`);
    return (res.body as { items: DeviceJson[] }).items;
  }

  /** Stops the process by PID (SIGTERM, then SIGKILL after 5 s); removes a temp data dir unless `keepData`. */
  async stop(opts: { keepData?: boolean } = {}): Promise<void> {
    const pid = this.#child.pid;
    if (pid !== undefined && this.#child.exitCode === null && this.#child.signalCode === null) {
      process.kill(pid, 'SIGTERM');
      const killer = setTimeout(() => {
        if (this.#child.exitCode === null) process.kill(pid, 'SIGKILL');
      }, 5000);
      await this.#exited;
      clearTimeout(killer);
    }
    if ((this.#ownsDir || TEMP_DIRS.has(this.dataDir)) && !opts.keepData) {
      rmSync(this.dataDir, { recursive: true, force: true });
      TEMP_DIRS.delete(this.dataDir);
    }
  }
}

/** Directories made by {@link tempDataDir}: a server stopped without `keepData` removes its own. */
const TEMP_DIRS = new Set<string>();

/** A fresh temporary data directory (removed when the server using it stops, unless it keeps its data). */
export function tempDataDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'centrala-it-'));
  TEMP_DIRS.add(dir);
  return dir;
}

/** True when Centrala answers an OPTIONS over UDP on 127.0.0.1:`port` with 200 (readiness, liveness). */
export async function answersOptions(port: number): Promise<boolean> {
  const callId = token();
  const options = [
    `OPTIONS sip:127.0.0.1:${port} SIP/2.0`,
    `Via: SIP/2.0/UDP 127.0.0.1:9;branch=z9hG4bK${token()};rport`,
    `From: <sip:probe@127.0.0.1>;tag=${token()}`,
    `To: <sip:127.0.0.1:${port}>`,
    `Call-ID: ${callId}`,
    'CSeq: 1 OPTIONS',
    'Max-Forwards: 70',
    'Content-Length: 0',
    '',
    '',
  ].join('\r\n');
  const replies = await udpExchange(port, options, { waitMs: 300, until: (r) => r.length > 0 });
  return replies.some((r) => statusOf(r) === 200);
}

/**
 * Starts Centrala and resolves once both the API and SIP (UDP OPTIONS) answer. When the ports were picked here and
 * one was taken between picking and binding (another process got the same ephemeral port), it starts again on
 * fresh ports, up to three times.
 */
export async function startCentrala(opts: StartOptions = {}): Promise<CentralaProcess> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await startOnce(opts);
    } catch (err) {
      const portRace = err instanceof StartExit && /EADDRINUSE|already in use/.test(err.output) && opts.ports === undefined;
      if (!portRace || attempt === 3) throw err;
    }
  }
}

/** The process ended before it became ready. */
class StartExit extends Error {
  constructor(readonly output: string) {
    super(`centrala exited during start:\n${output}`);
  }
}

async function startOnce(opts: StartOptions): Promise<CentralaProcess> {
  const ownsDir = opts.dataDir === undefined;
  const dataDir = opts.dataDir ?? tempDataDir();
  const ports: CentralaPorts = opts.ports ?? {
    http: await freePort(),
    sip: await freePort(),
    tls: await freePort(),
    ws: await freePort(),
  };
  const args = [
    ...(opts.nodeArgs ?? []),
    '--import', 'tsx', CLI_ENTRY, 'start',
    '--data-dir', dataDir,
    '--http-host', '127.0.0.1',
    '--http-port', String(ports.http),
    '--sip-host', '127.0.0.1',
    '--sip-port', String(ports.sip),
    '--sip-ws-port', String(ports.ws),
  ];
  if (opts.tlsCert && opts.tlsKey) args.push('--sip-tls-port', String(ports.tls), '--tls-cert', opts.tlsCert, '--tls-key', opts.tlsKey);
  else if (opts.devTls) args.push('--sip-tls-port', String(ports.tls));
  else args.push('--sip-tls-port', 'off');
  args.push(...(opts.extraArgs ?? []));
  const child = spawn(process.execPath, args, {
    cwd: ROOT,
    env: { ...process.env, CENTRALA_LOG_LEVEL: process.env.CENTRALA_LOG_LEVEL ?? 'warn', ...opts.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const proc = new CentralaProcess(child, dataDir, ports, ownsDir);
  const deadline = Date.now() + (opts.readyTimeoutMs ?? 90_000);
  let exited = false;
  void proc.exitedCode().then(() => (exited = true));
  for (;;) {
    if (exited) {
      if (ownsDir) rmSync(dataDir, { recursive: true, force: true });
      throw new StartExit(proc.output);
    }
    if (Date.now() > deadline) {
      await proc.stop();
      throw new Error(`centrala did not become ready:\n${proc.output}`);
    }
    const httpOk = await fetch(`${proc.baseUrl}/healthz`).then(
      () => true,
      () => false,
    );
    if (httpOk && (await answersOptions(ports.sip))) return proc;
    await new Promise((r) => setTimeout(r, 100));
  }
}
