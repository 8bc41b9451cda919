/**
 * Property tests: the parser never throws whatever it is given, generated valid messages survive
 * serialize → parse unchanged, and mutated torture messages are handled without exceptions.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import fc from 'fast-check';
import { parseMessage } from './parse-message.js';
import { serializeMessage } from './serialize-message.js';
import { createResponse } from './create-response.js';
import { StreamFramer } from './stream-framer.js';
import { SipRequest } from './sip-request.js';
import { SipResponse } from './sip-response.js';
import { SipUri } from './uri.js';
import { NameAddr } from './name-addr.js';
import { Via } from './via.js';
import { canonicalHeaderName } from './compact-forms.js';
import { parseAuthHeader } from './auth-params.js';

const TORTURE = new URL('../../../test/fixtures/sip/torture/', import.meta.url);
const fixtures = readdirSync(TORTURE)
  .filter((f) => f.endsWith('.sip'))
  .sort()
  .map((f) => readFileSync(new URL(f, TORTURE)));

/** Runs everything a caller may do with a parse result; any exception fails the property. */
function exercise(bytes: Uint8Array): void {
  const result = parseMessage(bytes);
  assert.equal(typeof result.ok, 'boolean');
  if (!result.ok) {
    assert.ok(result.error.status >= 400 && result.error.status <= 599);
    assert.ok(!/[\r\n]/.test(result.error.reason));
    const request = result.error.request;
    if (request !== undefined) {
      serializeMessage(createResponse(request, result.error.status, result.error.reason, { toTag: 't' }));
    }
    return;
  }
  const m = result.message;
  m.via();
  m.from();
  m.to();
  m.callId();
  m.cseq();
  m.contacts();
  m.routes();
  m.recordRoutes();
  m.maxForwards();
  m.expires();
  m.contentType();
  for (const value of m.headers.getAll('authorization')) parseAuthHeader(value);
  // Whatever parses must serialize and parse back to the same message.
  const again = parseMessage(serializeMessage(m));
  assert.ok(again.ok, again.ok ? '' : `re-parse failed: ${again.error.reason}`);
  assert.equal(again.message.startLine(), m.startLine());
  assert.deepEqual(Buffer.from(again.message.body), Buffer.from(m.body));
}

const sipAlphabet = fc.constantFrom(
  'INVITE', 'REGISTER', 'SIP/2.0', 'SIP/2.0 200 OK', ' ', '  ', '\t', '\r\n', '\r\n ', '\r\n\r\n', '\n', '\r', ':',
  ';', ',', '=', '"', '\\', '<', '>', '@', '[', ']', '%', '%4', '%41', 'sip:', 'sips:', 'tel:', 'Via: ', 'v:',
  'SIP/2.0/UDP ', 'From: ', 'To: ', 'Call-ID: ', 'CSeq: ', '1 INVITE', 'Contact: ', '*', 'l: ', 'Content-Length: ',
  '0', '5', '-1', '99999999999', 'branch=z9hG4bK', 'tag=', 'host.example.com', '192.0.2.1', '::1', 'ż', '\u0000',
  'Max-Forwards: ', '70', 'Route: ', 'Record-Route: ', 'Content-Type: ', 'application/sdp', 'a', 'b',
);
const sipish = fc.array(sipAlphabet, { maxLength: 80 }).map((parts) => Buffer.from(parts.join(''), 'utf8'));

describe('parser properties', () => {
  it('arbitrary bytes never throw: parseMessage always returns a ParseResult', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 1500 }), (bytes) => exercise(bytes)), { numRuns: 400 });
  });

  it('arbitrary strings never throw', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 400 }), (text) => exercise(Buffer.from(text, 'utf8'))),
      { numRuns: 300 },
    );
  });

  it('SIP-shaped noise never throws', () => {
    fc.assert(fc.property(sipish, (bytes) => exercise(bytes)), { numRuns: 1500 });
  });

  it('mutated torture messages never throw', () => {
    const mutation = fc.record({
      index: fc.nat({ max: fixtures.length - 1 }),
      edits: fc.array(
        fc.record({
          kind: fc.constantFrom('flip', 'insert', 'delete', 'truncate', 'duplicate-line', 'splice'),
          at: fc.nat(),
          byte: fc.constantFrom(0, 9, 10, 13, 32, 34, 37, 44, 58, 59, 60, 62, 64, 92, 0xc3, 0xff, 65, 48),
          length: fc.nat({ max: 40 }),
        }),
        { minLength: 1, maxLength: 6 },
      ),
    });
    fc.assert(
      fc.property(mutation, ({ index, edits }) => {
        let bytes = Buffer.from(fixtures[index] ?? Buffer.alloc(0));
        for (const edit of edits) {
          const at = bytes.length === 0 ? 0 : edit.at % bytes.length;
          if (edit.kind === 'flip') bytes[at] = edit.byte;
          else if (edit.kind === 'insert') bytes = Buffer.concat([bytes.subarray(0, at), Buffer.from([edit.byte]), bytes.subarray(at)]);
          else if (edit.kind === 'delete') bytes = Buffer.concat([bytes.subarray(0, at), bytes.subarray(at + 1 + edit.length)]);
          else if (edit.kind === 'truncate') bytes = bytes.subarray(0, at);
          else if (edit.kind === 'splice') bytes = Buffer.concat([bytes.subarray(0, at), bytes.subarray(at - edit.length < 0 ? 0 : at - edit.length)]);
          else {
            const start = bytes.lastIndexOf('\n', at) + 1;
            const end = bytes.indexOf('\n', at);
            const line = bytes.subarray(start, end < 0 ? bytes.length : end + 1);
            bytes = Buffer.concat([bytes.subarray(0, start), line, bytes.subarray(start)]);
          }
        }
        exercise(bytes);
      }),
      { numRuns: 2000 },
    );
  });

  it('a StreamFramer fed arbitrary chunks never throws and never holds more than the limit', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(sipish, fc.uint8Array({ maxLength: 300 })), { maxLength: 30 }), (chunks) => {
        const framer = new StreamFramer({ maxMessageSize: 4096 });
        for (const chunk of chunks) {
          for (const item of framer.push(chunk)) if (Buffer.isBuffer(item)) exercise(item);
          assert.ok(framer.buffered <= 4096 + chunk.length);
        }
      }),
      { numRuns: 300 },
    );
  });
});

const tokenChars = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-.!%*_+`\'~';
const token = fc.string({ unit: fc.constantFrom(...tokenChars), minLength: 1, maxLength: 12 });
const text = fc
  .string({ unit: fc.oneof(fc.constantFrom(...'abc XYZ019,;:"\\<>@=/?&%ąęż€\t'), fc.constantFrom('\u0000', '\u007f')), maxLength: 20 });
const host = fc.oneof(
  fc.domain().filter((d) => !d.includes('..')),
  fc.ipV4(),
  fc.ipV6().map((a) => `[${a}]`),
);
const uri = fc
  .record({
    scheme: fc.constantFrom('sip', 'sips'),
    user: fc.option(fc.string({ unit: fc.constantFrom(...'ab09+-;?/:@ %ż&=$,\u0000'), minLength: 1, maxLength: 12 }), { nil: undefined }),
    host,
    port: fc.option(fc.integer({ min: 0, max: 65535 }), { nil: undefined }),
    params: fc.dictionary(token, fc.option(fc.string({ unit: fc.constantFrom(...'ab09-:[]/ %;='), minLength: 1, maxLength: 8 }), { nil: null }), { maxKeys: 3 }),
  })
  .map((parts) => SipUri.create(parts));
const nameAddr = fc
  .record({
    displayName: fc.option(text, { nil: undefined }),
    uri,
    params: fc.dictionary(token, fc.option(fc.oneof(token, text), { nil: null }), { maxKeys: 3 }),
  })
  .map((parts) => NameAddr.create(parts));
const via = fc
  .record({ transport: fc.constantFrom('UDP', 'TCP', 'TLS', 'WS', 'WSS', 'SCTP'), host, port: fc.option(fc.integer({ min: 1, max: 65535 }), { nil: undefined }), branch: token })
  .map(({ branch, ...rest }) => Via.create({ ...rest, params: { branch: `z9hG4bK${branch}`, rport: null } }));
const extraHeaders = fc.array(
  fc.tuple(token.map((t) => `X-${t}`), text.map((t) => t.replace(/^[ \t]+|[ \t]+$/g, ''))),
  { maxLength: 5 },
);
const common = fc.record({
  vias: fc.array(via, { minLength: 1, maxLength: 4 }),
  from: nameAddr,
  to: nameAddr,
  callId: fc.string({ unit: fc.constantFrom(...'abc123@.-_!%*+~:<>/"[]?{}()'), minLength: 1, maxLength: 30 }),
  seq: fc.integer({ min: 0, max: 2 ** 31 - 1 }),
  contacts: fc.array(nameAddr, { maxLength: 3 }),
  extra: extraHeaders,
  body: fc.uint8Array({ maxLength: 200 }),
});

function headersOf(parts: { vias: Via[]; from: NameAddr; to: NameAddr; callId: string; contacts: NameAddr[]; extra: [string, string][] }, cseq: string): [string, string][] {
  return [
    ...parts.vias.map((v): [string, string] => ['Via', v.toString()]),
    ['From', parts.from.toString()],
    ['To', parts.to.toString()],
    ['Call-ID', parts.callId],
    ['CSeq', cseq],
    ...parts.contacts.map((c): [string, string] => ['Contact', c.toString()]),
    ...parts.extra,
  ];
}

function assertSameMessage(back: SipRequest | SipResponse, original: SipRequest | SipResponse): void {
  assert.equal(back.startLine(), original.startLine());
  const lines = (m: SipRequest | SipResponse): string[][] =>
    m.headers.fields().filter((f) => canonicalHeaderName(f.name) !== 'Content-Length').map((f) => [canonicalHeaderName(f.name), f.value]);
  assert.deepEqual(lines(back), lines(original));
  assert.deepEqual(Buffer.from(back.body), Buffer.from(original.body));
  assert.equal(back.from()?.toString(), original.from()?.toString());
  assert.equal(back.to()?.toString(), original.to()?.toString());
  assert.deepEqual(back.via().map(String), original.via().map(String));
  assert.deepEqual(back.cseq(), original.cseq());
}

describe('round trip properties', () => {
  it('generated valid requests: parse(serialize(m)) equals m', () => {
    const method = fc.oneof(fc.constantFrom('INVITE', 'ACK', 'BYE', 'CANCEL', 'REGISTER', 'OPTIONS', 'MESSAGE'), token);
    fc.assert(
      fc.property(method, uri, common, (m, requestUri, parts) => {
        const message = SipRequest.create({ method: m, uri: requestUri.withoutHeaders(), headers: headersOf(parts, `${parts.seq} ${m}`), body: parts.body });
        const result = parseMessage(serializeMessage(message));
        assert.ok(result.ok, result.ok ? '' : `${result.error.reason}\n${message.toString()}`);
        assert.ok(result.message instanceof SipRequest);
        assert.ok(result.message.uri.equals(message.uri));
        assertSameMessage(result.message, message);
      }),
      { numRuns: 400 },
    );
  });

  it('generated valid responses: parse(serialize(m)) equals m', () => {
    const reason = fc.string({ unit: fc.constantFrom(...'OK ąż Busy-Here/\t!'), maxLength: 20 });
    fc.assert(
      fc.property(fc.integer({ min: 100, max: 699 }), reason, common, (status, phrase, parts) => {
        const message = SipResponse.create({ status, reason: phrase, headers: headersOf(parts, `${parts.seq} INVITE`), body: parts.body });
        const result = parseMessage(serializeMessage(message));
        assert.ok(result.ok, result.ok ? '' : `${result.error.reason}\n${message.toString()}`);
        assert.ok(result.message instanceof SipResponse);
        assert.equal(result.message.status, status);
        assert.equal(result.message.reason, phrase);
        assertSameMessage(result.message, message);
      }),
      { numRuns: 300 },
    );
  });

  it('generated URIs and addresses: parse(toString()) is equivalent', () => {
    fc.assert(
      fc.property(nameAddr, (value) => {
        const back = NameAddr.parse(value.toString());
        assert.ok(back, value.toString());
        assert.ok(back.uri.equals(value.uri));
        assert.equal(back.toString(), value.toString());
        assert.equal(back.displayName, value.displayName?.replace(/[\r\n]/g, ' '));
      }),
      { numRuns: 500 },
    );
  });
});
