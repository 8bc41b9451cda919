import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { callContext, callSettings } from '../../../../test/support/call-context.js';
import type { Action, CallContext } from '../types.js';
import { busyFeature } from './busy-feature.js';

describe('busyFeature', () => {
  const cases: Array<{ name: string; ctx: CallContext; expected: Action }> = [
    {
      name: 'on a call with call waiting off and no rule, it rejects with 486 without ringing',
      ctx: callContext(callSettings('101', { callWaiting: false }), { targetOnAnsweredCall: true }),
      expected: { kind: 'reject', status: 486, reason: 'Busy Here' },
    },
    {
      name: 'on a call with call waiting off and voicemail on, it forwards to the mailbox',
      ctx: callContext(callSettings('101', { callWaiting: false, voicemailEnabled: true }), { targetOnAnsweredCall: true }),
      expected: { kind: 'forward', target: { kind: 'voicemail', extension: '101' }, reason: 'busy' },
    },
    {
      name: 'on a call with call waiting off and a voicemail rule, it forwards to the mailbox',
      ctx: callContext(
        callSettings('101', { callWaiting: false, voicemailEnabled: true, forwarding: { busy: { kind: 'voicemail' } } }),
        { targetOnAnsweredCall: true },
      ),
      expected: { kind: 'forward', target: { kind: 'voicemail', extension: '101' }, reason: 'busy' },
    },
    {
      name: 'a voicemail rule with voicemail off falls back to 486',
      ctx: callContext(callSettings('101', { callWaiting: false, forwarding: { busy: { kind: 'voicemail' } } }), {
        targetOnAnsweredCall: true,
      }),
      expected: { kind: 'reject', status: 486, reason: 'Busy Here' },
    },
    {
      name: 'on a call with call waiting on, it continues (call waiting rings)',
      ctx: callContext(callSettings('101', { callWaiting: true }), { targetOnAnsweredCall: true }),
      expected: { kind: 'continue' },
    },
    {
      name: 'a fax extension on a call is busy even with call waiting on (SPEC 2.5)',
      ctx: callContext(callSettings('101', { callWaiting: true, fax: true }), { targetOnAnsweredCall: true }),
      expected: { kind: 'reject', status: 486, reason: 'Busy Here' },
    },
    {
      name: 'when every device refused (486/600/603), it applies the busy rule',
      ctx: callContext(callSettings('101', { forwarding: { busy: { kind: 'extension', number: '102' } } }), { reason: 'busy' }),
      expected: { kind: 'forward', target: { kind: 'extension', number: '102' }, reason: 'busy' },
    },
    {
      name: 'not on a call at the initial point, it continues',
      ctx: callContext(callSettings('101', { callWaiting: false })),
      expected: { kind: 'continue' },
    },
  ];
  for (const { name, ctx, expected } of cases) {
    test(name, () => assert.deepEqual(busyFeature.decide(ctx), expected));
  }
});
