/**
 * REGISTER load benchmark: creates ≥ 1000 extensions in a fresh store (through the services, as the
 * CLI does), starts Centrala as a child process on 127.0.0.1, and runs sipp's register-auth.xml
 * (REGISTER → 401 → REGISTER with MD5 digest → 200, each call a full authenticated registration)
 * with the users from a CSV at increasing rates. For every step it prints registrations/s achieved,
 * failures, p50/p99 latency (sipp -trace_rtt, from the first REGISTER to the 200) and the CPU the
 * Centrala process used (from /proc), then stops everything by itself.
 *
 *   npm run bench:register -- [--extensions 1000] [--rates 100,200,400,800] [--seconds 10]
 */
import { cpus } from 'node:os';
import { arg, cpuSeconds, numberList, percentile, profileNodeArgs } from './bench-support.js';
import { runSipp, type SippUser } from '../test/support/sipp.js';
import { freePort, seedTenant, startCentrala, tempDataDir } from '../test/support/centrala-process.js';

const EXTENSIONS = Number(arg('extensions', '1000'));
const RATES = numberList(arg('rates', '100,200,400,800'));
const SECONDS = Number(arg('seconds', '10'));
const DOMAIN = 'bench.test';
const PASSWORD = 'Bench4Register77';

async function main(): Promise<void> {
  const dataDir = tempDataDir();
  const numbers = Array.from({ length: EXTENSIONS }, (_, i) => String(10000 + i));
  const seedStart = Date.now();
  await seedTenant(dataDir, DOMAIN, numbers.map((number) => ({ number, password: PASSWORD })));
  console.log(`seeded ${EXTENSIONS} extensions in ${((Date.now() - seedStart) / 1000).toFixed(1)} s`);
  // Flood protection off: the whole load comes from one address (sipp on 127.0.0.1).
  const server = await startCentrala({
    dataDir,
    env: { CENTRALA_LOG_LEVEL: 'warn' },
    extraArgs: ['--sip-rate-limit', 'off'],
    ...profileNodeArgs(),
  });
  const pid = server.pid ?? 0;
  const users: SippUser[] = numbers.map((user) => ({ user, domain: DOMAIN, password: PASSWORD }));
  // Every step sends from the same port, so a repeated registration refreshes the extension's one binding
  // instead of adding a contact per sipp run (which would reach the 5-contact limit: 503).
  const localPort = await freePort();
  console.log(`machine: ${cpus().length} × ${cpus()[0]?.model ?? '?'}, node ${process.version}, sipp 3.6.1, SQLite (WAL)`);
  console.log('rate/s  calls  ok     failed  fail%   achieved/s  p50 ms  p99 ms  centrala CPU%');
  try {
    for (const rate of RATES) {
      const calls = rate * SECONDS;
      const cpuBefore = cpuSeconds(pid);
      const r = await runSipp({
        scenario: 'register-auth.xml',
        host: '127.0.0.1',
        port: server.ports.sip,
        localPort,
        users,
        keys: { expires: '3600' },
        calls,
        rate,
        limit: Math.max(200, rate * 2),
        timeoutMs: (SECONDS + 30) * 1000,
        traceRtt: true,
        extraArgs: ['-recv_timeout', '5000'],
      });
      const cpuUsed = cpuSeconds(pid) - cpuBefore;
      const times = r.rtt
        .split('\n')
        .map((l) => l.split(';'))
        .filter((f) => f.length >= 2 && /^\d/.test(f[0] ?? ''))
        .map((f) => Number(f[1]))
        .filter((n) => Number.isFinite(n))
        .sort((a, b) => a - b);
      const done = r.successful + r.failed;
      const failPct = done > 0 ? (100 * r.failed) / done : 100;
      const achieved = r.successful / (r.elapsedMs / 1000);
      console.log(
        [
          String(rate).padEnd(7),
          String(calls).padEnd(6),
          String(r.successful).padEnd(6),
          String(r.failed).padEnd(7),
          failPct.toFixed(2).padEnd(7),
          achieved.toFixed(0).padEnd(11),
          percentile(times, 50).toFixed(1).padEnd(7),
          percentile(times, 99).toFixed(1).padEnd(7),
          ((100 * cpuUsed) / (r.elapsedMs / 1000)).toFixed(0),
        ].join(' '),
      );
      if (r.failed > 0) console.log(`  first sipp errors: ${r.errors.split('\n').slice(0, 4).join(' | ').slice(0, 400)}`);
      const warnings = server.output.split('\n').filter((l) => l.trim() !== '');
      if (r.failed > 0 && warnings.length > 0) console.log(`  Centrala's last log lines: ${warnings.slice(-3).join(' | ').slice(0, 600)}`);
    }
  } finally {
    await server.stop();
  }
}

await main();
