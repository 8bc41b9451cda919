import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { callContext, callSettings } from '../../../../test/support/call-context.js';
import type { CallReason } from '../types.js';
import { ringTimeFeature } from './ring-time-feature.js';

describe('ringTimeFeature', () => {
  for (const ringTimeSeconds of [5, 30, 300]) {
    test(`at the initial point, it rings every device for the extension's ring time (${ringTimeSeconds} s)`, () => {
      assert.deepEqual(ringTimeFeature.decide(callContext(callSettings('101', { ringTimeSeconds }))), {
        kind: 'ringDevices',
        ringTimeSeconds,
        callWaiting: false,
      });
    });
  }
  for (const reason of ['noAnswer', 'busy', 'unavailable', 'returnAfter'] satisfies CallReason[]) {
    test(`at the ${reason} point, it continues`, () => {
      assert.deepEqual(ringTimeFeature.decide(callContext(callSettings('101'), { reason })), { kind: 'continue' });
    });
  }
});
