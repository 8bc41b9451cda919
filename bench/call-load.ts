/**
 * Call-load benchmark: seeds caller extensions and one callee extension in a fresh store, starts Centrala as a
 * child process on 127.0.0.1, registers a sipp callee device (call-bench-uas.xml, answers at once) and drives
 * sipp callers (call-bench-uac.xml: INVITE, 407, INVITE with MD5 digest, 200, ACK, RTP, BYE) through it.
 *
 * Media goes through Centrala's relay both ways and is counted: each caller plays a PCMU pcap generated at run
 * time (sipp play_pcap_audio, 50 packets/s) to the relay; the callee's SDP points to an RTP echo in this process,
 * which counts every packet it receives from the relay ("forward"), marks it and sends it back; sipp's
 * -rtp_echo on the caller returns it through the relay once more, and the echo counts the marked packet again
 * ("round trip": relay → caller → relay → callee). Expected forward packets = answered calls × pcap packets.
 * Datagrams the kernel dropped because a socket's receive buffer was full are summed per socket (/proc/net/udp)
 * and attributed: Centrala's SIP socket, its relay ports, or the load generators' own sockets.
 *
 * Phase 1 ramps the call rate (short calls: 1 s of RTP) to find calls/s at < 0.1 % failures; phase 2 holds
 * N simultaneous calls with media for a while. Every step is bounded by sipp's -m and -timeout.
 *
 *   npm run bench:calls -- [--rates 40,80,120,160,200] [--seconds 10] [--concurrent 200,300,400] [--talk 20] [--callers 200]
 *                          [--cpu-prof <dir>]
 */
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import dgram from 'node:dgram';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { arg, cpuSeconds, numberList, percentile, profileNodeArgs } from './bench-support.js';
import { registerSippDevice, runSipp, startSipp, SIPP_SCENARIOS, type SippResult, type SippUser } from '../test/support/sipp.js';
import { freePort, seedTenant, startCentrala, tempDataDir } from '../test/support/centrala-process.js';

const RATES = numberList(arg('rates', '40,80,120,160,200'));
const SECONDS = Number(arg('seconds', '10'));
const CONCURRENT = numberList(arg('concurrent', '200,300,400'));
const TALK_SECONDS = Number(arg('talk', '20'));
const CALLERS = Number(arg('callers', '200'));
const DOMAIN = 'bench.test';
const PASSWORD = 'Bench4Calls7788';
const CALLEE = '5000';
/** The relay's port range (Centrala's default, given explicitly so that drops can be attributed to it). */
const RTP_PORTS = { from: 20000, to: 29999 };
/** Seconds of RTP each call of the rate phase plays. */
const SHORT_TALK = 1;

/** First payload byte the pcap carries, and the mark the echo writes there before sending a packet back. */
const ORIGINAL = 0x55;
const ECHOED = 0x2a;

function ipChecksum(header: Buffer): number {
  let sum = 0;
  for (let i = 0; i < header.length; i += 2) sum += header.readUInt16BE(i);
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
  return ~sum & 0xffff;
}

/** A classic pcap (Ethernet) of `packets` RTP packets, PCMU, 20 ms apart, payload bytes all {@link ORIGINAL}. */
function rtpPcap(packets: number): Buffer {
  const parts: Buffer[] = [];
  const global = Buffer.alloc(24);
  global.writeUInt32LE(0xa1b2c3d4, 0);
  global.writeUInt16LE(2, 4);
  global.writeUInt16LE(4, 6);
  global.writeUInt32LE(65535, 16);
  global.writeUInt32LE(1, 20);
  parts.push(global);
  for (let i = 0; i < packets; i++) {
    const rtp = Buffer.alloc(12 + 160, ORIGINAL);
    rtp.writeUInt8(0x80, 0);
    rtp.writeUInt8(0, 1); // PT 0 = PCMU
    rtp.writeUInt16BE(i & 0xffff, 2);
    rtp.writeUInt32BE(i * 160, 4);
    rtp.writeUInt32BE(0x43656e74, 8);
    const udp = Buffer.alloc(8);
    udp.writeUInt16BE(6000, 0);
    udp.writeUInt16BE(6000, 2);
    udp.writeUInt16BE(8 + rtp.length, 4);
    const ip = Buffer.alloc(20);
    ip.writeUInt8(0x45, 0);
    ip.writeUInt16BE(20 + udp.length + rtp.length, 2);
    ip.writeUInt16BE(i & 0xffff, 4);
    ip.writeUInt8(64, 8);
    ip.writeUInt8(17, 9);
    Buffer.from([127, 0, 0, 1, 127, 0, 0, 1]).copy(ip, 12);
    ip.writeUInt16BE(ipChecksum(ip), 10);
    const ethernet = Buffer.alloc(14);
    ethernet.writeUInt16BE(0x0800, 12);
    const frame = Buffer.concat([ethernet, ip, udp, rtp]);
    const record = Buffer.alloc(16);
    const micros = i * 20_000;
    record.writeUInt32LE(Math.floor(micros / 1_000_000), 0);
    record.writeUInt32LE(micros % 1_000_000, 4);
    record.writeUInt32LE(frame.length, 8);
    record.writeUInt32LE(frame.length, 12);
    parts.push(record, frame);
  }
  return Buffer.concat(parts);
}

/** A copy of call-bench-uac.xml in a temp dir with a pcap of `seconds` of RTP next to it (sipp looks there). */
function callerScenario(seconds: number): { scenario: string; packets: number; dir: string } {
  const dir = mkdtempSync(join(tmpdir(), 'centrala-bench-calls-'));
  const scenario = join(dir, 'call-bench-uac.xml');
  copyFileSync(join(SIPP_SCENARIOS, 'call-bench-uac.xml'), scenario);
  const packets = seconds * 50;
  writeFileSync(join(dir, 'call-bench.pcap'), rtpPcap(packets));
  return { scenario, packets, dir };
}

/** The callee-side RTP endpoint: counts what the relay delivers and echoes each caller packet back once. */
class RtpEcho {
  readonly #socket = dgram.createSocket('udp4');
  forward = 0;
  roundTrip = 0;
  other = 0;

  async open(): Promise<number> {
    await new Promise<void>((resolve) => this.#socket.bind(0, '127.0.0.1', resolve));
    this.#socket.setRecvBufferSize(4 * 1024 * 1024);
    this.#socket.setSendBufferSize(4 * 1024 * 1024);
    this.#socket.on('message', (msg, from) => {
      const first = msg.length > 12 ? msg[12] : undefined;
      if (first === ORIGINAL) {
        this.forward++;
        msg[12] = ECHOED;
        this.#socket.send(msg, from.port, from.address);
      } else if (first === ECHOED) this.roundTrip++;
      else this.other++;
    });
    return this.#socket.address().port;
  }

  reset(): void {
    this.forward = 0;
    this.roundTrip = 0;
    this.other = 0;
  }

  close(): void {
    this.#socket.close();
  }
}

/** Setup times from sipp's -trace_rtt CSV (Date_ms;response_time_ms;rtd_no): sorted, and calls/s over the answers. */
function setupTimes(r: SippResult): { sorted: number[]; answeredPerSecond: number } {
  const rows = r.rtt
    .split('\n')
    .map((l) => l.split(';').map(Number))
    .filter((f) => f.length >= 2 && Number.isFinite(f[0]) && Number.isFinite(f[1]));
  const at = rows.map((f) => f[0] ?? 0);
  const span = (Math.max(...at) - Math.min(...at)) / 1000;
  return {
    sorted: rows.map((f) => f[1] ?? 0).sort((a, b) => a - b),
    answeredPerSecond: rows.length > 1 && span > 0 ? (rows.length - 1) / span : NaN,
  };
}

/** Linux UDP counters (/proc/net/snmp): datagrams dropped because a socket's receive buffer was full, and so on. */
function udpCounters(): Record<string, number> {
  const lines = readFileSync('/proc/net/snmp', 'utf8').split('\n').filter((l) => l.startsWith('Udp:'));
  const names = (lines[0] ?? '').split(/\s+/).slice(1);
  const values = (lines[1] ?? '').split(/\s+/).slice(1).map(Number);
  return Object.fromEntries(names.map((n, i) => [n, values[i] ?? 0]));
}

/** Receive-buffer drops per UDP socket of 127.0.0.1 (/proc/net/udp: inode → local port and drop count). */
function socketDrops(): Map<string, { port: number; drops: number }> {
  const out = new Map<string, { port: number; drops: number }>();
  for (const line of readFileSync('/proc/net/udp', 'utf8').split('\n').slice(1)) {
    const f = line.trim().split(/\s+/);
    const [address, port] = (f[1] ?? '').split(':');
    if (address !== '0100007F' || f[9] === undefined) continue;
    out.set(f[9], { port: parseInt(port ?? '0', 16), drops: Number(f[12] ?? 0) });
  }
  return out;
}

/** Samples {@link socketDrops} every 500 ms (sockets of finished calls close, so keep each one's last count). */
class DropWatch {
  readonly #seen = new Map<string, { port: number; before: number; last: number }>();
  readonly #timer: NodeJS.Timeout;

  constructor() {
    for (const [inode, s] of socketDrops()) this.#seen.set(inode, { port: s.port, before: s.drops, last: s.drops });
    this.#timer = setInterval(() => this.sample(), 500);
  }

  sample(): void {
    for (const [inode, s] of socketDrops()) {
      const known = this.#seen.get(inode);
      if (known) known.last = s.drops;
      else this.#seen.set(inode, { port: s.port, before: 0, last: s.drops });
    }
  }

  /** Drops during the watch, summed per category of the socket's port. */
  stop(category: (port: number) => string): string {
    clearInterval(this.#timer);
    this.sample();
    const sums = new Map<string, number>();
    for (const s of this.#seen.values()) {
      const n = s.last - s.before;
      if (n > 0) sums.set(category(s.port), (sums.get(category(s.port)) ?? 0) + n);
    }
    return [...sums].map(([k, n]) => `${k} ${n}`).join(', ') || '0';
  }
}

/** Calls that got their 200 (the first "200 <---" row of sipp's screen: the INVITE's). */
const answeredCalls = (r: SippResult): number => Number(/^\s*200 <-+\s+(?:E-RTD\d+\s+)?(\d+)/m.exec(r.screen)?.[1] ?? NaN);
const peakCalls = (r: SippResult): number => Number(/Peak was (\d+) calls/.exec(r.screen)?.[1] ?? NaN);
const pct = (part: number, whole: number): string => (whole > 0 ? ((100 * part) / whole).toFixed(2) : '-');
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

async function main(): Promise<void> {
  const dataDir = tempDataDir();
  const callers = Array.from({ length: CALLERS }, (_, i) => String(3000 + i));
  await seedTenant(dataDir, DOMAIN, [...callers, CALLEE].map((number) => ({ number, password: PASSWORD })));
  const server = await startCentrala({
    dataDir,
    env: { CENTRALA_LOG_LEVEL: 'warn' },
    ...profileNodeArgs(),
    // Flood protection off: every caller is sipp on 127.0.0.1, one source address.
    extraArgs: ['--rtp-ports', `${RTP_PORTS.from}-${RTP_PORTS.to}`, '--sip-rate-limit', 'off'],
  });
  const pid = server.pid ?? 0;
  const echo = new RtpEcho();
  const echoPort = await echo.open();
  // Stops the callee device and the running caller on Ctrl-C / SIGTERM too, so that no sipp outlives the benchmark.
  const stopDevice = new AbortController();
  const onSignal = (): void => stopDevice.abort();
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  const users: SippUser[] = callers.map((user) => ({ user, domain: DOMAIN, password: PASSWORD }));
  const dirs: string[] = [];
  console.log(`machine: ${cpus().length} × ${cpus()[0]?.model ?? '?'}, node ${process.version}, sipp 3.6.1, SQLite (WAL)`);
  try {
    // The callee device: registers (MD5 digest) from a port, then answers every call on that port.
    const devicePort = await registerSippDevice({ serverPort: server.ports.sip, user: { user: CALLEE, domain: DOMAIN, password: PASSWORD }, expires: 3600 });
    // Bounded by the sum of every step's own bound.
    const totalSeconds =
      RATES.length * (SECONDS + SHORT_TALK + 40) +
      CONCURRENT.reduce((sum, c) => sum + c / Math.max(10, Math.ceil(c / 5)) + TALK_SECONDS + 40, 0);
    const device = await startSipp({
      scenario: 'call-bench-uas.xml',
      users: [],
      localPort: devicePort,
      calls: 10_000_000,
      keys: { echo_port: String(echoPort) },
      timeoutMs: Math.ceil(totalSeconds) * 1000,
      signal: stopDevice.signal,
    });

    const step = async (label: string, opts: { rate: number; calls: number; limit: number; talkSeconds: number }): Promise<void> => {
      const caller = callerScenario(opts.talkSeconds);
      dirs.push(caller.dir);
      echo.reset();
      const cpuBefore = cpuSeconds(pid);
      const udpBefore = udpCounters();
      const watch = new DropWatch();
      const callerMediaPort = await freePort();
      const holdMs = opts.talkSeconds * 1000 + 500;
      const r = await runSipp({
        scenario: caller.scenario,
        host: '127.0.0.1',
        port: server.ports.sip,
        users,
        keys: { callee: CALLEE },
        authUri: `${CALLEE}@${DOMAIN}`,
        calls: opts.calls,
        rate: opts.rate,
        limit: opts.limit,
        pauseMs: holdMs,
        timeoutMs: (opts.calls / opts.rate + holdMs / 1000 + 30) * 1000,
        traceRtt: true,
        extraArgs: ['-rtp_echo', '-mp', String(callerMediaPort), '-rtp_buffsize', String(4 * 1024 * 1024), '-recv_timeout', '8000'],
        signal: stopDevice.signal,
      });
      await sleep(500); // the last echoes
      const cpuUsed = cpuSeconds(pid) - cpuBefore;
      const udpAfter = udpCounters();
      const dropped = (udpAfter['RcvbufErrors'] ?? 0) - (udpBefore['RcvbufErrors'] ?? 0);
      const where = watch.stop((port) => {
        if (port === echoPort) return 'callee echo';
        if (port === callerMediaPort) return 'caller sipp media';
        if (port === server.ports.sip) return 'Centrala SIP';
        if (port === devicePort) return 'callee sipp SIP';
        if (port >= RTP_PORTS.from && port <= RTP_PORTS.to) return 'Centrala relay';
        return 'other';
      });
      const { sorted: times, answeredPerSecond } = setupTimes(r);
      // Every call that got its 200 plays the whole pcap (a call that fails later, e.g. on its BYE, still did).
      const answered = answeredCalls(r);
      const expected = (Number.isFinite(answered) ? answered : r.successful) * caller.packets;
      const row = [
        label,
        opts.calls,
        r.successful,
        r.failed,
        pct(r.failed, r.successful + r.failed),
        answeredPerSecond.toFixed(1),
        peakCalls(r),
        percentile(times, 50).toFixed(0),
        percentile(times, 99).toFixed(0),
        expected,
        echo.forward,
        echo.roundTrip,
        pct(expected - echo.forward, expected),
        pct(echo.forward - echo.roundTrip, echo.forward),
        ((100 * cpuUsed) / (r.elapsedMs / 1000)).toFixed(0),
        `${dropped} (${where})`,
      ];
      console.log(`| ${row.join(' | ')} |`);
      if (r.exitCode !== 0 && r.exitCode !== 1) console.log(`  sipp exit ${String(r.exitCode)}: ${r.stderr.slice(0, 300)}`);
      if (r.failed > 0) console.log(`  first errors: ${r.errors.split('\n').slice(0, 4).join(' | ').slice(0, 400)}`);
    };

    const head = [
      'step', 'calls', 'ok', 'failed', 'fail %', 'answered/s', 'peak calls', 'setup p50 ms', 'setup p99 ms', 'RTP expected',
      'RTP forward', 'RTP round trip', 'forward loss %', 'return loss %', 'Centrala CPU %', 'UDP receive-buffer drops (where)',
    ];
    console.log(`| ${head.join(' | ')} |\n|${' --- |'.repeat(head.length)}`);
    for (const rate of RATES) {
      if (stopDevice.signal.aborted) break;
      const holdSeconds = SHORT_TALK + 0.5;
      await step(`${rate}/s`, { rate, calls: rate * SECONDS, limit: Math.ceil(rate * (holdSeconds + 2) * 2), talkSeconds: SHORT_TALK });
    }
    for (const concurrent of CONCURRENT) {
      if (stopDevice.signal.aborted) break;
      // Ramp up within ~5 s, then every call talks TALK_SECONDS: `concurrent` calls with media at once.
      await step(`${concurrent} conc.`, { rate: Math.max(10, Math.ceil(concurrent / 5)), calls: concurrent, limit: concurrent, talkSeconds: TALK_SECONDS });
    }
    stopDevice.abort();
    await device.result;
  } finally {
    stopDevice.abort();
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    echo.close();
    await server.stop();
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  }
}

await main();
