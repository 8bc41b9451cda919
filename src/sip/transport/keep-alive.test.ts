import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { keepAliveKind } from './keep-alive.js';

describe('keepAliveKind (RFC 5626 §3.5.1)', () => {
  const cases: [string, string | undefined][] = [
    ['\r\n\r\n', 'ping'],
    ['\r\n\r\n\r\n', 'ping'],
    ['\r\n', 'pong'],
    ['', 'pong'],
    ['\n', 'pong'],
    ['OPTIONS sip:x SIP/2.0\r\n\r\n', undefined],
    ['\r\n\r\nX', undefined],
  ];
  for (const [text, kind] of cases) {
    it(`classifies ${JSON.stringify(text)} as ${kind ?? 'a message'}`, () => {
      assert.equal(keepAliveKind(Buffer.from(text)), kind);
    });
  }
});
