import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { callContext, callSettings } from '../../../../test/support/call-context.js';
import type { Action, CallContext } from '../types.js';
import { noAnswerFeature } from './no-answer-feature.js';

const rules = {
  forwarding: {
    noAnswer: { kind: 'extension', number: '102' },
    busy: { kind: 'extension', number: '103' },
    returnAfterSeconds: 25,
  },
} as const;

describe('noAnswerFeature', () => {
  const cases: Array<{ name: string; ctx: CallContext; expected: Action }> = [
    {
      name: 'when nobody answered within the ring time, it applies the no-answer rule with return-after',
      ctx: callContext(callSettings('101', rules), { reason: 'noAnswer' }),
      expected: { kind: 'forward', target: { kind: 'extension', number: '102' }, reason: 'noAnswer', returnAfterSeconds: 25 },
    },
    {
      name: 'an unanswered call while the extension was on a call counts as busy (SPEC 2.2)',
      ctx: callContext(callSettings('101', rules), { reason: 'noAnswer', targetOnAnsweredCall: true }),
      expected: { kind: 'forward', target: { kind: 'extension', number: '103' }, reason: 'busy', returnAfterSeconds: 25 },
    },
    {
      name: 'without a rule and voicemail off, it rejects with 480 No Answer',
      ctx: callContext(callSettings('101'), { reason: 'noAnswer' }),
      expected: { kind: 'reject', status: 480, reason: 'No Answer' },
    },
    {
      name: 'busy while ringing without a rule and voicemail off, it rejects with 486',
      ctx: callContext(callSettings('101'), { reason: 'noAnswer', targetOnAnsweredCall: true }),
      expected: { kind: 'reject', status: 486, reason: 'Busy Here' },
    },
    {
      name: 'without a rule and voicemail on, it forwards to the mailbox',
      ctx: callContext(callSettings('101', { voicemailEnabled: true }), { reason: 'noAnswer' }),
      expected: { kind: 'forward', target: { kind: 'voicemail', extension: '101' }, reason: 'noAnswer' },
    },
    {
      name: 'an external rule with confirmation carries confirm',
      ctx: callContext(
        callSettings('101', { forwarding: { noAnswer: { kind: 'external', e164: '+48601000000' }, confirmExternal: true } }),
        { reason: 'noAnswer' },
      ),
      expected: { kind: 'forward', target: { kind: 'external', e164: '+48601000000' }, reason: 'noAnswer', confirm: true },
    },
    {
      name: 'at the initial point, it continues',
      ctx: callContext(callSettings('101', rules)),
      expected: { kind: 'continue' },
    },
  ];
  for (const { name, ctx, expected } of cases) {
    test(name, () => assert.deepEqual(noAnswerFeature.decide(ctx), expected));
  }
});
