// `centrala block list|clear` in-process on a SQLite store: the blocks the SIP side recorded, listed and lifted by
// id, by filter and all at once, and the usage errors of `clear` (docs/registrar.md, "Brute-force protection").
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { tmpdir } from 'node:os';
import type { CliIo } from '../src/cli/index.js';
import { runCli } from '../src/main.js';
import { openServices } from '../src/services/index.js';
import { TestDatabase } from './support/databases.js';

async function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const io: CliIo = { stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t), env: {}, cwd: tmpdir() };
  const code = await runCli(args, io);
  return { code, stdout, stderr };
}

describe('centrala block', () => {
  let db: TestDatabase;
  let store: string[];

  before(async () => {
    db = await TestDatabase.create('sqlite');
    await db.close();
    store = ['--data-dir', db.options.dataDir];
    const opened = await openServices({ dataDir: db.options.dataDir });
    try {
      await opened.services.tenants.create({ name: 'Office', sipDomain: 'office.example.com' });
      const now = Date.now();
      const base = { failures: 10, since: new Date(now), until: new Date(now + 300_000) };
      await opened.services.securityBlocks.record({ ...base, id: 'pair-1', scope: 'source-extension', source: '203.0.113.7', realm: 'office.example.com', username: '101' });
      await opened.services.securityBlocks.record({ ...base, id: 'scan-1', scope: 'source', source: '198.51.100.9', realm: 'office.example.com', username: '250' });
      await opened.services.securityBlocks.record({ ...base, id: 'scan-2', scope: 'source', source: '198.51.100.10', realm: 'other.example', username: '1' });
    } finally {
      await opened.close();
    }
  });
  after(async () => {
    await db.destroy();
  });

  it('lists the blocks in force as a table and as JSON, filtered by source, tenant and extension', async () => {
    const table = await cli(['block', 'list', ...store]);
    assert.equal(table.code, 0, table.stderr);
    assert.match(table.stdout, /^ID +SCOPE +SOURCE +SIP DOMAIN +EXTENSION +FAILURES +SINCE +UNTIL\n/);
    assert.match(table.stdout, /pair-1 +source-extension +203\.0\.113\.7 +office\.example\.com +101 +10 /);
    const ids = async (...args: string[]): Promise<string[]> => {
      const run = await cli(['block', 'list', ...args, '--json', ...store]);
      assert.equal(run.code, 0, run.stderr);
      return (JSON.parse(run.stdout) as { id: string }[]).map((b) => b.id).sort();
    };
    assert.deepEqual(await ids(), ['pair-1', 'scan-1', 'scan-2']);
    assert.deepEqual(await ids('--source', '203.0.113.7'), ['pair-1']);
    assert.deepEqual(await ids('--tenant', 'office.example.com'), ['pair-1', 'scan-1']);
    assert.deepEqual(await ids('--tenant', 'office.example.com', '--extension', '101'), ['pair-1']);
  });

  it('clear needs an id, a filter or --all, never an id with them', async () => {
    const bare = await cli(['block', 'clear', ...store]);
    assert.equal(bare.code, 2);
    assert.match(bare.stderr, /say which blocks to lift: a block id \(see block list\), --source, --tenant, --extension, or --all/);
    const both = await cli(['block', 'clear', 'pair-1', '--all', ...store]);
    assert.equal(both.code, 2);
    assert.match(both.stderr, /either a block id or --all/);
    const unknown = await cli(['block', 'clear', 'no-such-block', ...store]);
    assert.equal(unknown.code, 1);
    assert.match(unknown.stderr, /SECURITY_BLOCK_NOT_FOUND/);
  });

  it('clear lifts one by id, the matching ones by filter, then every one with --all', async () => {
    const one = await cli(['block', 'clear', 'pair-1', ...store]);
    assert.equal(one.code, 0, one.stderr);
    assert.match(one.stdout, /^Lifted 1 block\.\n/);
    const bySource = await cli(['block', 'clear', '--source', '198.51.100.9', '--json', ...store]);
    assert.deepEqual((JSON.parse(bySource.stdout) as { id: string }[]).map((b) => b.id), ['scan-1']);
    const all = await cli(['block', 'clear', '--all', ...store]);
    assert.match(all.stdout, /^Lifted 1 block\./);
    const empty = await cli(['block', 'list', ...store]);
    assert.equal(empty.stdout, 'No blocks in force.\n');
  });
});
