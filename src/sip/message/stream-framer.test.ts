import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { StreamFramer, type FramerItem, type KeepAliveKind } from './stream-framer.js';
import { parseMessage } from './parse-message.js';

function message(body = '', extra = ''): Buffer {
  return Buffer.from(
    'OPTIONS sip:bob@example.com SIP/2.0\r\n' +
      'Via: SIP/2.0/TCP 192.0.2.1:5060;branch=z9hG4bK74bf9\r\n' +
      'From: <sip:alice@example.com>;tag=1\r\nTo: <sip:bob@example.com>\r\nCall-ID: framer@example.com\r\n' +
      `CSeq: 1 OPTIONS\r\n${extra}Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
  );
}

function messages(items: FramerItem[]): Buffer[] {
  return items.filter((i): i is Buffer => Buffer.isBuffer(i));
}

describe('StreamFramer (RFC 3261 §18.3)', () => {
  it('cuts back-to-back messages at their Content-Length', () => {
    const a = message('hello');
    const b = message('', 'Subject: second\r\n');
    const out = new StreamFramer().push(Buffer.concat([a, b]));
    assert.deepEqual(out, [a, b]);
  });

  it('reassembles a message delivered one octet at a time', () => {
    const framer = new StreamFramer();
    const whole = message('v=0\r\n\r\nbody with an empty line');
    const out: FramerItem[] = [];
    for (const byte of whole) out.push(...framer.push(Buffer.from([byte])));
    assert.deepEqual(out, [whole]);
    assert.equal(framer.buffered, 0);
  });

  it('keeps a partial message buffered until the rest arrives', () => {
    const framer = new StreamFramer();
    const whole = message('0123456789');
    assert.deepEqual(framer.push(whole.subarray(0, whole.length - 3)), []);
    assert.equal(framer.buffered, whole.length - 3);
    assert.deepEqual(framer.push(whole.subarray(whole.length - 3)), [whole]);
  });

  it('skips CRLF keep-alives between messages and reports a CRLFCRLF ping and a CRLF pong (RFC 5626 §3.5.1)', () => {
    const seen: KeepAliveKind[] = [];
    const framer = new StreamFramer({ onKeepAlive: (kind) => seen.push(kind) });
    const a = message();
    const out = framer.push(Buffer.concat([Buffer.from('\r\n\r\n'), a, Buffer.from('\r\n'), a, Buffer.from('\r\n\r\n')]));
    assert.deepEqual(out, [a, a]);
    assert.deepEqual(seen, ['ping', 'pong', 'ping']);
  });

  it('waits for more octets when a keep-alive is split across reads', () => {
    const seen: KeepAliveKind[] = [];
    const framer = new StreamFramer({ onKeepAlive: (kind) => seen.push(kind) });
    assert.deepEqual(framer.push(Buffer.from('\r\n')), []);
    assert.deepEqual(seen, []);
    assert.deepEqual(framer.push(Buffer.from('\r\n')), []);
    assert.deepEqual(seen, ['ping']);
    assert.equal(framer.buffered, 0);
  });

  it('a message without Content-Length is a fatal error: the connection must be closed', () => {
    const framer = new StreamFramer();
    const bad = Buffer.from(message().toString('latin1').replace('Content-Length: 0\r\n', ''));
    const out = framer.push(Buffer.concat([message(), bad, message()]));
    assert.equal(out.length, 2);
    assert.deepEqual(out[1], { error: 'Missing Content-Length header', status: 400, fatal: true, head: bad });
    assert.equal(framer.failed, true);
    assert.deepEqual(framer.push(message()), []);
  });

  it('an invalid or conflicting Content-Length is a fatal error', () => {
    const negativeBytes = Buffer.from(message().toString('latin1').replace('Content-Length: 0', 'Content-Length: -1'));
    const negative = new StreamFramer().push(negativeBytes);
    assert.deepEqual(negative, [{ error: 'Invalid Content-Length header', status: 400, fatal: true, head: negativeBytes }]);
    const conflicting = new StreamFramer().push(message('', 'l: 5\r\n'));
    assert.deepEqual(conflicting, [{ error: 'Conflicting Content-Length headers', status: 400, fatal: true, head: message('', 'l: 5\r\n') }]);
  });

  it('a message over 64 KiB is refused and skipped; framing resumes after it', () => {
    const framer = new StreamFramer();
    const big = message('x'.repeat(70_000));
    const after = message('after');
    const out: FramerItem[] = [];
    for (let i = 0; i < big.length; i += 8192) out.push(...framer.push(big.subarray(i, i + 8192)));
    out.push(...framer.push(after));
    const head = big.subarray(0, big.indexOf('\r\n\r\n') + 4);
    assert.deepEqual(out, [{ error: 'Message too large', status: 513, fatal: false, head }, after]);
    assert.ok(framer.buffered < 70_000);
  });

  it('a header section over 64 KiB without an end is a fatal error', () => {
    const framer = new StreamFramer({ maxMessageSize: 1024 });
    const out = framer.push(Buffer.from('OPTIONS sip:a@b SIP/2.0\r\n' + 'X-Filler: y\r\n'.repeat(100)));
    // The head handed back ends at the last whole line within the limit.
    const head = Buffer.from('OPTIONS sip:a@b SIP/2.0\r\n' + 'X-Filler: y\r\n'.repeat(76));
    assert.deepEqual(out, [{ error: 'Header section too large', status: 513, fatal: true, head }]);
    assert.equal(framer.buffered, 0);
  });

  it('applies the header limit asked for at each message, below the message size limit', () => {
    let limit = 300;
    const framer = new StreamFramer({ maxHeaderSize: () => limit });
    const large = message('', `X-Filler: ${'y'.repeat(400)}\r\n`);
    assert.deepEqual(messages(framer.push(message())), [message()], 'a small message passes');
    limit = 64 * 1024;
    assert.deepEqual(messages(framer.push(large)), [large], 'a raised limit lets the large header through');
    limit = 300;
    const [error] = framer.push(large);
    assert.ok(error && !Buffer.isBuffer(error));
    assert.equal(error.status, 513);
    assert.equal(error.fatal, true);
    assert.ok(error.head.length <= 300 && error.head.toString('latin1').startsWith('OPTIONS sip:bob@example.com SIP/2.0\r\nVia: '));
  });

  it('reads a folded Content-Length and the compact form l', () => {
    const folded = Buffer.from(message('abc').toString('latin1').replace('Content-Length: 3', 'Content-Length:\r\n 3'));
    assert.deepEqual(new StreamFramer().push(folded), [folded]);
    const compact = Buffer.from(message('abc').toString('latin1').replace('Content-Length: 3', 'l: 3'));
    assert.deepEqual(new StreamFramer().push(compact), [compact]);
  });

  it('frames RFC 4475 torture messages sent over TCP so that they parse as over UDP', () => {
    for (const name of ['longreq', 'wsinv', 'mpart01', 'esc01']) {
      const bytes = readFileSync(new URL(`../../../test/fixtures/sip/torture/${name}.sip`, import.meta.url));
      const framer = new StreamFramer();
      const out: FramerItem[] = [];
      for (let i = 0; i < bytes.length; i += 7) out.push(...framer.push(bytes.subarray(i, i + 7)));
      const [framed] = messages(out);
      assert.ok(framed, name);
      const viaStream = parseMessage(framed);
      const viaDatagram = parseMessage(bytes);
      assert.ok(viaStream.ok && viaDatagram.ok, name);
      assert.deepEqual(Buffer.from(viaStream.message.body), Buffer.from(viaDatagram.message.body), name);
    }
  });
});
