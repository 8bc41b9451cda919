import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { createLogger } from './main.js';

/** A stream that collects what is written, claiming to be a terminal or not. */
function sink(isTTY: boolean): { stream: PassThrough & { isTTY?: boolean }; text: () => string } {
  const stream: PassThrough & { isTTY?: boolean } = new PassThrough();
  stream.isTTY = isTTY;
  let text = '';
  stream.setEncoding('utf8').on('data', (d: string) => (text += d));
  return { stream, text: () => text };
}

/** Logs one registration line with `format` on a (non-)terminal and returns what was written. */
async function logged(format: 'auto' | 'pretty' | 'json', isTTY: boolean): Promise<string> {
  const out = sink(isTTY);
  const logger = createLogger({ logLevel: 'info', logFormat: format }, out.stream);
  logger.child({ module: 'sip' }).info({ tenant: 'acme.test', extension: '101' }, 'registered');
  logger.debug({}, 'not at info');
  await new Promise((r) => setImmediate(r));
  return out.text();
}

const PRETTY_LINE = /^\[\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3}\] INFO: registered \{"module":"sip","tenant":"acme\.test","extension":"101"\}\n$/;

describe('createLogger', () => {
  it('auto on a terminal writes one readable line per event: time, level name, message, fields', async () => {
    // eslint-disable-next-line no-control-regex
    const text = (await logged('auto', true)).replace(/\u001b\[[0-9;]*m/g, '');
    assert.match(text, PRETTY_LINE);
  });

  it('auto elsewhere writes JSON lines with an ISO 8601 time and the level name', async () => {
    const line = JSON.parse(await logged('auto', false)) as Record<string, unknown>;
    assert.equal(line.level, 'info');
    assert.match(String(line.time), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    assert.deepEqual([line.msg, line.tenant, line.extension, line.module], ['registered', 'acme.test', '101', 'sip']);
  });

  it('--log-format json is JSON on a terminal too, pretty is readable (without colours) off a terminal', async () => {
    assert.equal((JSON.parse(await logged('json', true)) as { msg: string }).msg, 'registered');
    assert.match(await logged('pretty', false), PRETTY_LINE);
  });
});
