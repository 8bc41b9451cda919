import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { TelephoneEvent, digitToEvent, eventToDigit } from './telephone-event.js';
import { TelephoneEventReceiver } from './telephone-event-receiver.js';

const fixture = (name: string): Buffer => readFileSync(new URL(`../../../test/fixtures/rtp/${name}`, import.meta.url));

describe('TelephoneEvent (RFC 4733 §2.3)', () => {
  it('parses digit 5, volume 10, duration 160, not yet ended', () => {
    const result = TelephoneEvent.parse(fixture('telephone-event-digit-5.bin'));
    assert.ok(result.ok);
    const e = result.value;
    assert.equal(e.event, 5);
    assert.equal(e.digit, '5');
    assert.equal(e.end, false);
    assert.equal(e.reserved, false);
    assert.equal(e.volume, 10);
    assert.equal(e.duration, 160);
  });

  it('parses the end packet of # (event 11) with the E bit', () => {
    const result = TelephoneEvent.parse(fixture('telephone-event-hash-end.bin'));
    assert.ok(result.ok);
    assert.equal(result.value.digit, '#');
    assert.equal(result.value.end, true);
    assert.equal(result.value.duration, 800);
  });

  for (const name of ['telephone-event-digit-5.bin', 'telephone-event-hash-end.bin']) {
    it(`serialize(parse(x)) gives back x octet for octet: ${name}`, () => {
      const result = TelephoneEvent.parse(fixture(name));
      assert.ok(result.ok);
      assert.deepEqual(result.value.serialize(), fixture(name));
    });
  }

  it('rejects a truncated payload', () => {
    const result = TelephoneEvent.parse(fixture('telephone-event-truncated.bin'));
    assert.equal(result.ok, false);
    if (!result.ok) assert.match(result.error, /3 octets/);
  });

  it('keeps the reserved bit so that a round trip is exact, though senders MUST set it to zero', () => {
    const bytes = Buffer.from([0x01, 0x4a, 0x00, 0x50]);
    const result = TelephoneEvent.parse(bytes);
    assert.ok(result.ok);
    assert.equal(result.value.reserved, true);
    assert.deepEqual(result.value.serialize(), bytes);
    assert.equal(TelephoneEvent.create({ event: 1, duration: 80 }).reserved, false);
  });

  it('builds from a digit and serialises to the fixture', () => {
    const e = TelephoneEvent.fromDigit('#', { end: true, volume: 10, duration: 800 });
    assert.deepEqual(e.serialize(), fixture('telephone-event-hash-end.bin'));
  });

  it('maps digits 0-9 * # A-D to events 0-15 and back (RFC 4733 §3.2)', () => {
    const digits = '0123456789*#ABCD';
    for (let i = 0; i < digits.length; i++) {
      assert.equal(digitToEvent(digits[i] ?? ''), i);
      assert.equal(eventToDigit(i), digits[i]);
    }
    assert.equal(digitToEvent('a'), 12);
    assert.equal(digitToEvent('x'), undefined);
    assert.equal(digitToEvent('12'), undefined);
    assert.equal(eventToDigit(16), undefined);
  });

  it('create() refuses out-of-range fields', () => {
    assert.throws(() => TelephoneEvent.create({ event: 256, duration: 0 }), RangeError);
    assert.throws(() => TelephoneEvent.create({ event: 1, volume: 64, duration: 0 }), RangeError);
    assert.throws(() => TelephoneEvent.create({ event: 1, duration: 65536 }), RangeError);
    assert.throws(() => TelephoneEvent.fromDigit('x', { duration: 0 }), RangeError);
  });
});

describe('TelephoneEventReceiver (RFC 4733 §2.5)', () => {
  const packet = (digit: string, duration: number, end = false): Buffer =>
    TelephoneEvent.fromDigit(digit, { duration, end }).serialize();

  it('reports an event once at its first end packet and ignores the two retransmitted ends', () => {
    const r = new TelephoneEventReceiver();
    assert.deepEqual(r.push(8000, packet('7', 160)), []);
    assert.deepEqual(r.push(8000, packet('7', 320)), []);
    const done = r.push(8000, packet('7', 480, true));
    assert.deepEqual(done, [{ event: 7, digit: '7', duration: 480, timestamp: 8000, endLost: false }]);
    assert.deepEqual(r.push(8000, packet('7', 480, true)), []);
    assert.deepEqual(r.push(8000, packet('7', 480, true)), []);
  });

  it('ends an event whose end packets were lost when a packet with a new timestamp arrives', () => {
    const r = new TelephoneEventReceiver();
    r.push(8000, packet('1', 160));
    const done = r.push(16000, packet('2', 160));
    assert.deepEqual(done, [{ event: 1, digit: '1', duration: 160, timestamp: 8000, endLost: true }]);
  });

  it('reports the same digit twice when pressed twice (distinct timestamps)', () => {
    const r = new TelephoneEventReceiver();
    assert.equal(r.push(8000, packet('3', 400, true)).length, 1);
    assert.equal(r.push(12000, packet('3', 400, true)).length, 1);
  });

  it('ignores payloads that are not telephone events', () => {
    assert.deepEqual(new TelephoneEventReceiver().push(0, Buffer.alloc(160)), []);
  });
});
