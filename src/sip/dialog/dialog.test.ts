import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FakeClock } from '../../lib/index.js';
import { parseMessage, SipRequest, SipResponse } from '../message/index.js';
import { Dialog } from './dialog.js';
import { Retransmit2xx } from './retransmit-2xx.js';

function parse(lines: string[]): SipRequest | SipResponse {
  const result = parseMessage(Buffer.from([...lines, 'Content-Length: 0', '', ''].join('\r\n')));
  assert.ok(result.ok, 'fixture must parse');
  return result.message;
}

const invite = parse([
  'INVITE sip:101@acme.test SIP/2.0',
  'Via: SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bK1',
  'Record-Route: <sip:p1.example;lr>',
  'Record-Route: <sip:p2.example;lr>',
  'From: "Anna" <sip:100@acme.test>;tag=caller1',
  'To: <sip:101@acme.test>',
  'Call-ID: c1@host',
  'CSeq: 7 INVITE',
  'Contact: <sip:100@192.0.2.1:5060>',
  'Max-Forwards: 70',
]) as SipRequest;

describe('Dialog as UAS (RFC 3261 §12.1.1)', () => {
  const dialog = Dialog.asUas(invite, 'pbx1');

  it('takes the route set in order, the Contact as remote target and the CSeq as remote sequence', () => {
    assert.ok(dialog);
    assert.deepEqual(dialog.state.routeSet, ['<sip:p1.example;lr>', '<sip:p2.example;lr>']);
    assert.equal(dialog.state.remoteTarget.toString(), 'sip:100@192.0.2.1:5060');
    assert.equal(dialog.state.remoteSeq, 7);
    assert.equal(dialog.id, 'c1@host;pbx1;caller1');
  });

  it('builds a BYE to the remote target with swapped tags, Route headers and the next local CSeq', () => {
    const d = Dialog.asUas(invite, 'pbx1');
    assert.ok(d);
    const bye = d.createRequest('BYE');
    assert.equal(bye.uri.toString(), 'sip:100@192.0.2.1:5060');
    assert.equal(bye.from()?.tag, 'pbx1');
    assert.equal(bye.to()?.tag, 'caller1');
    assert.equal(bye.to()?.displayName, 'Anna');
    assert.deepEqual(bye.headers.getAll('Route'), ['<sip:p1.example;lr>', '<sip:p2.example;lr>']);
    assert.deepEqual(bye.cseq(), { seq: 1, method: 'BYE' });
    assert.deepEqual(d.createRequest('INFO').cseq(), { seq: 2, method: 'INFO' });
  });

  it('refuses a peer request whose CSeq is not above the last one (§12.2.2), but not ACK', () => {
    const d = Dialog.asUas(invite, 'pbx1');
    assert.ok(d);
    const req = (seq: number, method: string) =>
      parse([
        `${method} sip:pbx@198.51.100.1 SIP/2.0`,
        'Via: SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bK2',
        'From: <sip:100@acme.test>;tag=caller1',
        'To: <sip:101@acme.test>;tag=pbx1',
        'Call-ID: c1@host',
        `CSeq: ${seq} ${method}`,
      ]) as SipRequest;
    assert.equal(d.acceptRemoteSeq(req(7, 'ACK')), true);
    assert.equal(d.acceptRemoteSeq(req(7, 'BYE')), false);
    assert.equal(d.acceptRemoteSeq(req(8, 'INVITE')), true);
    assert.equal(d.acceptRemoteSeq(req(8, 'BYE')), false);
  });

  it('is not formed from an INVITE without a From tag or Contact', () => {
    const noContact = parse([
      'INVITE sip:101@acme.test SIP/2.0',
      'Via: SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bK1',
      'From: <sip:100@acme.test>;tag=a',
      'To: <sip:101@acme.test>',
      'Call-ID: c2',
      'CSeq: 1 INVITE',
    ]) as SipRequest;
    assert.equal(Dialog.asUas(noContact, 'x'), undefined);
  });
});

describe('Dialog as UAC (RFC 3261 §12.1.2)', () => {
  const ours = parse([
    'INVITE sip:101@192.0.2.9:5070 SIP/2.0',
    'Via: SIP/2.0/UDP 198.51.100.1:5060;branch=z9hG4bK9',
    'From: <sip:100@acme.test>;tag=pbxb',
    'To: <sip:101@acme.test>',
    'Call-ID: b1',
    'CSeq: 1 INVITE',
    'Contact: <sip:centrala@198.51.100.1:5060>',
  ]) as SipRequest;
  const ok = parse([
    'SIP/2.0 200 OK',
    'Via: SIP/2.0/UDP 198.51.100.1:5060;branch=z9hG4bK9',
    'Record-Route: <sip:p1.example;lr>',
    'Record-Route: <sip:p2.example;lr>',
    'From: <sip:100@acme.test>;tag=pbxb',
    'To: <sip:101@acme.test>;tag=dev',
    'Call-ID: b1',
    'CSeq: 1 INVITE',
    'Contact: <sip:101@192.0.2.9:5070;transport=udp>',
  ]) as SipResponse;

  it('reverses the Record-Route for the route set and targets the 2xx Contact', () => {
    const d = Dialog.asUac(ours, ok);
    assert.ok(d);
    assert.deepEqual(d.state.routeSet, ['<sip:p2.example;lr>', '<sip:p1.example;lr>']);
    assert.equal(d.state.remoteTarget.toString(), 'sip:101@192.0.2.9:5070;transport=udp');
  });

  it('builds the ACK for the 2xx with the INVITE CSeq number (§13.2.2.4)', () => {
    const d = Dialog.asUac(ours, ok);
    assert.ok(d);
    const ack = d.createAck(1);
    assert.deepEqual(ack.cseq(), { seq: 1, method: 'ACK' });
    assert.equal(ack.to()?.tag, 'dev');
    assert.equal(d.createRequest('BYE').cseq()?.seq, 2);
  });

  it('replaces the remote target on a target refresh', () => {
    const d = Dialog.asUac(ours, ok);
    assert.ok(d);
    const reinvite = parse([
      'INVITE sip:centrala@198.51.100.1 SIP/2.0',
      'Via: SIP/2.0/TCP 192.0.2.9:6000;branch=z9hG4bK3',
      'From: <sip:101@acme.test>;tag=dev',
      'To: <sip:100@acme.test>;tag=pbxb',
      'Call-ID: b1',
      'CSeq: 2 INVITE',
      'Contact: <sip:101@192.0.2.9:6000;transport=tcp>',
    ]) as SipRequest;
    d.refreshTarget(reinvite);
    assert.equal(d.state.remoteTarget.toString(), 'sip:101@192.0.2.9:6000;transport=tcp');
  });

  it('refuses to build requests once terminated', () => {
    const d = Dialog.asUac(ours, ok);
    assert.ok(d);
    d.terminate();
    assert.throws(() => d.createRequest('BYE'), /terminated/);
  });
});

describe('Retransmit2xx (RFC 3261 §13.3.1.4)', () => {
  it('resends at T1, 2T1, 4T1 … capped at T2 until stopped', () => {
    const clock = new FakeClock();
    const start = clock.now();
    const sent: number[] = [];
    const r = new Retransmit2xx({ clock, unreliable: true, resend: () => sent.push(clock.now() - start), onTimeout: () => assert.fail('no timeout') });
    clock.advance(500 + 1000 + 2000 + 4000 + 4000);
    assert.deepEqual(sent, [500, 1500, 3500, 7500, 11500]);
    r.stop();
    clock.advance(60_000);
    assert.equal(sent.length, 5);
    assert.equal(r.active, false);
  });

  it('gives up after 64*T1 without an ACK', () => {
    const clock = new FakeClock();
    let timedOut = 0;
    new Retransmit2xx({ clock, unreliable: true, resend: () => undefined, onTimeout: () => timedOut++ });
    clock.advance(64 * 500 - 1);
    assert.equal(timedOut, 0);
    clock.advance(1);
    assert.equal(timedOut, 1);
  });

  it('does not resend over a reliable transport but still waits for the ACK', () => {
    const clock = new FakeClock();
    let sent = 0;
    let timedOut = 0;
    new Retransmit2xx({ clock, unreliable: false, resend: () => sent++, onTimeout: () => timedOut++ });
    clock.advance(64 * 500);
    assert.equal(sent, 0);
    assert.equal(timedOut, 1);
  });
});
