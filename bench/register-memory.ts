/**
 * Memory under authenticated REGISTERs with large headers: starts Centrala as a child process on
 * 127.0.0.1, opens a few TCP connections and on each runs registrations in a loop: REGISTER → 401
 * (a fresh nonce) → REGISTER with MD5 digest and a large extra header → 200. Every registration
 * leaves one nonce-count record in the digest table for the nonce lifetime (5 minutes), so a record
 * that kept its request alive would hold the large header with it. Centrala's RSS is sampled from
 * /proc every 500 ms; the run ends after the given number of registrations.
 *
 *   npm run bench:memory -- [--registrations 100000] [--connections 4] [--header-kb 60]
 */
import { readFileSync } from 'node:fs';
import net from 'node:net';
import { arg } from './bench-support.js';
import { seedTenant, startCentrala, tempDataDir } from '../test/support/centrala-process.js';
import { StreamFramer } from '../test/support/sip-tcp-device.js';
import { digestAuthorization, headerValues, registerText, statusOf, token } from '../test/support/sip-udp-client.js';

const REGISTRATIONS = Number(arg('registrations', '100000'));
const CONNECTIONS = Number(arg('connections', '4'));
const HEADER_KB = Number(arg('header-kb', '60'));
const DOMAIN = 'bench.test';
const PASSWORD = 'Bench4Memory77';

/** Resident set size of a process in MiB (Linux /proc). */
function rssMiB(pid: number): number {
  const kb = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
  return Number(kb ?? 0) / 1024;
}

/** One TCP connection sending requests one at a time and reading each final response. */
class Connection {
  readonly #socket: net.Socket;
  readonly #framer = new StreamFramer();
  readonly #responses: string[] = [];
  #wake: (() => void) | undefined;

  constructor(port: number) {
    this.#socket = net.connect({ port, host: '127.0.0.1', noDelay: true });
    this.#socket.on('data', (chunk: Buffer) => {
      for (const m of this.#framer.push(chunk)) if ((statusOf(m) ?? 0) >= 200) this.#responses.push(m);
      this.#wake?.();
    });
    this.#socket.on('close', () => this.#wake?.());
  }

  get localPort(): number {
    return this.#socket.localPort ?? 0;
  }

  opened(): Promise<void> {
    return new Promise((resolve, reject) => {
      this.#socket.once('connect', () => resolve());
      this.#socket.once('error', reject);
    });
  }

  async request(text: string): Promise<string> {
    this.#socket.write(text);
    const deadline = Date.now() + 10_000;
    for (;;) {
      const response = this.#responses.shift();
      if (response !== undefined) return response;
      if (this.#socket.destroyed || Date.now() > deadline) throw new Error(`no response to ${text.split('\r\n')[0]}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, 1000);
        this.#wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
  }

  close(): void {
    this.#socket.destroy();
  }
}

/** One full registration of `user` on `conn`; the authenticated REGISTER carries `padding`. */
async function register(conn: Connection, user: string, callId: string, cseq: number, padding: string | undefined): Promise<void> {
  const base = { user, domain: DOMAIN, localPort: conn.localPort, callId, transport: 'TCP' as const };
  const challenge = await conn.request(registerText({ ...base, cseq }));
  if (statusOf(challenge) !== 401) throw new Error(`expected 401, got ${challenge.split('\r\n')[0]}`);
  const authorization = digestAuthorization({
    challenge: headerValues(challenge, 'WWW-Authenticate')[0] ?? '',
    username: user,
    password: PASSWORD,
    method: 'REGISTER',
    uri: `sip:${DOMAIN}`,
  });
  const extraHeaders = padding === undefined ? [] : [`X-Padding: ${padding}`];
  const ok = await conn.request(registerText({ ...base, cseq: cseq + 1, authorization, extraHeaders }));
  if (statusOf(ok) !== 200) throw new Error(`expected 200, got ${ok.split('\r\n')[0]}`);
}

async function main(): Promise<void> {
  const dataDir = tempDataDir();
  const users = Array.from({ length: CONNECTIONS }, (_, i) => String(100 + i));
  await seedTenant(dataDir, DOMAIN, users.map((number) => ({ number, password: PASSWORD })));
  // Flood protection off: the whole load comes from one address.
  const server = await startCentrala({ dataDir, env: { CENTRALA_LOG_LEVEL: 'warn' }, extraArgs: ['--sip-rate-limit', 'off'] });
  const pid = server.pid ?? 0;
  const padding = 'p'.repeat(HEADER_KB * 1024);
  const conns = Array.from({ length: CONNECTIONS }, () => new Connection(server.ports.sip));
  let peak = 0;
  const sampler = setInterval(() => (peak = Math.max(peak, rssMiB(pid))), 500);
  try {
    await Promise.all(conns.map((c) => c.opened()));
    // Large headers are accepted only from a source that authenticated: one small registration first.
    const first = conns[0];
    if (!first) throw new Error('no connection');
    await register(first, users[0] ?? '100', token(), 1, undefined);
    const startRss = rssMiB(pid);
    console.log(`node ${process.version}; ${REGISTRATIONS} registrations over ${CONNECTIONS} TCP connections, ${HEADER_KB} KiB header each`);
    console.log(`RSS after start and one registration: ${startRss.toFixed(0)} MiB`);
    const started = Date.now();
    let begun = 0;
    let done = 0;
    await Promise.all(
      conns.map(async (conn, i) => {
        const user = users[i] ?? '100';
        const callId = token();
        let cseq = 10;
        while (begun < REGISTRATIONS) {
          begun++;
          await register(conn, user, callId, cseq, padding);
          done++;
          cseq += 2;
          if (done % 10_000 === 0) {
            console.log(`${done} registrations, ${((Date.now() - started) / 1000).toFixed(0)} s, RSS ${rssMiB(pid).toFixed(0)} MiB, peak ${peak.toFixed(0)} MiB`);
          }
        }
      }),
    );
    peak = Math.max(peak, rssMiB(pid));
    const seconds = (Date.now() - started) / 1000;
    console.log(`done: ${done} registrations in ${seconds.toFixed(0)} s (${(done / seconds).toFixed(0)}/s); RSS end ${rssMiB(pid).toFixed(0)} MiB, peak ${peak.toFixed(0)} MiB`);
  } finally {
    clearInterval(sampler);
    for (const c of conns) c.close();
    await server.stop();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
