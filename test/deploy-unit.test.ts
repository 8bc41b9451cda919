// deploy/: the systemd unit runs the server itself (so SIGTERM reaches it) as its own user, restarts it on failure
// and gives it time to stop gracefully; the env file names only real settings.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { SETTINGS } from '../src/config/index.js';

const UNIT_PATH = fileURLToPath(new URL('../deploy/centrala.service', import.meta.url));
const UNIT = readFileSync(UNIT_PATH, 'utf8');
const ENV = readFileSync(new URL('../deploy/centrala.env', import.meta.url), 'utf8');

/** The values of `key` in the unit's [Service] section. */
function service(key: string): string[] {
  const section = UNIT.split(/^\[Service\]$/m)[1]?.split(/^\[/m)[0] ?? '';
  return section
    .split('\n')
    .filter((line) => line.startsWith(`${key}=`))
    .map((line) => line.slice(key.length + 1));
}

describe('deploy/centrala.service', () => {
  it('runs node on bin/centrala.js start as a dedicated user, with a working directory and an env file', () => {
    assert.deepEqual(service('ExecStart'), ['/usr/bin/node bin/centrala.js start']);
    assert.deepEqual(service('User'), ['centrala']);
    assert.deepEqual(service('WorkingDirectory'), ['/opt/centrala']);
    assert.deepEqual(service('EnvironmentFile'), ['-/etc/centrala/centrala.env']);
    assert.deepEqual(service('Environment'), ['CENTRALA_DATA_DIR=/var/lib/centrala']);
  });

  it('restarts on failure and stops with SIGTERM, leaving time for a graceful stop', () => {
    assert.deepEqual(service('Restart'), ['on-failure']);
    assert.deepEqual(service('KillSignal'), ['SIGTERM']);
    const timeout = Number(service('TimeoutStopSec')[0]);
    assert.ok(timeout >= 30, `TimeoutStopSec=${timeout}`);
  });

  it('passes systemd-analyze verify without a warning', (t) => {
    const run = spawnSync('systemd-analyze', ['verify', UNIT_PATH], { encoding: 'utf8' });
    if (run.error) {
      t.skip('systemd-analyze is not installed');
      return;
    }
    // verify exits 0 even for lines it ignores; what it prints is the finding. Where node lives differs per machine.
    const findings = run.stderr.split('\n').filter((l) => l.includes('centrala.service') && !/Command \/usr\/bin\/node is not executable/.test(l));
    assert.deepEqual(findings, []);
  });
});

describe('deploy/centrala.env', () => {
  it('names only environment variables Centrala reads', () => {
    const known = new Set(Object.values(SETTINGS).map((s) => s.env));
    const names = [...ENV.matchAll(/^#?([A-Z_]+)=/gm)].map((m) => m[1]);
    assert.ok(names.length > 0);
    for (const name of names) assert.ok(known.has(name), `${name ?? ''} is not a setting`);
  });
});
