// Recovering a lost operator token with `centrala token create|list|revoke`: the token the CLI creates opens the API
// of a running server, the list never shows a secret, and a revoked token is refused from the next request on.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { CliIo } from '../src/cli/index.js';
import { runCli } from '../src/main.js';
import { openServices } from '../src/services/index.js';
import { startCentrala, type CentralaProcess } from './support/centrala-process.js';
import { TestDatabase, dialectsUnderTest } from './support/databases.js';

interface CliRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

async function cli(args: string[]): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const io: CliIo = { stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t), env: {}, cwd: process.cwd() };
  const code = await runCli(args, io);
  return { code, stdout, stderr };
}

interface TokenJson {
  token: string;
  id: string;
  kind: string;
  tenantId: string | null;
  label: string;
  createdAt: string;
}

describe('centrala token: a lost operator token is recovered on a running server', () => {
  let server: CentralaProcess;
  let store: string[];

  before(async () => {
    server = await startCentrala();
    store = ['--data-dir', server.dataDir];
  });
  after(async () => {
    await server.stop();
  });

  it('creates a working operator token, lists it without its secret, and revokes it', async () => {
    const createdRun = await cli(['token', 'create', '--label', 'lost the first one', '--json', ...store]);
    assert.equal(createdRun.code, 0, createdRun.stderr);
    const created = JSON.parse(createdRun.stdout) as TokenJson;
    assert.match(created.token, /^cop_/);
    assert.equal(created.kind, 'operator');
    assert.equal(created.label, 'lost the first one');
    assert.equal((await server.api('/api/v1/tenants', created.token)).status, 200, 'the new token opens the API');

    const listed = await cli(['token', 'list', ...store]);
    assert.equal(listed.code, 0, listed.stderr);
    const [heading, ...rows] = listed.stdout.trimEnd().split('\n');
    assert.match(heading ?? '', /^ID\s+KIND\s+TENANT\s+LABEL\s+CREATED\s+REVOKED$/);
    assert.equal(rows.length, 2, 'the bootstrap token of the first start and the new one');
    assert.match(rows[0] ?? '', /operator\s+-\s+bootstrap\s+\S+Z\s+-$/);
    assert.match(rows[1] ?? '', new RegExp(`^${created.id}\\s+operator\\s+-\\s+lost the first one\\s+${created.createdAt}\\s+-$`));
    const listedJson = await cli(['token', 'list', '--json', ...store]);
    assert.doesNotMatch(listedJson.stdout, new RegExp(created.token.slice(4)), 'never the token');
    assert.doesNotMatch(listedJson.stdout, /hash|[0-9a-f]{64}/i, 'nor its hash');
    const entries = JSON.parse(listedJson.stdout) as Array<Record<string, unknown>>;
    assert.deepEqual(Object.keys(entries[1] ?? {}).sort(), ['createdAt', 'id', 'kind', 'label', 'revokedAt', 'tenantId']);

    const revoked = await cli(['token', 'revoke', created.id, ...store]);
    assert.equal(revoked.code, 0, revoked.stderr);
    assert.match(revoked.stdout, new RegExp(`^Revoked operator token ${created.id} \\(lost the first one\\) at \\S+Z\\n$`));
    assert.equal((await server.api('/api/v1/tenants', created.token)).status, 401, 'a revoked token is refused');
    const again = await cli(['token', 'list', '--json', ...store]);
    const entry = (JSON.parse(again.stdout) as Array<{ id: string; revokedAt: string | null }>).find((t) => t.id === created.id);
    assert.ok(entry?.revokedAt, 'list shows when it was revoked');
  });

  it('prints the token once in a human line, and refuses an unknown id on revoke', async () => {
    const run = await cli(['token', 'create', ...store]);
    assert.equal(run.code, 0, run.stderr);
    const line = /^Operator API token \(shown once\): (cop_\S+)\n/.exec(run.stdout);
    assert.ok(line?.[1], run.stdout);
    assert.match(run.stdout, /\nLabel:\s+cli\n/);
    assert.equal((await server.api('/api/v1/tenants', line[1])).status, 200);

    const unknown = await cli(['token', 'revoke', 'no-such-id', ...store]);
    assert.equal(unknown.code, 1);
    assert.equal(unknown.stderr, 'centrala: no API token with id no-such-id (centrala token list shows them)\n');
  });
});

for (const dialect of dialectsUnderTest()) {
  describe(`centrala token against the services' auth check [${dialect}]`, () => {
    let db: TestDatabase;
    let store: string[];
    before(async () => {
      db = await TestDatabase.create(dialect);
      await db.close();
      store = db.options.url ? ['--database-url', db.options.url] : ['--data-dir', db.options.dataDir];
    });
    after(async () => {
      await db.destroy();
    });

    it('creates a tenant-scoped token with --tenant, which verifies as that tenant until revoked', async () => {
      const tenant = await cli(['tenant', 'create', '--name', 'Tok', '--domain', 'tok.example', '--json', ...store]);
      assert.equal(tenant.code, 0, tenant.stderr);
      const tenantId = (JSON.parse(tenant.stdout) as { id: string }).id;
      const run = await cli(['token', 'create', '--tenant', 'tok.example', '--label', 'crm', '--json', ...store]);
      assert.equal(run.code, 0, run.stderr);
      const created = JSON.parse(run.stdout) as TokenJson;
      assert.equal(created.kind, 'tenant');
      assert.equal(created.tenantId, tenantId);
      assert.match(created.token, /^ctt_/);

      const opened = await openServices({ ...db.options, create: false });
      try {
        assert.deepEqual(await opened.services.auth.verifyToken(created.token), { kind: 'tenant', tenantId });
        assert.equal((await cli(['token', 'revoke', created.id, ...store])).code, 0);
        assert.equal(await opened.services.auth.verifyToken(created.token), undefined);
      } finally {
        await opened.close();
      }
    });
  });
}
