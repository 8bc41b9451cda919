/**
 * A hand-written SIP phone over UDP for interop tests (on top of sip-tcp-device.ts's UdpSipPeer): registers
 * with MD5 digest, places an INVITE that answers the 407 challenge, and answers or hangs up calls. No
 * retransmissions: loopback only.
 */
import assert from 'node:assert/strict';
import { digestAuthorization, registerText, token } from './sip-udp-client.js';
import { headerOf, headersOf, requestText, responseText, statusOfText, uriOf, type SipText, type UdpSipPeer } from './sip-tcp-device.js';

/** Who the phone is and where the server is. */
export interface PhoneAccount {
  readonly user: string;
  readonly domain: string;
  readonly password: string;
  readonly serverPort: number;
}

/** A PCMU offer or answer for 127.0.0.1:`port`. */
export function pcmuSdp(port: number): string {
  return ['v=0', `o=- ${port} 1 IN IP4 127.0.0.1`, 's=-', 'c=IN IP4 127.0.0.1', 't=0 0', `m=audio ${port} RTP/AVP 0`, 'a=rtpmap:0 PCMU/8000', ''].join('\r\n');
}

/** The MD5 challenge among the values of a 401/407 (the first when none names MD5). */
export function md5Challenge(values: readonly string[]): string {
  return values.find((v) => /algorithm=("?)MD5\1(,|\s|$)/i.test(v)) ?? values[0] ?? '';
}

/** REGISTERs `peer` as `account` (401, then digest) and asserts the 200. */
export async function registerPhone(peer: UdpSipPeer, account: PhoneAccount, expires = 3600): Promise<void> {
  const callId = `reg-${token()}@127.0.0.1`;
  const base = { user: account.user, domain: account.domain, localPort: peer.port, callId, expires };
  peer.send(registerText({ ...base, cseq: 1 }), account.serverPort);
  const challenged = await peer.inbox.nextFinal(callId, 1, 'REGISTER');
  assert.equal(statusOfText(challenged), 401, challenged.startLine);
  const authorization = digestAuthorization({
    challenge: md5Challenge(headersOf(challenged, 'WWW-Authenticate')),
    username: account.user,
    password: account.password,
    method: 'REGISTER',
    uri: `sip:${account.domain}`,
  });
  peer.send(registerText({ ...base, cseq: 2, authorization }), account.serverPort);
  const ok = await peer.inbox.nextFinal(callId, 2, 'REGISTER');
  assert.equal(statusOfText(ok), 200, ok.startLine);
}

/** An INVITE the phone placed and the final response it got. */
export interface PlacedCall {
  readonly callId: string;
  readonly from: string;
  readonly cseq: number;
  readonly final: SipText;
}

/** An INVITE sent by {@link sendInvite}: what a CANCEL, an ACK or a BYE of the phone needs. */
export interface SentInvite {
  readonly callId: string;
  readonly from: string;
  readonly uri: string;
  readonly cseq: number;
  /** The Via branch of the INVITE (a CANCEL repeats it, §9.1). */
  readonly branch: string;
  /** The first final response, when it ended the exchange (the 407 without a password, or a refusal of it). */
  readonly challengeFinal?: SipText;
}

/**
 * INVITEs `dialled` from `peer` and returns once the INVITE that counts is sent: without `password` the first one
 * (its final response is in `challengeFinal`); with it, the one that answers the 407 with digest (its responses
 * are still to come).
 */
export async function sendInvite(
  peer: UdpSipPeer,
  account: Omit<PhoneAccount, 'password'> & { readonly password?: string },
  dialled: string,
  body: string = pcmuSdp(41000),
): Promise<SentInvite> {
  const callId = `call-${token()}@127.0.0.1`;
  const from = `<sip:${account.user}@${account.domain}>;tag=${token()}`;
  const uri = `sip:${dialled}@${account.domain}`;
  const send = (cseq: number, branch: string, auth?: string): void =>
    peer.send(
      requestText(
        `INVITE ${uri} SIP/2.0`,
        [
          `Via: SIP/2.0/UDP 127.0.0.1:${peer.port};branch=${branch};rport`,
          'Max-Forwards: 70',
          `From: ${from}`,
          `To: <${uri}>`,
          `Call-ID: ${callId}`,
          `CSeq: ${cseq} INVITE`,
          `Contact: <sip:${account.user}@127.0.0.1:${peer.port}>`,
          'User-Agent: centrala-interop-peer',
          ...(auth !== undefined ? [`Proxy-Authorization: ${auth}`] : []),
        ],
        body,
      ),
      account.serverPort,
    );
  const first = `z9hG4bK${token()}`;
  send(1, first);
  const challenged = await peer.inbox.nextFinal(callId, 1, 'INVITE');
  ackNon2xx(peer, challenged, uri, account.serverPort);
  if (account.password === undefined || statusOfText(challenged) !== 407) return { callId, from, uri, cseq: 1, branch: first, challengeFinal: challenged };
  const second = `z9hG4bK${token()}`;
  const authorization = digestAuthorization({
    challenge: md5Challenge(headersOf(challenged, 'Proxy-Authenticate')),
    username: account.user,
    password: account.password,
    method: 'INVITE',
    uri,
  });
  send(2, second, authorization);
  return { callId, from, uri, cseq: 2, branch: second };
}

/**
 * INVITEs `dialled` from `peer`: without `password` the first final response is returned (the 407);
 * with it the 407 is answered with digest once. Non-2xx finals are ACKed in their transaction; a 2xx is
 * ACKed in the dialog.
 */
export async function placeCall(
  peer: UdpSipPeer,
  account: Omit<PhoneAccount, 'password'> & { readonly password?: string },
  dialled: string,
  body: string = pcmuSdp(41000),
): Promise<PlacedCall> {
  const sent = await sendInvite(peer, account, dialled, body);
  const { callId, from, uri } = sent;
  if (sent.challengeFinal) return { callId, from, cseq: 1, final: sent.challengeFinal };
  const final = await peer.inbox.nextFinal(callId, 2, 'INVITE', 10_000);
  if ((statusOfText(final) ?? 0) >= 300) ackNon2xx(peer, final, uri, account.serverPort);
  else
    peer.send(
      requestText(`ACK ${uriOf(headerOf(final, 'Contact'))} SIP/2.0`, [
        `Via: SIP/2.0/UDP 127.0.0.1:${peer.port};branch=z9hG4bK${token()};rport`,
        'Max-Forwards: 70',
        `From: ${from}`,
        `To: ${headerOf(final, 'To')}`,
        `Call-ID: ${callId}`,
        'CSeq: 2 ACK',
      ]),
      account.serverPort,
    );
  return { callId, from, cseq: 2, final };
}

/** ACKs a non-2xx final response to an INVITE in its transaction: the INVITE's Via (branch) as the response echoes it (§17.1.1.3). */
export function ackNon2xx(peer: UdpSipPeer, final: SipText, uri: string, serverPort: number): void {
  peer.send(
    requestText(`ACK ${uri} SIP/2.0`, [
      `Via: ${headersOf(final, 'Via')[0] ?? ''}`,
      'Max-Forwards: 70',
      `From: ${headerOf(final, 'From')}`,
      `To: ${headerOf(final, 'To')}`,
      `Call-ID: ${headerOf(final, 'Call-ID')}`,
      `CSeq: ${headerOf(final, 'CSeq').split(' ')[0] ?? '1'} ACK`,
    ]),
    serverPort,
  );
}

/** Answers the next INVITE `peer` receives with 200 and a PCMU answer for `rtpPort`; returns the INVITE. */
export async function answerNextCall(peer: UdpSipPeer, serverPort: number, rtpPort: number): Promise<SipText> {
  const invite = await peer.inbox.nextRequest('INVITE', undefined, 8000);
  peer.send(
    responseText(invite, 200, 'OK', {
      toTag: token(),
      headers: [`Contact: <sip:device@127.0.0.1:${peer.port}>`],
      body: pcmuSdp(rtpPort),
    }),
    serverPort,
  );
  return invite;
}
