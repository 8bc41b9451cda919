/**
 * The RFC 4475 torture messages (test/fixtures/sip/torture, byte-exact copies of
 * the shared RFC 4475 set) against the parser: each outcome must be one expectations.tsv allows,
 * and the table below pins the outcome we chose where the RFC leaves a choice.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync, readdirSync } from 'node:fs';
import { parseMessage } from './parse-message.js';
import { serializeMessage } from './serialize-message.js';
import { createResponse } from './create-response.js';
import { canonicalHeaderName } from './compact-forms.js';
import type { SipRequest } from './sip-request.js';
import type { SipResponse } from './sip-response.js';

const DIR = new URL('../../../test/fixtures/sip/torture/', import.meta.url);

function fixture(name: string): Buffer {
  return readFileSync(new URL(name, DIR));
}

interface Expectation {
  readonly name: string;
  readonly section: string;
  readonly kind: string;
  readonly accept: readonly string[];
}

const expectations: Expectation[] = fixture('expectations.tsv')
  .toString('utf8')
  .split('\n')
  .filter((line) => line !== '' && !line.startsWith('#'))
  .map((line) => {
    const [name = '', section = '', kind = '', , accept = ''] = line.split('\t');
    return { name, section, kind, accept: accept.split(',') };
  });

/**
 * The outcome we chose for each message: `parsed` (handed to the transaction layer / TU),
 * `NNN reason` (answered from `error.request`), or `drop NNN reason` (no response can be formed).
 */
const OUTCOMES: Readonly<Record<string, string>> = {
  wsinv: 'parsed',
  intmeth: 'parsed',
  esc01: 'parsed',
  escnull: 'parsed',
  esc02: 'parsed',
  lwsdisp: 'parsed',
  longreq: 'parsed',
  dblreq: 'parsed',
  semiuri: 'parsed',
  transports: 'parsed',
  mpart01: 'parsed',
  unreason: 'parsed',
  noreason: 'parsed',
  badinv01: 'drop 400 Invalid Via header',
  clerr: '400 Content-Length larger than message body',
  ncl: '400 Invalid Content-Length header',
  scalar02: '400 Invalid CSeq header',
  scalarlg: 'drop 400 Invalid CSeq header',
  quotbal: '400 Invalid To header',
  ltgtruri: '400 Invalid Request-URI',
  lwsruri: '400 Invalid Request-URI (contains whitespace)',
  lwsstart: 'parsed',
  trws: 'parsed',
  escruri: '400 Invalid Request-URI (headers not allowed)',
  baddate: 'parsed',
  regbadct: '400 Invalid Contact header',
  badaspec: '400 Invalid To header',
  baddn: '400 Invalid From header',
  badvers: '505 Version Not Supported',
  mismatch01: '400 CSeq method mismatch',
  mismatch02: '400 CSeq method mismatch',
  bigcode: 'drop 400 Malformed Status-Code',
  badbranch: 'parsed',
  insuf: '400 Missing From header',
  unkscm: 'parsed',
  novelsc: 'parsed',
  unksm2: 'parsed',
  bext01: 'parsed',
  invut: 'parsed',
  regaut01: 'parsed',
  multi01: '400 Duplicate CSeq header',
  mcl01: '400 Duplicate Content-Length header',
  bcast: 'parsed',
  zeromf: 'parsed',
  cparam01: 'parsed',
  cparam02: 'parsed',
  regescrt: 'parsed',
  sdp01: 'parsed',
  inv2543: 'parsed',
};

type Outcome = { text: string; message?: SipRequest | SipResponse; answerable?: SipRequest };

function outcomeOf(bytes: Buffer): Outcome {
  const result = parseMessage(bytes);
  if (result.ok) return { text: 'parsed', message: result.message };
  const { status, reason, request } = result.error;
  if (request === undefined) return { text: `drop ${status} ${reason}` };
  return { text: `${status} ${reason}`, answerable: request };
}

/** Whether an outcome is one of the answers expectations.tsv accepts. */
function allowed(outcome: Outcome, accept: readonly string[]): boolean {
  if (outcome.message?.kind === 'response') return accept.includes('none');
  if (outcome.message !== undefined) {
    // Parsed: the TU answers; acceptable when the RFC expects processing (ok) or an answer only
    // a TU can give (416, 420, 501, …), not when it expects 400 or silence.
    return accept.some((a) => a === 'ok' || (/^[1-6]\d\d$/.test(a) && a !== '400' && a !== '500'));
  }
  if (outcome.answerable === undefined) return accept.includes('none');
  const status = outcome.text.slice(0, 3);
  return accept.some((a) => a === status || (a.endsWith('xx') && a[0] === status[0]));
}

describe('RFC 4475 torture messages', () => {
  it('the fixtures are byte-exact: SHA256SUMS match (no line-ending conversion)', () => {
    const sums = fixture('SHA256SUMS').toString('utf8').trim().split('\n');
    assert.equal(sums.length, 49);
    for (const line of sums) {
      const [sum, name = ''] = line.split(/\s+\*?/);
      assert.equal(createHash('sha256').update(fixture(name)).digest('hex'), sum, name);
    }
  });

  it('every message has an expectation and a chosen outcome', () => {
    const files = readdirSync(DIR)
      .filter((f) => f.endsWith('.sip'))
      .map((f) => f.slice(0, -4))
      .sort();
    assert.deepEqual(expectations.map((e) => e.name).sort(), files);
    assert.deepEqual(Object.keys(OUTCOMES).sort(), files);
  });

  for (const { name, section, kind, accept } of expectations) {
    describe(`${name} (RFC 4475 §${section}, ${kind})`, () => {
      const outcome = outcomeOf(fixture(`${name}.sip`));

      it(`is answered as the RFC allows (${accept.join(' / ')}): ${OUTCOMES[name] ?? '?'}`, () => {
        assert.equal(outcome.text, OUTCOMES[name]);
        assert.ok(allowed(outcome, accept), `${outcome.text} is not one of ${accept.join(',')}`);
      });

      if (kind === 'valid' || kind === 'valid-resp' || kind === 'compat') {
        it('is a valid message: parsing succeeds', () => assert.ok(outcome.message));
      }
      if (kind === 'invalid' || kind === 'invalid-resp') {
        it('is an invalid message: parsing fails', () => assert.equal(outcome.message, undefined));
      }

      const message = outcome.message;
      if (message !== undefined) {
        it('round trip: parse(serialize(m)) equals m', () => {
          const again = parseMessage(serializeMessage(message));
          assert.ok(again.ok, again.ok ? '' : again.error.reason);
          const back = again.message;
          assert.equal(back.startLine(), message.startLine());
          const strip = (m: SipRequest | SipResponse): string[][] =>
            m.headers
              .fields()
              .filter((f) => canonicalHeaderName(f.name) !== 'Content-Length')
              .map((f) => [canonicalHeaderName(f.name), f.value]);
          assert.deepEqual(strip(back), strip(message));
          assert.deepEqual(Buffer.from(back.body), Buffer.from(message.body));
        });
      }

      const request = outcome.answerable;
      if (request !== undefined) {
        it('the error carries a request from which the error response can be built and sent', () => {
          const result = parseMessage(fixture(`${name}.sip`));
          assert.equal(result.ok, false);
          const error = result.ok ? undefined : result.error;
          assert.ok(error);
          const response = createResponse(request, error.status, error.reason, { toTag: 'torture' });
          const wire = serializeMessage(response).toString('utf8');
          assert.ok(wire.startsWith(`SIP/2.0 ${error.status} ${error.reason}\r\nVia: `), wire);
          assert.equal(response.topVia()?.toString(), request.topVia()?.toString());
        });
      }
    });
  }

  describe('what the valid messages contain', () => {
    function parsedFixture(name: string): SipRequest | SipResponse {
      const result = parseMessage(fixture(`${name}.sip`));
      assert.ok(result.ok);
      return result.message;
    }

    it('wsinv: folded, oddly spaced headers read as their plain values', () => {
      const m = parsedFixture('wsinv');
      assert.equal(m.to()?.tag, '1918181833n');
      assert.equal(m.from()?.displayName, 'J Rosenberg \\"');
      assert.equal(m.from()?.tag, '98asjd8');
      assert.equal(m.maxForwards(), 68);
      assert.deepEqual(m.cseq(), { seq: 9, method: 'INVITE' });
      assert.deepEqual(m.via().map((v) => `${v.transport} ${v.host} ${v.branch ?? ''}`), [
        'UDP 192.0.2.2 390skdjuw',
        'TCP spindle.example.com z9hG4bK9ikj8',
        'UDP 192.168.255.111 z9hG4bK30239',
      ]);
      assert.equal(m.headers.get('NewFangledHeader'), 'newfangled value continued newfangled value');
      assert.equal(m.headers.get('Subject'), '');
      const contacts = m.contacts();
      assert.ok(Array.isArray(contacts));
      assert.equal(contacts[0]?.displayName, 'Quoted string ""');
      assert.equal(contacts[0]?.param('q'), '0.33');
      assert.equal(m.body.length, 150);
    });

    it('esc02: RE%47IST%45R is a method of its own and C%6Fntact is not Contact', () => {
      const m = parsedFixture('esc02');
      assert.ok(m.kind === 'request');
      assert.equal(m.method, 'RE%47IST%45R');
      const contacts = m.contacts();
      assert.ok(Array.isArray(contacts));
      assert.deepEqual(contacts.map((c) => c.uri.user), ['alias1', 'alias3']);
    });

    it('longreq: 34 Via values across compact and oddly cased names, in order', () => {
      const vias = parsedFixture('longreq').via();
      assert.equal(vias.length, 34);
      assert.equal(vias[0]?.host, 'sip33.example.com');
      assert.equal(vias[33]?.received, '192.0.2.5');
    });

    it('mpart01: the multipart body is passed through untouched, NULs included', () => {
      const bytes = fixture('mpart01.sip');
      const m = parsedFixture('mpart01');
      assert.equal(m.contentType(), 'multipart/mixed');
      assert.equal(m.body.length, 553);
      assert.deepEqual(Buffer.from(m.body), bytes.subarray(bytes.length - 553));
      assert.ok(m.body.includes(0));
    });

    it('dblreq: only the REGISTER is read; the trailing INVITE is ignored', () => {
      const m = parsedFixture('dblreq');
      assert.ok(m.kind === 'request');
      assert.equal(m.method, 'REGISTER');
      assert.equal(m.body.length, 0);
    });

    it('inv2543: no Content-Length over UDP, the body runs to the end of the datagram', () => {
      const m = parsedFixture('inv2543');
      assert.equal(m.topVia()?.branch, undefined);
      assert.equal(m.maxForwards(), undefined);
      assert.ok(m.bodyText().startsWith('v=0'));
    });

    it('escnull and esc01: escaped user parts are unescaped', () => {
      const escnull = parsedFixture('escnull').contacts();
      assert.ok(Array.isArray(escnull));
      assert.deepEqual(escnull.map((c) => c.uri.user), ['\u0000', '\u0000\u0000']);
      const esc01 = parsedFixture('esc01');
      assert.ok(esc01.kind === 'request');
      assert.equal(esc01.uri.user, 'sips:user@example.com');
      assert.equal(esc01.to()?.uri.user, 'user');
    });

    it('unkscm and novelsc: Request-URIs of unknown schemes parse, for the TU to answer 416', () => {
      for (const [name, scheme] of [['unkscm', 'nobodyknowsthisscheme'], ['novelsc', 'soap.beep']] as const) {
        const m = parsedFixture(name);
        assert.ok(m.kind === 'request');
        assert.equal(m.uri.scheme, scheme);
        assert.equal(m.uri.isSip, false);
      }
    });

    it('unreason: the UTF-8 reason phrase is kept', () => {
      const m = parsedFixture('unreason');
      assert.ok(m.kind === 'response');
      assert.ok(m.reason.startsWith('= 2**3 * 5**2 но сто девяносто девять'));
    });
  });
});
