// The `centrala` command as a real process (node --import tsx src/main-entry.ts): exit codes, the one-line
// configuration error, the one-time operator token, graceful shutdown on SIGTERM, and a CLI writing to the
// SQLite file of a running server.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from './support/centrala-process.js';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const ENTRY = join(ROOT, 'src/main-entry.ts');

/** A clean environment: none of the developer's CENTRALA_* or DATABASE_URL settings leak into the child. */
function childEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (!key.startsWith('CENTRALA_') && key !== 'DATABASE_URL') env[key] = value;
  }
  return env;
}

interface Child {
  readonly process: ChildProcess;
  stdout: string;
  stderr: string;
  readonly exited: Promise<number | null>;
}

function run(args: string[]): Child {
  const child = spawn(process.execPath, ['--import', 'tsx', ENTRY, ...args], { cwd: ROOT, env: childEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
  const handle: Child = {
    process: child,
    stdout: '',
    stderr: '',
    exited: new Promise((resolve) => child.once('exit', (code) => resolve(code))),
  };
  child.stdout.setEncoding('utf8').on('data', (d: string) => (handle.stdout += d));
  child.stderr.setEncoding('utf8').on('data', (d: string) => (handle.stderr += d));
  return handle;
}

/** Resolves when the child has written `pattern` to stderr (its log), or rejects when it exits first. */
function waitForLog(child: Child, pattern: RegExp): Promise<void> {
  return new Promise((resolve, reject) => {
    const check = (): void => {
      if (pattern.test(child.stderr)) {
        child.process.stderr?.off('data', check);
        resolve();
      }
    };
    child.process.stderr?.on('data', check);
    void child.exited.then((code) => reject(new Error(`exited with ${String(code)} before ${String(pattern)}: ${child.stderr}`)));
    check();
  });
}

describe('centrala as a process', () => {
  let dir: string;
  const children: Child[] = [];
  const start = (args: string[]): Child => {
    const child = run(args);
    children.push(child);
    return child;
  };

  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'centrala-proc-'));
  });
  after(async () => {
    for (const child of children) {
      if (child.process.exitCode === null && child.process.signalCode === null) {
        child.process.kill('SIGKILL');
        await child.exited;
      }
    }
    rmSync(dir, { recursive: true, force: true });
  });

  it('start refuses an invalid setting with one line naming it and exit code 1', async () => {
    const child = start(['start', '--http-port', 'abc', '--data-dir', dir]);
    assert.equal(await child.exited, 1);
    assert.equal(child.stderr, 'centrala: invalid --http-port "abc": must be an integer 1-65535\n');
    assert.equal(child.stdout, '');
  });

  it('exits 2 on a wrong command line', async () => {
    const child = start(['tenant', 'frobnicate']);
    assert.equal(await child.exited, 2);
    assert.equal(child.stderr.trim().split('\n').length, 1);
  });

  it('prints the operator token once, serves the API, shares the SQLite file with the CLI, and stops on SIGTERM', async () => {
    const port = await freePort();
    const sipPort = await freePort();
    const args = [
      'start', '--http-host', '127.0.0.1', '--http-port', String(port), '--data-dir', dir, '--log-level', 'info',
      '--sip-host', '127.0.0.1', '--sip-port', String(sipPort), '--sip-tls-port', 'off', '--sip-ws-port', 'off',
    ];
    const first = start(args);
    await waitForLog(first, /"msg":"Centrala started"/);
    const line = /^Operator API token \(shown once\): (\S+)\n$/.exec(first.stdout);
    assert.ok(line?.[1], `stdout: ${first.stdout}`);
    const token = line[1];
    assert.doesNotMatch(first.stderr, new RegExp(token), 'the token never goes to the log');

    const health = await fetch(`http://127.0.0.1:${port}/healthz`);
    assert.equal(health.status, 200);
    assert.deepEqual(await health.json(), { status: 'ok', ready: true, store: 'up' });

    // The CLI writes to the same SQLite file while the server runs (WAL); the server sees the tenant at once.
    const cli = start(['tenant', 'create', '--name', 'Shared', '--domain', 'shared.example', '--json', '--data-dir', dir]);
    assert.equal(await cli.exited, 0, cli.stderr);
    const created = JSON.parse(cli.stdout) as { id: string };
    const read = await fetch(`http://127.0.0.1:${port}/api/v1/tenants/${created.id}`, { headers: { authorization: `Bearer ${token}` } });
    assert.equal(read.status, 200);

    first.process.kill('SIGTERM');
    assert.equal(await first.exited, 0, first.stderr);
    assert.match(first.stderr, /"msg":"stopped"/);

    const second = start(args);
    await waitForLog(second, /"msg":"Centrala started"/);
    assert.equal(second.stdout, '', 'no token line on later starts');
    const again = await fetch(`http://127.0.0.1:${port}/api/v1/tenants/${created.id}`, { headers: { authorization: `Bearer ${token}` } });
    assert.equal(again.status, 200, 'the first token still works after a restart');
    second.process.kill('SIGINT');
    assert.equal(await second.exited, 0, second.stderr);
  });

  it('runs a --json command as a process', async () => {
    const child = start(['tenant', 'list', '--json', '--data-dir', dir]);
    assert.equal(await child.exited, 0, child.stderr);
    const tenants = JSON.parse(child.stdout) as Array<{ sipDomain: string }>;
    assert.deepEqual(tenants.map((t) => t.sipDomain), ['shared.example']);
  });
});
