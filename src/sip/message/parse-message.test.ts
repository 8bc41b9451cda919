import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { MAX_MESSAGE_SIZE, parseMessage } from './parse-message.js';
import type { SipParseError } from './parse-error.js';
import { SipRequest } from './sip-request.js';
import { SipResponse } from './sip-response.js';

const CRLF = '\r\n';

/** A valid OPTIONS request, with `lines` replacing (by name) or extending its headers. */
function request(overrides: Record<string, string | null> = {}, body = '', startLine = 'OPTIONS sip:bob@example.com SIP/2.0'): Buffer {
  const headers: Record<string, string | null> = {
    Via: 'SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bK74bf9',
    'Max-Forwards': '70',
    From: '"Alice" <sip:alice@example.com>;tag=9fxced76sl',
    To: '<sip:bob@example.com>',
    'Call-ID': '3848276298220188511@atlanta.example.com',
    CSeq: '1 OPTIONS',
    'Content-Length': String(Buffer.byteLength(body)),
    ...overrides,
  };
  const lines = Object.entries(headers)
    .filter((entry): entry is [string, string] => entry[1] !== null)
    .map(([name, value]) => `${name.replace(/#\d+$/, '')}: ${value}`);
  return Buffer.from([startLine, ...lines, '', body].join(CRLF));
}

function parsed(bytes: Uint8Array | string): SipRequest | SipResponse {
  const result = parseMessage(typeof bytes === 'string' ? Buffer.from(bytes) : bytes);
  if (!result.ok) assert.fail(`expected a message, got ${result.error.status} ${result.error.reason}`);
  return result.message;
}

function parsedRequest(bytes: Uint8Array | string): SipRequest {
  const message = parsed(bytes);
  assert.ok(message instanceof SipRequest);
  return message;
}

function failed(bytes: Uint8Array | string): SipParseError {
  const result = parseMessage(typeof bytes === 'string' ? Buffer.from(bytes) : bytes);
  if (result.ok) assert.fail('expected a parse error');
  return result.error;
}

describe('parseMessage (RFC 3261 §7)', () => {
  describe('requests', () => {
    it('reads the Request-Line, the headers in order and the typed values', () => {
      const message = parsedRequest(request());
      assert.equal(message.method, 'OPTIONS');
      assert.equal(message.uri.toString(), 'sip:bob@example.com');
      assert.deepEqual(
        message.headers.fields().map((f) => f.name),
        ['Via', 'Max-Forwards', 'From', 'To', 'Call-ID', 'CSeq', 'Content-Length'],
      );
      assert.equal(message.topVia()?.branch, 'z9hG4bK74bf9');
      assert.equal(message.from()?.tag, '9fxced76sl');
      assert.equal(message.from()?.displayName, 'Alice');
      assert.equal(message.to()?.tag, undefined);
      assert.equal(message.callId(), '3848276298220188511@atlanta.example.com');
      assert.deepEqual(message.cseq(), { seq: 1, method: 'OPTIONS' });
      assert.equal(message.maxForwards(), 70);
      assert.equal(message.body.length, 0);
    });

    it('understands compact header forms (RFC 3261 §7.3.3)', () => {
      const text = [
        'INVITE sip:bob@example.com SIP/2.0',
        'v: SIP/2.0/UDP 192.0.2.1;branch=z9hG4bK1',
        'f: <sip:alice@example.com>;tag=1',
        't: <sip:bob@example.com>',
        'i: compact@example.com',
        'CSeq: 7 INVITE',
        'm: <sip:alice@192.0.2.1>',
        'c: application/sdp',
        'k: timer, 100rel',
        'l: 4',
        '',
        'v=0\n',
      ].join(CRLF);
      const message = parsedRequest(text);
      assert.equal(message.callId(), 'compact@example.com');
      assert.equal(message.contentType(), 'application/sdp');
      assert.deepEqual(message.headers.getAll('Supported'), ['timer', '100rel']);
      const contacts = message.contacts();
      assert.ok(Array.isArray(contacts));
      assert.equal(contacts[0]?.uri.host, '192.0.2.1');
      assert.equal(message.bodyText(), 'v=0\n');
    });

    it('undoes header folding: a continuation line is LWS equivalent to one SP (RFC 3261 §7.3.1)', () => {
      const message = parsedRequest(
        request({ Subject: 'I know you\'re there,' + CRLF + '         pick up the phone' + CRLF + '   and talk to me!' }),
      );
      assert.equal(message.headers.get('subject'), "I know you're there, pick up the phone and talk to me!");
    });

    it('accepts a header whose value starts on a continuation line and LWS before the colon', () => {
      const message = parsedRequest(request({ 'Contact ': CRLF + '  <sip:alice@192.0.2.1>' }));
      assert.equal(message.headers.get('contact'), '<sip:alice@192.0.2.1>');
    });

    it('ignores CRLFs before the start line (RFC 3261 §7.5)', () => {
      assert.equal(parsedRequest(Buffer.concat([Buffer.from('\r\n\r\n'), request()])).method, 'OPTIONS');
    });

    it('tolerates bare LF line endings', () => {
      const text = request({}, 'hello').toString('latin1').replaceAll('\r\n', '\n');
      const message = parsedRequest(text.replace('Content-Length: 5', 'Content-Length: 5'));
      assert.equal(message.bodyText(), 'hello');
    });

    it('keeps the method case-sensitive and an escaped method as is (RFC 4475 §3.1.1.5)', () => {
      const message = parsedRequest(request({ CSeq: '1 RE%47IST%45R' }, '', 'RE%47IST%45R sip:bob@example.com SIP/2.0'));
      assert.equal(message.method, 'RE%47IST%45R');
      const error = failed(request({ CSeq: '1 OPTIONS' }, '', 'options sip:bob@example.com SIP/2.0'));
      assert.equal(error.reason, 'CSeq method mismatch');
    });

    it('accepts a request without Max-Forwards (RFC 2543 peers, RFC 4475 §3.4.1)', () => {
      assert.equal(parsedRequest(request({ 'Max-Forwards': null })).maxForwards(), undefined);
    });

    it('keeps unknown headers and their order', () => {
      const message = parsedRequest(request({ 'X-Custom': 'a', 'x-custom#2': 'b' }));
      assert.deepEqual(message.headers.getAll('X-CUSTOM'), ['a', 'b']);
    });

    it('accepts the REGISTER wildcard Contact "*" (RFC 3261 §10.2.2)', () => {
      const message = parsedRequest(
        request({ CSeq: '2 REGISTER', Contact: '*', Expires: '0' }, '', 'REGISTER sip:example.com SIP/2.0'),
      );
      assert.equal(message.contacts(), '*');
      assert.equal(message.expires(), 0);
    });

    it('parses Route and Record-Route values in order', () => {
      const message = parsedRequest(request({ Route: '<sip:p1.example.com;lr>, <sip:p2.example.com;lr>', 'Record-Route': '<sip:rr.example.com;lr>' }));
      assert.deepEqual(message.routes().map((r) => r.uri.host), ['p1.example.com', 'p2.example.com']);
      assert.equal(message.recordRoutes()[0]?.uri.param('lr'), null);
    });
  });

  describe('bodies and Content-Length', () => {
    it('takes the body by Content-Length and ignores trailing octets (RFC 4475 §3.1.1.8)', () => {
      const bytes = Buffer.concat([request({ 'Content-Type': 'text/plain' }, 'hello'), Buffer.from('garbage')]);
      assert.equal(parsedRequest(bytes).bodyText(), 'hello');
    });

    it('without Content-Length, the body of a datagram runs to its end (RFC 3261 §18.3; Linphone ACK/BYE)', () => {
      const message = parsedRequest(request({ 'Content-Length': null, 'Content-Type': 'text/plain' }, 'hello'));
      assert.equal(message.bodyText(), 'hello');
    });

    it('passes binary bodies with NULs through untouched', () => {
      const body = Buffer.from([0, 1, 2, 0xff, 0, 13, 10, 13, 10, 0]);
      const head = request({ 'Content-Type': 'application/octet-stream', 'Content-Length': String(body.length) });
      const message = parsedRequest(Buffer.concat([head, body]));
      assert.deepEqual(Buffer.from(message.body), body);
    });

    it('a Content-Length larger than the body is a 400 (RFC 4475 §3.1.2.2)', () => {
      const error = failed(request({ 'Content-Length': '9999' }, 'short'));
      assert.equal(error.status, 400);
      assert.equal(error.reason, 'Content-Length larger than message body');
      assert.ok(error.request);
    });

    it('a negative Content-Length is a 400 (RFC 4475 §3.1.2.3)', () => {
      assert.equal(failed(request({ 'Content-Length': '-999' })).reason, 'Invalid Content-Length header');
    });

    it('accepts a datagram that ends without the empty line after the headers', () => {
      const text = request().toString('latin1');
      assert.equal(parsedRequest(text.slice(0, -2)).method, 'OPTIONS');
    });

    it('a datagram that ends inside a header line is a 400', () => {
      const text = request().toString('latin1');
      assert.equal(failed(text.slice(0, -4)).reason, 'Incomplete header section');
    });
  });

  describe('malformed requests get 400 naming the problem, with the request to answer', () => {
    const singles = ['From', 'To', 'Call-ID', 'CSeq', 'Max-Forwards', 'Content-Length', 'Content-Type'];
    for (const name of singles) {
      it(`a second ${name} header is a 400 "Duplicate ${name} header" (RFC 4475 §3.3.8)`, () => {
        const values: Record<string, string> = {
          From: '<sip:eve@example.com>;tag=2',
          To: '<sip:carol@example.com>',
          'Call-ID': 'other@example.com',
          CSeq: '2 OPTIONS',
          'Max-Forwards': '69',
          'Content-Length': '0',
          'Content-Type': 'text/plain',
        };
        const error = failed(request({ 'Content-Type': 'text/plain', [`${name}#2`]: values[name] ?? '' }));
        assert.equal(error.status, 400);
        assert.equal(error.reason, `Duplicate ${name} header`);
        assert.equal(error.header, name);
        assert.ok(error.request);
      });
    }

    for (const name of ['From', 'To', 'Call-ID', 'CSeq']) {
      it(`a request without ${name} is a 400 "Missing ${name} header" that can still be answered (RFC 4475 §3.3.1)`, () => {
        const error = failed(request({ [name]: null }));
        assert.equal(error.reason, `Missing ${name} header`);
        assert.ok(error.request);
        assert.equal(error.request.topVia()?.branch, 'z9hG4bK74bf9');
      });
    }

    it('a request without Via is a 400 that cannot be answered (dropped)', () => {
      const error = failed(request({ Via: null }));
      assert.equal(error.reason, 'Missing Via header');
      assert.equal(error.request, undefined);
    });

    const invalid: [string, string][] = [
      ['Via', 'SIP/2.0/UDP'],
      ['From', '"Alice <sip:alice@example.com>'],
      ['To', 'Watson, Thomas <sip:t.watson@example.org>'],
      ['Call-ID', 'has space'],
      ['CSeq', 'one OPTIONS'],
      ['Max-Forwards', '300'],
      ['Contact', '<sip:a@example.com>,,'],
      ['Route', '<sip:p1.example.com;lr'],
      ['Record-Route', 'sip:rr.example.com?x=y'],
      ['Content-Type', 'application'],
    ];
    for (const [name, value] of invalid) {
      it(`a malformed ${name} is a 400 "Invalid ${name} header"`, () => {
        const error = failed(request({ [name]: value }));
        assert.equal(error.status, 400);
        assert.equal(error.reason, `Invalid ${name} header`);
        assert.equal(error.header, name);
      });
    }

    it('a malformed topmost Via leaves nothing to answer with', () => {
      assert.equal(failed(request({ Via: 'SIP/2.0/UDP 192.0.2.15;;,;,,' })).request, undefined);
      assert.ok(failed(request({ Via: 'SIP/2.0/UDP a.example.com;branch=z9hG4bK1, SIP/2.0/UDP' })).request);
    });

    it('the CSeq method MUST match the request method (RFC 3261 §8.1.1.5, RFC 4475 §3.1.2.17)', () => {
      const error = failed(request({ CSeq: '8 INVITE' }));
      assert.equal(error.reason, 'CSeq method mismatch');
      assert.equal(error.header, 'CSeq');
    });

    it('a CSeq number of 2**31 or more is a 400 (RFC 3261 §8.1.1.5, RFC 4475 §3.1.2.4)', () => {
      assert.equal(failed(request({ CSeq: '2147483648 OPTIONS' })).reason, 'Invalid CSeq header');
    });

    it('a version other than SIP/2.0 gets 505 (RFC 3261 §8.2.2, RFC 4475 §3.1.2.16)', () => {
      const error = failed(request({}, '', 'OPTIONS sip:bob@example.com SIP/7.0'));
      assert.equal(error.status, 505);
      assert.equal(error.reason, 'Version Not Supported');
      assert.ok(error.request);
    });

    it('a Request-URI in <> is a 400 (RFC 4475 §3.1.2.7)', () => {
      const error = failed(request({}, '', 'OPTIONS <sip:bob@example.com> SIP/2.0'));
      assert.equal(error.reason, 'Invalid Request-URI');
      assert.equal(error.request?.method, 'OPTIONS');
    });

    it('LWS inside the Request-URI is a 400 (RFC 4475 §3.1.2.8)', () => {
      assert.equal(failed(request({}, '', 'OPTIONS sip:bob@example.com; lr SIP/2.0')).reason, 'Invalid Request-URI (contains whitespace)');
    });

    it('headers in the Request-URI are a 400 (RFC 3261 §19.1.1, RFC 4475 §3.1.2.11)', () => {
      const error = failed(request({}, '', 'OPTIONS sip:bob@example.com?Route=%3Csip:example.com%3E SIP/2.0'));
      assert.equal(error.reason, 'Invalid Request-URI (headers not allowed)');
    });

    it('is liberal about extra SP in the Request-Line and trailing SP (RFC 4475 §3.1.2.9, §3.1.2.10)', () => {
      assert.equal(parsedRequest(request({}, '', 'OPTIONS  sip:bob@example.com   SIP/2.0  ')).uri.host, 'example.com');
    });

    it('a header line without a colon is a 400 "Malformed header line"', () => {
      const text = request().toString('latin1').replace('Max-Forwards: 70', 'Max-Forwards 70');
      assert.equal(failed(text).reason, 'Malformed header line');
    });

    for (const line of ['OPTIONS', 'OPTIONS sip:bob@example.com', 'OPT IONS sip:bob@example.com SIP/2.0 x', 'OPTI"ONS sip:bob@example.com SIP/2.0', '']) {
      it(`an unreadable Request-Line ${JSON.stringify(line)} is a 400 with nothing to answer`, () => {
        const error = failed(request({}, '', line));
        assert.equal(error.status, 400);
        assert.equal(error.request, undefined);
      });
    }

    it('an empty datagram or one of only CRLFs is an error with nothing to answer', () => {
      assert.equal(failed('').request, undefined);
      assert.equal(failed('\r\n\r\n').reason, 'Empty message');
    });

    it(`a message over ${MAX_MESSAGE_SIZE} octets is refused with 513 Message Too Large`, () => {
      const body = 'x'.repeat(MAX_MESSAGE_SIZE);
      const error = failed(request({ 'Content-Type': 'text/plain' }, body));
      assert.equal(error.status, 513);
      assert.equal(error.reason, 'Message Too Large');
      assert.ok(error.request);
    });
  });

  describe('responses', () => {
    function response(statusLine: string, overrides: Record<string, string | null> = {}): Buffer {
      return request({ To: '<sip:bob@example.com>;tag=8321234356', ...overrides }, '', statusLine);
    }

    it('reads the Status-Line', () => {
      const message = parsed(response('SIP/2.0 180 Ringing'));
      assert.ok(message instanceof SipResponse);
      assert.equal(message.status, 180);
      assert.equal(message.reason, 'Ringing');
      assert.equal(message.to()?.tag, '8321234356');
    });

    it('accepts an empty or UTF-8 reason phrase (RFC 4475 §3.1.1.12, §3.1.1.13)', () => {
      for (const [line, reason] of [
        ['SIP/2.0 100 ', ''],
        ['SIP/2.0 100', ''],
        ['SIP/2.0 200 Dobrze, połączono', 'Dobrze, połączono'],
      ] as const) {
        const message = parsed(response(line));
        assert.ok(message instanceof SipResponse);
        assert.equal(message.reason, reason);
      }
    });

    for (const line of ['SIP/2.0 4294967301 better not break the receiver', 'SIP/2.0 099 Too Low', 'SIP/2.0 700 Too High', 'SIP/2.0 20 Short', 'SIP/2.0 2000 Long']) {
      it(`${JSON.stringify(line)} is an invalid response, dropped (RFC 4475 §3.1.2.19)`, () => {
        const error = failed(response(line));
        assert.equal(error.request, undefined);
      });
    }

    it('a response of another SIP version is dropped', () => {
      const error = failed(response('SIP/3.0 200 OK'));
      assert.equal(error.status, 505);
      assert.equal(error.request, undefined);
    });

    it('a response with a malformed header is dropped (RFC 4475 §3.1.2.5)', () => {
      const error = failed(response('SIP/2.0 503 Service Unavailable', { CSeq: '9292394834772304023312 OPTIONS' }));
      assert.equal(error.reason, 'Invalid CSeq header');
      assert.equal(error.request, undefined);
    });

    it('does not require the CSeq method to match anything', () => {
      assert.equal(parsed(response('SIP/2.0 200 OK', { CSeq: '4 INVITE' })).cseq()?.method, 'INVITE');
    });
  });
});
