import type { Clock, Logger } from '../../lib/index.js';
import {
  Retransmit2xx,
  type Dialog,
  type IncomingRequest,
  type SipRequest,
  type SipResponse,
  type SipStack,
} from '../../sip/index.js';
import type { Flow } from './flow.js';

/** Which side of a call: A is the caller's dialog, B the answering device's. */
export type SideName = 'a' | 'b';

/** Options of {@link CallSide}. */
export interface CallSideOptions {
  readonly name: SideName;
  readonly dialog: Dialog;
  readonly flow: Flow;
  readonly stack: SipStack;
  readonly clock: Clock;
  readonly logger: Logger;
  /** Our Contact header value for this dialog. */
  readonly contact: string;
  /**
   * Finds the device's current flow when its connection has closed (it re-registered over a new
   * one): dialogs survive a transport reconnect.
   */
  readonly refreshFlow: () => Flow | undefined;
}

/**
 * One of the two dialogs of an answered call: sends in-dialog requests to the device over its flow
 * (RFC 3581/5626 style, NAT-safe), retransmits our 2xx until the ACK (RFC 3261 §13.3.1.4), and
 * remembers the last SDP it sent (answers session refreshes without an offer).
 */
export class CallSide {
  readonly name: SideName;
  readonly dialog: Dialog;
  readonly contact: string;
  #flow: Flow;
  #pending2xx: Retransmit2xx | undefined;
  /** The SDP last sent to this device (offer or answer). */
  lastSdpSent: string | undefined;
  readonly #o: CallSideOptions;

  constructor(options: CallSideOptions) {
    this.#o = options;
    this.name = options.name;
    this.dialog = options.dialog;
    this.contact = options.contact;
    this.#flow = options.flow;
  }

  get flow(): Flow {
    return this.#flow;
  }

  /** A request from the device arrived over `ctx`'s flow: use it from now on (reconnects, NAT rebinding). */
  noteFlow(ctx: Pick<IncomingRequest, 'source' | 'connectionId'>): void {
    this.#flow = { dest: ctx.source, connectionId: ctx.connectionId };
  }

  #currentFlow(): Flow {
    const { connectionId } = this.#flow;
    if (connectionId !== undefined && !this.#o.stack.hasConnection(connectionId)) {
      const fresh = this.#o.refreshFlow();
      if (fresh) this.#flow = fresh;
    }
    return this.#flow;
  }

  /** Sends an in-dialog request through a client transaction; resolves with the final response. */
  send(request: SipRequest): Promise<SipResponse> {
    const flow = this.#currentFlow();
    const withVia = request.withHeaders((h) => h.prepend('Via', this.#o.stack.newVia(flow.dest)));
    return this.#o.stack.request(withVia, flow.dest, flow.connectionId !== undefined ? { connectionId: flow.connectionId } : {});
  }

  /** Sends an ACK (no transaction). */
  sendAck(ack: SipRequest): void {
    const flow = this.#currentFlow();
    this.#o.stack.sendStateless(ack, flow.dest, flow.connectionId).catch((err: unknown) => {
      this.#o.logger.debug({ err, side: this.name }, 'ACK not sent');
    });
  }

  /**
   * Sends BYE; resolves when its transaction ends (the device's final response, a timeout or a transport error:
   * the call is over either way, so it never rejects).
   */
  bye(reason?: string): Promise<void> {
    if (this.dialog.terminated) return Promise.resolve();
    let request: SipRequest;
    try {
      request = this.dialog.createRequest('BYE', reason ? { headers: [['Reason', reason]] } : {});
    } catch {
      return Promise.resolve();
    }
    this.dialog.terminate();
    this.stop2xx();
    return this.send(request).then(
      () => undefined,
      (err: unknown) => this.#o.logger.debug({ err, side: this.name }, 'BYE failed'),
    );
  }

  /**
   * Answers an INVITE (initial or re-INVITE) from this device with `response` (a 2xx) and keeps
   * retransmitting it until the ACK (§13.3.1.4); `onNoAck` runs when 64*T1 pass without one.
   */
  answer2xx(ctx: IncomingRequest, response: SipResponse, onNoAck: () => void): void {
    this.stop2xx();
    const send = (): void => {
      ctx.send(response).catch((err: unknown) => this.#o.logger.debug({ err, side: this.name }, '2xx not sent'));
    };
    send();
    this.#pending2xx = new Retransmit2xx({
      clock: this.#o.clock,
      unreliable: ctx.source.transport === 'udp',
      resend: send,
      onTimeout: onNoAck,
    });
  }

  /** The ACK for our 2xx arrived. */
  stop2xx(): void {
    this.#pending2xx?.stop();
    this.#pending2xx = undefined;
  }
}
