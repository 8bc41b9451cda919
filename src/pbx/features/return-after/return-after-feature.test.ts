import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { callContext, callSettings } from '../../../../test/support/call-context.js';
import type { Action, CallContext } from '../types.js';
import { returnAfterFeature } from './return-after-feature.js';

const hops = [{ from: '101', to: { kind: 'extension', number: '102' }, reason: 'noAnswer' }] as const;
const forwarding = { noAnswer: { kind: 'extension', number: '102' }, returnAfterSeconds: 20 } as const;

describe('returnAfterFeature', () => {
  const cases: Array<{ name: string; ctx: CallContext; expected: Action }> = [
    {
      name: 'when the forward target did not answer in time and voicemail is on, it goes to the mailbox',
      ctx: callContext(callSettings('101', { voicemailEnabled: true, forwarding }), { reason: 'returnAfter', hops }),
      expected: { kind: 'forward', target: { kind: 'voicemail', extension: '101' }, reason: 'returnAfter' },
    },
    {
      name: 'when the forward target did not answer in time and voicemail is off, it disconnects with 480',
      ctx: callContext(callSettings('101', { forwarding }), { reason: 'returnAfter', hops }),
      expected: { kind: 'reject', status: 480, reason: 'No Answer' },
    },
    {
      name: 'it never forwards again, even with a forwarding rule',
      ctx: callContext(callSettings('101', { forwarding: { ...forwarding, busy: { kind: 'extension', number: '103' } } }), {
        reason: 'returnAfter',
        hops,
      }),
      expected: { kind: 'reject', status: 480, reason: 'No Answer' },
    },
    {
      name: 'at any other point, it continues',
      ctx: callContext(callSettings('101', { voicemailEnabled: true, forwarding }), { reason: 'noAnswer' }),
      expected: { kind: 'continue' },
    },
  ];
  for (const { name, ctx, expected } of cases) {
    test(name, () => assert.deepEqual(returnAfterFeature.decide(ctx), expected));
  }
});
