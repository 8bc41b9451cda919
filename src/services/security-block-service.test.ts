import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { forEachDatabase } from '../../test/support/databases.js';
import { isDomainError, type SecurityBlock } from '../domain/index.js';
import { FakeClock } from '../lib/index.js';
import { createServices } from './create-services.js';

forEachDatabase('security blocks (docs/registrar.md, brute-force protection)', (suite) => {
  const clock = new FakeClock(Date.parse('2026-12-05T01:00:00.000Z'));
  let services: ReturnType<typeof createServices>;
  before(() => {
    services = createServices(suite.db, { clock });
  });
  const at = (offsetMs: number): Date => new Date(clock.now() + offsetMs);
  const block = (id: string, extra: Partial<Omit<SecurityBlock, 'tenantId'>> = {}): Omit<SecurityBlock, 'tenantId'> => ({
    id,
    scope: 'source-extension',
    source: '192.0.2.7',
    realm: 'blocks.example.com',
    username: '101',
    failures: 10,
    since: at(0),
    until: at(300_000),
    ...extra,
  });

  test('records blocks (idempotent on id), finds the tenant by its SIP domain, lists the ones in force oldest first', async () => {
    const tenant = await services.tenants.create({ name: 'Blocks', sipDomain: 'blocks.example.com' });
    await services.securityBlocks.record(block('b1'));
    await services.securityBlocks.record(block('b1'));
    await services.securityBlocks.record(block('b2', { scope: 'source', source: '2001:db8:1:2::/64', realm: 'unknown.example', username: '555', since: at(1) }));
    await services.securityBlocks.record(block('ended', { until: at(0) }));
    const { items } = await services.securityBlocks.list();
    assert.deepEqual(
      items.map((b) => [b.id, b.scope, b.tenantId, b.sipDomain, b.extension, b.source]),
      [
        ['b1', 'source-extension', tenant.id, 'blocks.example.com', '101', '192.0.2.7'],
        ['b2', 'source', null, 'unknown.example', '555', '2001:db8:1:2::/64'],
      ],
    );
    assert.deepEqual(items[0], {
      id: 'b1',
      scope: 'source-extension',
      source: '192.0.2.7',
      tenantId: tenant.id,
      sipDomain: 'blocks.example.com',
      extension: '101',
      failures: 10,
      since: '2026-12-05T01:00:00.000Z',
      until: '2026-12-05T01:05:00.000Z',
      remainingSeconds: 300,
    });
    assert.deepEqual((await services.securityBlocks.list({ tenant: 'BLOCKS.example.com' })).items.map((b) => b.id), ['b1']);
    assert.deepEqual((await services.securityBlocks.list({ tenant: tenant.id })).items.map((b) => b.id), ['b1']);
    assert.deepEqual((await services.securityBlocks.list({ source: '2001:db8:1:2:aaaa::9' })).items.map((b) => b.id), ['b2']);
    assert.deepEqual((await services.securityBlocks.list({ extension: '555' })).items.map((b) => b.id), ['b2']);
    assert.deepEqual([...(await services.securityBlocks.stored(['b1', 'nope', 'ended']))].sort(), ['b1', 'ended']);
  });

  test('lift(id) deletes one block and tells the listeners; an unknown or ended one is SECURITY_BLOCK_NOT_FOUND', async () => {
    const heard: string[][] = [];
    const off = services.securityBlocks.events.on('lifted', (blocks) => heard.push(blocks.map((b) => b.id)));
    try {
      assert.equal((await services.securityBlocks.lift('b1')).id, 'b1');
      assert.deepEqual(heard, [['b1']]);
      for (const id of ['b1', 'ended', 'never']) {
        await assert.rejects(services.securityBlocks.lift(id), (err) => isDomainError(err, 'SECURITY_BLOCK_NOT_FOUND'));
      }
      await services.securityBlocks.record(block('b3', { source: '192.0.2.8' }));
      assert.deepEqual((await services.securityBlocks.liftAll({ source: '192.0.2.8' })).map((b) => b.id), ['b3']);
      assert.deepEqual((await services.securityBlocks.liftAll()).map((b) => b.id), ['b2']);
      assert.deepEqual(heard, [['b1'], ['b3'], ['b2']]);
      assert.deepEqual(await services.securityBlocks.liftAll(), []);
      assert.deepEqual(heard.length, 3, 'nothing lifted, nothing told');
    } finally {
      off();
    }
  });

  test('purgeEnded deletes the blocks that ended', async () => {
    await services.securityBlocks.purgeEnded();
    assert.deepEqual([...(await services.securityBlocks.stored(['ended']))], []);
  });
});
