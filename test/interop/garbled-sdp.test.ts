/**
 * Garbled SDP on both sides of calls through a RUNNING Centrala: an authenticated caller sends INVITEs whose
 * offers are mutated (lines dropped, doubled, truncated, numbers replaced by huge, negative or non-numbers, bytes
 * inserted, IPv6 and odd transports, many m= lines), and the callee phone answers each with a mutated answer
 * (sometimes after a 183 with one); answered calls get a re-INVITE with another mutated offer. Mutations come from a seeded generator, so a failure names a reproducible
 * case. Every INVITE must get a final response, every call must end cleanly, the server must still answer
 * OPTIONS afterwards, and it must log no error (an error line means a handler threw).
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { answersOptions, seedTenant, startCentrala, tempDataDir, type CentralaProcess } from '../support/centrala-process.js';
import { digestAuthorization, token } from '../support/sip-udp-client.js';
import { headerOf, headersOf, requestText, responseText, statusOfText, uriOf, UdpSipPeer, type SipText } from '../support/sip-tcp-device.js';
import { ackNon2xx, md5Challenge, registerPhone } from '../support/udp-caller.js';

const DOMAIN = 'garbled.test';
const PASSWORD = 'Garbled4Interop9x';
const CALLS = 150;
const SEED = 0xc0ffee;

/** A small seeded PRNG (mulberry32), so every run mutates the same way. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function validSdp(port: number): string[] {
  return [
    'v=0',
    `o=- ${port} 1 IN IP4 127.0.0.1`,
    's=-',
    'c=IN IP4 127.0.0.1',
    't=0 0',
    `m=audio ${port} RTP/AVP 0 8 101`,
    'a=rtpmap:0 PCMU/8000',
    'a=rtpmap:8 PCMA/8000',
    'a=rtpmap:101 telephone-event/8000',
    'a=fmtp:101 0-16',
    'a=ptime:20',
    'a=sendrecv',
  ];
}

const ODD_VALUES = ['-1', '0', '65536', '99999999999999999999', 'NaN', '', ' ', '1e3', '0x10', '٣', '\u0000', '%00', '4294967296'];
const ODD_LINES = [
  'm=audio 9 UDP/TLS/RTP/SAVPF 111',
  'c=IN IP6 ::1',
  'c=IN IP6 zz::',
  'c=IN IP4 999.1.1.1',
  'm=video 5004 RTP/AVP 96',
  'a=rtpmap:101 telephone-event/0',
  'a=rtpmap:0 PCMU',
  'a=fmtp:101',
  'a=inactive',
  'a=recvonly',
  'b=AS:-5',
  'm=audio 0 RTP/AVP 0',
  'm=audio 4000/2 RTP/AVP 0',
  'a=rtcp:70000',
  'a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:abc',
  '=',
  'x',
  'm=',
  'c=',
  'o=',
];

/** One mutation of an SDP (as lines); applies 1–4 operators. */
function mutate(lines: string[], rnd: () => number): string {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)] as T;
  let out = [...lines];
  const steps = 1 + Math.floor(rnd() * 4);
  for (let s = 0; s < steps; s++) {
    const i = Math.floor(rnd() * out.length);
    switch (Math.floor(rnd() * 8)) {
      case 0:
        out.splice(i, 1);
        break;
      case 1:
        out.splice(i, 0, out[i] ?? '');
        break;
      case 2:
        out[i] = (out[i] ?? '').slice(0, Math.floor(rnd() * (out[i]?.length ?? 0)));
        break;
      case 3:
        out[i] = (out[i] ?? '').replace(/\d+/, pick(ODD_VALUES));
        break;
      case 4:
        out.splice(i, 0, pick(ODD_LINES));
        break;
      case 5: {
        const line = out[i] ?? '';
        const at = Math.floor(rnd() * (line.length + 1));
        out[i] = line.slice(0, at) + String.fromCharCode(Math.floor(rnd() * 256)) + line.slice(at);
        break;
      }
      case 6:
        out = [...out, ...Array.from({ length: 1 + Math.floor(rnd() * 40) }, (_, k) => `m=audio ${4000 + 2 * k} RTP/AVP 0`)];
        break;
      default:
        out[i] = (out[i] ?? '').replace(/ /g, pick(['  ', '\t', '']));
    }
  }
  return `${out.join('\r\n')}\r\n`;
}

describe('garbled SDP on both legs of calls', () => {
  let server: CentralaProcess;

  before(async () => {
    const dataDir = tempDataDir();
    await seedTenant(dataDir, DOMAIN, [
      { number: '100', password: PASSWORD },
      { number: '101', password: PASSWORD },
    ]);
    server = await startCentrala({ dataDir, extraArgs: ['--sip-rate-limit', 'off'] });
  });

  after(async () => {
    await server?.stop();
  });

  it(`${CALLS} calls with mutated offers and answers all end cleanly, and nothing in Centrala throws`, { timeout: 120_000 }, async (t) => {
    const rnd = prng(SEED);
    const caller = new UdpSipPeer('caller 100');
    const callee = new UdpSipPeer('callee 101');
    await caller.open();
    await callee.open();
    const outcomes = new Map<number, number>();
    const reinvites = new Map<number, number>();
    let stopAnswering = false;
    let answering: Promise<void> = Promise.resolve();
    try {
      await registerPhone(callee, { user: '101', domain: DOMAIN, password: PASSWORD, serverPort: server.ports.sip });
      // The callee answers every INVITE: sometimes a 183 with a mutated answer first, then a 200 with another.
      answering = (async () => {
        while (!stopAnswering) {
          let invite: SipText;
          try {
            invite = await callee.inbox.next((m) => ['INVITE', 'BYE', 'CANCEL', 'ACK'].includes(m.startLine.split(' ')[0] ?? ''), 'a request', 500);
          } catch {
            continue;
          }
          const method = invite.startLine.split(' ')[0];
          if (method === 'ACK') continue;
          if (method !== 'INVITE') {
            callee.send(responseText(invite, 200, 'OK'), server.ports.sip);
            continue;
          }
          const toTag = token();
          const contact = [`Contact: <sip:101@127.0.0.1:${callee.port}>`];
          if (rnd() < 0.3) callee.send(responseText(invite, 183, 'Session Progress', { toTag, headers: contact, body: mutate(validSdp(42_000), rnd) }), server.ports.sip);
          callee.send(responseText(invite, 200, 'OK', { toTag, headers: contact, body: mutate(validSdp(42_000), rnd) }), server.ports.sip);
        }
      })();

      // One challenge; every INVITE then reuses its nonce with the next nonce-count (RFC 7616 §3.4).
      const uri = `sip:101@${DOMAIN}`;
      const probeCallId = `probe-${token()}`;
      caller.send(invite(caller, uri, probeCallId, `<sip:100@${DOMAIN}>;tag=${token()}`, 1, mutate(validSdp(41_000), rnd)), server.ports.sip);
      const challenged = await caller.inbox.nextFinal(probeCallId, 1, 'INVITE');
      assert.equal(statusOfText(challenged), 407, challenged.startLine);
      ackNon2xx(caller, challenged, uri, server.ports.sip);
      const challenge = md5Challenge(headersOf(challenged, 'Proxy-Authenticate'));

      for (let n = 1; n <= CALLS; n++) {
        const callId = `garbled-${n}-${token()}`;
        const from = `<sip:100@${DOMAIN}>;tag=${token()}`;
        const body = mutate(validSdp(41_000), rnd);
        const authorization = digestAuthorization({ challenge, username: '100', password: PASSWORD, method: 'INVITE', uri, nc: n });
        caller.send(invite(caller, uri, callId, from, 1, body, authorization), server.ports.sip);
        const final = await caller.inbox.nextFinal(callId, 1, 'INVITE', 10_000).catch(() => undefined);
        assert.ok(final, `call ${n} (seed ${SEED}) got no final response to:\n${body}\n--- centrala\n${server.output.slice(-3000)}`);
        const status = statusOfText(final) ?? 0;
        outcomes.set(status, (outcomes.get(status) ?? 0) + 1);
        if (status >= 300) {
          ackNon2xx(caller, final, uri, server.ports.sip);
          continue;
        }
        const target = uriOf(headerOf(final, 'Contact'));
        const inDialog = (method: string, cseq: number, sdp = ''): string =>
          requestText(
            `${method} ${target} SIP/2.0`,
            [
              `Via: SIP/2.0/UDP 127.0.0.1:${caller.port};branch=z9hG4bK${token()};rport`,
              'Max-Forwards: 70',
              `From: ${from}`,
              `To: ${headerOf(final, 'To')}`,
              `Call-ID: ${callId}`,
              `CSeq: ${cseq} ${method}`,
              `Contact: <sip:100@127.0.0.1:${caller.port}>`,
            ],
            sdp,
          );
        caller.send(inDialog('ACK', 1), server.ports.sip);
        // A re-INVITE with another garbled offer (hold, codec change …) inside the call.
        // Half of them valid (a new o= version), so the callee's garbled answer to a re-INVITE is exercised too.
        const reoffer = rnd() < 0.5 ? `${validSdp(41_000).join('\r\n').replace(' 1 IN IP4', ' 2 IN IP4')}\r\n` : mutate(validSdp(41_000), rnd);
        caller.send(inDialog('INVITE', 2, reoffer), server.ports.sip);
        const reinvite = await caller.inbox.nextFinal(callId, 2, 'INVITE', 10_000).catch(() => undefined);
        assert.ok(reinvite, `call ${n}: re-INVITE got no final response`);
        reinvites.set(statusOfText(reinvite) ?? 0, (reinvites.get(statusOfText(reinvite) ?? 0) ?? 0) + 1);
        if ((statusOfText(reinvite) ?? 0) < 300) caller.send(inDialog('ACK', 2), server.ports.sip);
        caller.send(inDialog('BYE', 3), server.ports.sip);
        const bye = await caller.inbox.nextFinal(callId, 3, 'BYE', 5000).catch(() => undefined);
        assert.ok(bye && [200, 481].includes(statusOfText(bye) ?? 0), `call ${n}: BYE not answered 200 (or 481 after a failed re-INVITE ended it)`);
      }
    } finally {
      stopAnswering = true;
      await answering;
      caller.close();
      callee.close();
    }

    assert.equal(await answersOptions(server.ports.sip), true, 'the server no longer answers OPTIONS');
    const errors = server.output.split('\n').filter((l) => /"level":"(error|fatal)"/.test(l));
    assert.deepEqual(errors, [], 'Centrala logged errors');
    t.diagnostic(`final responses: ${JSON.stringify(Object.fromEntries(outcomes))}; to re-INVITEs: ${JSON.stringify(Object.fromEntries(reinvites))}`);
    // The callee is always registered and always answers: a refusal is about SDP (400/488), never "unavailable".
    assert.deepEqual([...outcomes.keys()].filter((s) => ![200, 400, 488].includes(s)), [], `outcomes ${JSON.stringify([...outcomes])}`);
    // The mix shows both paths ran: calls answered and offers refused.
    assert.ok((outcomes.get(200) ?? 0) > 10 && [...outcomes.keys()].some((s) => s >= 400), `outcomes ${JSON.stringify([...outcomes])}`);
  });
});

function invite(peer: UdpSipPeer, uri: string, callId: string, from: string, cseq: number, body: string, authorization?: string): string {
  return requestText(
    `INVITE ${uri} SIP/2.0`,
    [
      `Via: SIP/2.0/UDP 127.0.0.1:${peer.port};branch=z9hG4bK${token()};rport`,
      'Max-Forwards: 70',
      `From: ${from}`,
      `To: <${uri}>`,
      `Call-ID: ${callId}`,
      `CSeq: ${cseq} INVITE`,
      `Contact: <sip:100@127.0.0.1:${peer.port}>`,
      ...(authorization !== undefined ? [`Proxy-Authorization: ${authorization}`] : []),
    ],
    body,
  );
}
