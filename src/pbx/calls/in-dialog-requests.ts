import type { MediaRelay } from '../../media/index.js';
import { createResponse, SipError, type IncomingRequest } from '../../sip/index.js';
import type { CallEndedBy } from '../ports.js';
import type { CallSide, SideName } from './call-side.js';

/** What {@link InDialogRequests} needs from its call. */
export interface InDialogCall {
  readonly relay: MediaRelay;
  /** True once the call has ended. */
  ended(): boolean;
  /** Ends the call from our side (BYE on both legs). */
  hangUp(endedBy: CallEndedBy, reason: string, status: number): Promise<void>;
  /** The device on `side` hung up with BYE; the BYE has been answered and the other side sent its BYE. */
  hungUp(side: SideName): void;
}

/**
 * The requests inside the A or B dialog of an answered call (BYE, re-INVITE, UPDATE, INFO, ACK): a BYE
 * ends the call, offers go to the other device through the relay, INFO passes through.
 */
export class InDialogRequests {
  readonly #call: InDialogCall;
  #offerInProgress = false;

  constructor(call: InDialogCall) {
    this.#call = call;
  }

  /** Handles `ctx` from `side`'s device; `other` is the opposite dialog. A refusal is thrown as a SipError. */
  async handle(side: CallSide, other: CallSide, ctx: IncomingRequest): Promise<void> {
    const request = ctx.request;
    if (request.method === 'ACK') {
      side.noteFlow(ctx);
      side.stop2xx();
      return;
    }
    if (!side.dialog.acceptRemoteSeq(request)) throw new SipError(500, 'CSeq Out Of Order');
    side.noteFlow(ctx);
    switch (request.method) {
      case 'BYE':
        await ctx.reply(200);
        side.dialog.terminate();
        side.stop2xx();
        void other.bye();
        this.#call.hungUp(side.name);
        return;
      case 'INVITE':
      case 'UPDATE':
        await this.#renegotiate(side, other, ctx);
        return;
      case 'INFO':
        await this.#passThrough(other, ctx);
        return;
      default:
        throw new SipError(501);
    }
  }

  /** §14 re-INVITE / RFC 3311 UPDATE: carried to the other device through the relay. */
  async #renegotiate(side: CallSide, other: CallSide, ctx: IncomingRequest): Promise<void> {
    const request = ctx.request;
    const method = request.method;
    const relay = this.#call.relay;
    const noAck = (): void => void this.#call.hangUp('system', 'no ACK', 408);
    const okHeaders: [string, string][] = [['Contact', side.contact]];
    if (request.body.length === 0) {
      // A session refresh without an offer: answer with the session as it is (our last SDP).
      side.dialog.refreshTarget(request);
      const body = method === 'INVITE' && side.lastSdpSent !== undefined ? { body: side.lastSdpSent, contentType: 'application/sdp' } : {};
      const ok = createResponse(request, 200, undefined, { headers: okHeaders, ...body });
      if (method === 'INVITE') side.answer2xx(ctx, ok, noAck);
      else await ctx.send(ok);
      return;
    }
    // §14.1 / RFC 3311 §5.2: an offer while ours is pending: 491, the peer retries later.
    if (this.#offerInProgress) throw new SipError(491);
    this.#offerInProgress = true;
    try {
      const offer = relay.offer(side.name, request.body);
      if (!offer.ok) throw new SipError(offer.reason === 'invalidSdp' ? 400 : 488, offer.detail.slice(0, 80));
      const out = other.dialog.createRequest(method, {
        body: offer.sdp,
        contentType: 'application/sdp',
        headers: [['Contact', other.contact]],
      });
      const response = await other.send(out);
      if (this.#call.ended()) return;
      if (response.status >= 200 && response.status < 300) {
        if (method === 'INVITE') other.sendAck(other.dialog.createAck(out.cseq()?.seq ?? 1));
        other.dialog.refreshTarget(response);
        other.lastSdpSent = offer.sdp;
        const answer = relay.answer(other.name, response.body);
        if (!answer.ok) throw new SipError(488, 'Answer Not Usable');
        side.dialog.refreshTarget(request);
        side.lastSdpSent = answer.sdp;
        const ok = createResponse(request, 200, undefined, { headers: okHeaders, body: answer.sdp, contentType: 'application/sdp' });
        if (method === 'INVITE') side.answer2xx(ctx, ok, noAck);
        else await ctx.send(ok);
        return;
      }
      relay.rollbackOffer();
      await ctx.reply(response.status, { reason: response.reason });
      // RFC 5057 §5.1: 481 or a timeout on a re-INVITE means the dialog is gone.
      if (response.status === 481 || response.status === 408) void this.#call.hangUp('system', `${method} failed with ${response.status}`, response.status);
    } finally {
      this.#offerInProgress = false;
    }
  }

  /** INFO (e.g. DTMF as SIP INFO) is passed through to the other device, its answer back. */
  async #passThrough(other: CallSide, ctx: IncomingRequest): Promise<void> {
    const request = ctx.request;
    const headers: [string, string][] = [];
    for (const name of ['Info-Package', 'Content-Disposition']) {
      for (const v of request.headers.getAll(name)) headers.push([name, v]);
    }
    const contentType = request.contentType();
    const out = other.dialog.createRequest(request.method, {
      headers,
      ...(request.body.length > 0 ? { body: request.body, ...(contentType ? { contentType } : {}) } : {}),
    });
    const response = await other.send(out);
    await ctx.reply(response.status, { reason: response.reason });
  }
}
