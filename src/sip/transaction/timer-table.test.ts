import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_TIMER_SETTINGS, timerSettings, timerTable } from './timer-table.js';

describe('timer table (RFC 3261 Table 4, RFC 6026)', () => {
  it('defaults are T1 500 ms, T2 4 s, T4 5 s', () => {
    assert.equal(DEFAULT_TIMER_SETTINGS.t1, 500);
    assert.equal(DEFAULT_TIMER_SETTINGS.t2, 4000);
    assert.equal(DEFAULT_TIMER_SETTINGS.t4, 5000);
  });

  it('over an unreliable transport every timer runs with its RFC value', () => {
    assert.deepEqual(
      { ...timerTable(DEFAULT_TIMER_SETTINGS, false) },
      {
        T1: 500, T2: 4000, T4: 5000,
        A: 500, B: 32_000, D: 32_000, E: 500, F: 32_000, G: 500, H: 32_000,
        I: 5000, J: 32_000, K: 5000, L: 32_000, M: 32_000, trying: 200,
      },
    );
  });

  it('over a reliable transport A, E, G are not started and D, I, J, K are zero; B, F, H, L, M stay 64*T1', () => {
    assert.deepEqual(
      { ...timerTable(DEFAULT_TIMER_SETTINGS, true) },
      {
        T1: 500, T2: 4000, T4: 5000,
        A: undefined, B: 32_000, D: 0, E: undefined, F: 32_000, G: undefined, H: 32_000,
        I: 0, J: 0, K: 0, L: 32_000, M: 32_000, trying: 200,
      },
    );
  });

  it('the 64*T1 timers follow a configured T1, and T4 and D follow their settings', () => {
    const table = timerTable(timerSettings({ t1: 100, t2: 1000, t4: 2000, timerD: 40_000 }), false);
    assert.deepEqual([table.B, table.F, table.H, table.J, table.L, table.M], [6400, 6400, 6400, 6400, 6400, 6400]);
    assert.deepEqual([table.A, table.E, table.G, table.I, table.K, table.D], [100, 100, 100, 2000, 2000, 40_000]);
  });

  for (const bad of [{ t1: 0 }, { t1: -1 }, { t2: 100 }, { t4: Number.NaN }, { timerD: -5 }]) {
    it(`rejects the settings ${JSON.stringify(bad)}`, () => {
      assert.throws(() => timerSettings(bad), RangeError);
    });
  }
});
