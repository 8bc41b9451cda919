import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { callContext, callSettings } from '../../../../test/support/call-context.js';
import type { Action, CallContext } from '../types.js';
import { unavailableFeature } from './unavailable-feature.js';

describe('unavailableFeature', () => {
  const cases: Array<{ name: string; ctx: CallContext; expected: Action }> = [
    {
      name: 'with no registered device and no rule, it rejects at once with 480',
      ctx: callContext(callSettings('101'), { registeredDevices: 0 }),
      expected: { kind: 'reject', status: 480, reason: 'Temporarily Unavailable' },
    },
    {
      name: 'with no registered device and voicemail on, it forwards to the mailbox (default handling)',
      ctx: callContext(callSettings('101', { voicemailEnabled: true }), { registeredDevices: 0 }),
      expected: { kind: 'forward', target: { kind: 'voicemail', extension: '101' }, reason: 'unavailable' },
    },
    {
      name: 'with no registered device and an extension rule, it forwards there with return-after',
      ctx: callContext(
        callSettings('101', { forwarding: { unavailable: { kind: 'extension', number: '102' }, returnAfterSeconds: 20 } }),
        { registeredDevices: 0 },
      ),
      expected: { kind: 'forward', target: { kind: 'extension', number: '102' }, reason: 'unavailable', returnAfterSeconds: 20 },
    },
    {
      name: 'when every device failed while ringing, it applies the unavailable rule',
      ctx: callContext(callSettings('101', { forwarding: { unavailable: { kind: 'external', e164: '+48221234567' } } }), {
        reason: 'unavailable',
        registeredDevices: 2,
      }),
      expected: { kind: 'forward', target: { kind: 'external', e164: '+48221234567' }, reason: 'unavailable' },
    },
    {
      name: 'with a registered device at the initial point, it continues',
      ctx: callContext(callSettings('101', { forwarding: { unavailable: { kind: 'extension', number: '102' } } })),
      expected: { kind: 'continue' },
    },
    {
      name: 'at the busy point, it continues even with no device',
      ctx: callContext(callSettings('101'), { reason: 'busy', registeredDevices: 0 }),
      expected: { kind: 'continue' },
    },
  ];
  for (const { name, ctx, expected } of cases) {
    test(name, () => assert.deepEqual(unavailableFeature.decide(ctx), expected));
  }
});
