import { randomToken, type Clock, type Logger } from '../../lib/index.js';
import { createResponse, Dialog, type IncomingRequest, type SipRequest, type SipStack } from '../../sip/index.js';
import { CallSide } from './call-side.js';
import { localContact, type Flow } from './flow.js';

const ALLOW = 'INVITE, ACK, CANCEL, BYE, UPDATE, INFO, OPTIONS';

/** What {@link CallerInvite} needs from the engine. */
export interface CallerInviteOptions {
  readonly stack: SipStack;
  readonly clock: Clock;
  readonly logger: Logger;
}

/**
 * The caller's INVITE as the call answers it (the UAS side of leg A): provisional responses, the final
 * refusal, or the 200 that creates the caller's dialog. All responses carry the same To tag.
 */
export class CallerInvite {
  readonly ctx: IncomingRequest;
  readonly request: SipRequest;
  readonly #tag = randomToken(10);
  readonly #o: CallerInviteOptions;

  constructor(ctx: IncomingRequest, options: CallerInviteOptions) {
    this.ctx = ctx;
    this.request = ctx.request;
    this.#o = options;
  }

  /** Our Contact towards the caller. */
  get contact(): string {
    return localContact(this.#o.stack, this.ctx.source);
  }

  /** Sends a provisional response (180/183), with early media when `sdp` is given. */
  provisional(status: number, sdp: string | undefined): void {
    const response = createResponse(this.request, status, undefined, {
      toTag: this.#tag,
      headers: [['Contact', this.contact]],
      ...(sdp !== undefined ? { body: sdp, contentType: 'application/sdp' } : {}),
    });
    this.ctx.send(response).catch((err: unknown) => this.#o.logger.debug({ err }, 'provisional not sent'));
  }

  /** Sends a final non-2xx response. */
  reject(status: number, reason: string, headers: [string, string][]): void {
    const response = createResponse(this.request, status, reason, { toTag: this.#tag, headers });
    this.ctx.send(response).catch((err: unknown) => this.#o.logger.debug({ err }, 'final response not sent'));
  }

  /**
   * The caller's side of the answered call (RFC 3261 §12.1.1), undefined when the INVITE cannot make a dialog (no
   * Contact). `refreshFlow` finds the caller's device again when its connection has closed.
   */
  dialogSide(refreshFlow: () => Flow | undefined): CallSide | undefined {
    const dialog = Dialog.asUas(this.request, this.#tag);
    if (!dialog) return undefined;
    return new CallSide({
      name: 'a',
      dialog,
      flow: { dest: this.ctx.source, connectionId: this.ctx.connectionId },
      stack: this.#o.stack,
      clock: this.#o.clock,
      logger: this.#o.logger,
      contact: this.contact,
      refreshFlow,
    });
  }

  /** Sends the 200 with the SDP `answer` on `side`, retransmitted until the ACK (§13.3.1.4). */
  answer(side: CallSide, answer: string, onNoAck: () => void): void {
    side.lastSdpSent = answer;
    const ok = createResponse(this.request, 200, undefined, {
      toTag: this.#tag,
      headers: [
        ['Contact', side.contact],
        ['Allow', ALLOW],
      ],
      body: answer,
      contentType: 'application/sdp',
    });
    side.answer2xx(this.ctx, ok, onNoAck);
  }
}
