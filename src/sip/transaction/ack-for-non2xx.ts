import { SipRequest, type SipResponse } from '../message/index.js';

/**
 * Builds the ACK that an INVITE client transaction sends for a 300–699 response (RFC 3261 §17.1.1.3).
 * The ACK for a 2xx is the TU's business (§13.2.2.4) and is never built here.
 */
export function ackForNon2xx(invite: SipRequest, response: SipResponse): SipRequest {
  const cseq = invite.cseq();
  const topVia = invite.headers.getAll('Via')[0];
  const from = invite.headers.get('From');
  const callId = invite.headers.get('Call-ID');
  if (!cseq || topVia === undefined || from === undefined || callId === undefined) {
    throw new Error('assertion failed: an INVITE sent by a client transaction has Via, From, Call-ID and CSeq');
  }
  // §17.1.1.3: Call-ID, From and Request-URI equal to the original request; To equal to the To of
  // the response being acknowledged; a single Via equal to the top Via of the original request;
  // the CSeq number of the original request with the method ACK.
  const headers: [string, string][] = [
    ['Via', topVia],
    ['From', from],
    ['To', response.headers.get('To') ?? invite.headers.get('To') ?? ''],
    ['Call-ID', callId],
    ['CSeq', `${cseq.seq} ACK`],
  ];
  // §17.1.1.3: if the INVITE had Route header fields, those header fields MUST appear in the ACK.
  for (const route of invite.headers.getAll('Route')) headers.push(['Route', route]);
  // §8.1.1.6: Max-Forwards is mandatory in every request; keep the INVITE's value.
  headers.push(['Max-Forwards', invite.headers.get('Max-Forwards') ?? '70']);
  // §17.1.1.3: a body in an ACK for a non-2xx is NOT RECOMMENDED; none is added.
  return SipRequest.create({ method: 'ACK', uri: invite.uri, headers });
}
