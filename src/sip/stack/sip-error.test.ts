import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { silentLogger } from '../../lib/index.js';
import { parseMessage, SipResponse } from '../message/index.js';
import { sipRequest, testLayer, udpPeer } from '../transport/test-peers.js';
import type { TransportLayer } from '../transport/index.js';
import { SipError } from './sip-error.js';
import { SipStack } from './sip-stack.js';

describe('SipError: a request handler refuses with a status', { timeout: 10_000 }, () => {
  let layer: TransportLayer;
  let stack: SipStack;
  let port: number;

  before(async () => {
    const test = testLayer();
    layer = test.layer;
    stack = new SipStack({ transport: layer, clock: test.clock, logger: silentLogger() });
    await layer.listen({ udp: [{ host: '127.0.0.1', port: 0 }] });
    port = layer.localAddress('udp', 4).port;
  });
  after(async () => {
    stack.close();
    await layer.close();
  });

  /** Sends `method` from a fresh UDP peer and resolves with the final response. */
  async function answerTo(method: string): Promise<SipResponse> {
    const peer = await udpPeer(4);
    try {
      peer.socket.send(sipRequest(method, '', 'UDP'), port, '127.0.0.1');
      for (;;) {
        const parsed = parseMessage(await peer.next());
        assert.ok(parsed.ok);
        if (parsed.message instanceof SipResponse && parsed.message.status >= 200) return parsed.message;
      }
    } finally {
      await peer.close();
    }
  }

  it('a SipError thrown by a handler becomes that response, with its reason and headers', async () => {
    stack.onRequest('MESSAGE', () => {
      throw new SipError(403, 'Not Your Phone', [['Warning', '399 centrala "refused"']]);
    });
    const response = await answerTo('MESSAGE');
    assert.equal(response.status, 403);
    assert.equal(response.reason, 'Not Your Phone');
    assert.equal(response.headers.get('Warning'), '399 centrala "refused"');
  });

  it('a SipError rejected by an async handler becomes that response, with the status table reason when none is given', async () => {
    stack.onRequest('PUBLISH', async () => {
      await Promise.resolve();
      throw new SipError(488);
    });
    const response = await answerTo('PUBLISH');
    assert.equal(response.status, 488);
    assert.equal(response.reason, 'Not Acceptable Here');
  });

  it('any other failure of a handler is still a 500', async () => {
    stack.onRequest('NOTIFY', () => {
      throw new Error('bug');
    });
    assert.equal((await answerTo('NOTIFY')).status, 500);
  });

  it('refuses a status that is not a final non-2xx one', () => {
    for (const status of [100, 200, 299, 700, 486.5]) assert.throws(() => new SipError(status), RangeError);
  });
});
