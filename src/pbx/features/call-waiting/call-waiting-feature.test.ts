import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { callContext, callSettings } from '../../../../test/support/call-context.js';
import type { Action, CallContext } from '../types.js';
import { callWaitingFeature } from './call-waiting-feature.js';

describe('callWaitingFeature', () => {
  const cases: Array<{ name: string; ctx: CallContext; expected: Action }> = [
    {
      name: 'on a call with call waiting on, it rings the devices as a waiting call for the ring time',
      ctx: callContext(callSettings('101', { ringTimeSeconds: 15 }), { targetOnAnsweredCall: true }),
      expected: { kind: 'ringDevices', ringTimeSeconds: 15, callWaiting: true },
    },
    {
      name: 'not on a call, it continues',
      ctx: callContext(callSettings('101')),
      expected: { kind: 'continue' },
    },
    {
      name: 'with call waiting off, it continues',
      ctx: callContext(callSettings('101', { callWaiting: false }), { targetOnAnsweredCall: true }),
      expected: { kind: 'continue' },
    },
    {
      name: 'on a fax extension, it continues',
      ctx: callContext(callSettings('101', { fax: true }), { targetOnAnsweredCall: true }),
      expected: { kind: 'continue' },
    },
    {
      name: 'at the no-answer point, it continues',
      ctx: callContext(callSettings('101'), { reason: 'noAnswer', targetOnAnsweredCall: true }),
      expected: { kind: 'continue' },
    },
  ];
  for (const { name, ctx, expected } of cases) {
    test(name, () => assert.deepEqual(callWaitingFeature.decide(ctx), expected));
  }
});
