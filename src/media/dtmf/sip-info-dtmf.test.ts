import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseInfoDtmf } from './sip-info-dtmf.js';

describe('SIP INFO DTMF bodies', () => {
  it('reads application/dtmf-relay Signal and Duration, case-insensitively, with CRLF or LF', () => {
    assert.deepEqual(parseInfoDtmf('application/dtmf-relay', 'Signal=5\r\nDuration=160\r\n'), { ok: true, value: { digit: '5', durationMs: 160 } });
    assert.deepEqual(parseInfoDtmf('Application/DTMF-Relay; charset=utf-8', 'signal = #\nduration=250'), { ok: true, value: { digit: '#', durationMs: 250 } });
    assert.deepEqual(parseInfoDtmf('application/dtmf-relay', Buffer.from('Signal=d')), { ok: true, value: { digit: 'D', durationMs: undefined } });
  });

  it('maps the event codes 10 and 11 some phones send to * and #', () => {
    assert.deepEqual(parseInfoDtmf('application/dtmf-relay', 'Signal=10\r\nDuration=100'), { ok: true, value: { digit: '*', durationMs: 100 } });
    assert.deepEqual(parseInfoDtmf('application/dtmf', '11'), { ok: true, value: { digit: '#', durationMs: undefined } });
  });

  it('reads application/dtmf, whose body is the digit alone', () => {
    assert.deepEqual(parseInfoDtmf('application/dtmf', '7\r\n'), { ok: true, value: { digit: '7', durationMs: undefined } });
  });

  it('names what is wrong with a bad body', () => {
    const cases: [string, string, RegExp][] = [
      ['application/dtmf-relay', 'Duration=160', /no Signal= line/],
      ['application/dtmf-relay', 'Signal=X', /"X" is not a digit/],
      ['application/dtmf-relay', 'Signal=1\nDuration=soon', /Duration=soon/],
      ['application/dtmf', '12 34', /not a digit/],
      ['application/sdp', 'v=0', /application\/sdp carries no DTMF/],
      ['', 'Signal=1', /\(none\) carries no DTMF/],
    ];
    for (const [type, body, error] of cases) {
      const result = parseInfoDtmf(type, body);
      assert.equal(result.ok, false, `${type} ${body}`);
      if (!result.ok) assert.match(result.error, error);
    }
  });
});
