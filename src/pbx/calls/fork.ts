import { InvalidStateError, randomToken, type Clock, type Logger } from '../../lib/index.js';
import { Dialog, SipRequest, type SipResponse, type SipStack } from '../../sip/index.js';
import type { BindingRecord } from '../ports.js';
import { CallSide } from './call-side.js';
import { bindingFlow, localContact, type Flow } from './flow.js';

/**
 * State of one fork (RFC 3261 §16.7-style branch, held by the B2BUA as a UAC):
 *
 *   calling --1xx--> proceeding --2xx--> answered
 *      |                 |--≥300 / unusable 2xx--> failed
 *      +-----------------+--cancel()--> cancelled (a late final response changes nothing)
 */
export type ForkState = 'calling' | 'proceeding' | 'answered' | 'failed' | 'cancelled';

/** Allowed transitions: the edges of the figure above. */
const TRANSITIONS: Readonly<Record<ForkState, readonly ForkState[]>> = {
  calling: ['proceeding', 'answered', 'failed', 'cancelled'],
  proceeding: ['answered', 'failed', 'cancelled'],
  answered: [],
  failed: [],
  cancelled: [],
};

/** What the call learns from a fork. */
export interface ForkUser {
  /** A provisional response (18x) with a To tag or without. */
  provisional(fork: Fork, response: SipResponse): void;
  /** The device answered (first 2xx); the fork has already sent the ACK. */
  answered(fork: Fork, response: SipResponse, dialog: Dialog): void;
  /** A final failure (or a local 408/503); not called after {@link Fork.cancel}. */
  failed(fork: Fork, status: number, response: SipResponse): void;
}

/** Options of {@link Fork}. */
export interface ForkOptions {
  readonly stack: SipStack;
  readonly logger: Logger;
  readonly binding: BindingRecord;
  /** Extension number the device belongs to. */
  readonly target: string;
  readonly sipDomain: string;
  /** From header value without tag (the caller as the callee sees it). */
  readonly from: string;
  /** The relay's offer for leg B. */
  readonly sdp: string;
  /** Diversion, History-Info …. */
  readonly headers: readonly (readonly [string, string])[];
  readonly maxForwards: number;
  readonly user: ForkUser;
}

const ALLOW = 'INVITE, ACK, CANCEL, BYE, UPDATE, INFO, OPTIONS';

/**
 * One INVITE from the PBX to one registered device. Its own Call-ID, so that devices never see two
 * INVITEs they would merge (§8.2.2.2). CANCEL is sent only after a provisional response (§9.1); a
 * 2xx that arrives after the fork was cancelled, or after another device won, is acknowledged and
 * hung up at once.
 */
export class Fork {
  readonly id = randomToken(8);
  readonly target: string;
  readonly binding: BindingRecord;
  readonly flow: Flow;
  readonly invite: SipRequest;
  #state: ForkState = 'calling';
  #cancelWanted = false;
  #finalStatus: number | null = null;
  /** The status the branch failed with when that is not its final status (a 2xx the PBX could not use). */
  #failedAs: number | undefined;
  #ack: SipRequest | undefined;
  readonly #o: ForkOptions;

  constructor(options: ForkOptions) {
    this.#o = options;
    this.target = options.target;
    this.binding = options.binding;
    this.flow = bindingFlow(options.binding);
    const lines: [string, string][] = [['Via', options.stack.newVia(this.flow.dest)]];
    // RFC 3327 §5.3: requests to a registered contact carry its Path as Route.
    for (const route of options.binding.path) lines.push(['Route', route]);
    lines.push(
      ['Max-Forwards', String(options.maxForwards)],
      ['From', `${options.from};tag=${randomToken(10)}`],
      ['To', `<sip:${options.target}@${options.sipDomain}>`],
      ['Call-ID', `${randomToken(16)}@centrala`],
      ['CSeq', '1 INVITE'],
      ['Contact', localContact(options.stack, this.flow.dest)],
      ['Allow', ALLOW],
      ...options.headers.map(([n, v]): [string, string] => [n, v]),
    );
    this.invite = SipRequest.create({ method: 'INVITE', uri: options.binding.contactUri, headers: lines }).withBody(
      options.sdp,
      'application/sdp',
    );
  }

  get state(): ForkState {
    return this.#state;
  }

  /** Final status of the branch (200, 486, 487 …), null while none came. */
  get finalStatus(): number | null {
    return this.#finalStatus;
  }

  /** How the branch ended for the call: the status it failed with (also for a refused 2xx), else the final one. */
  get outcome(): number | null {
    return this.#failedAs ?? this.#finalStatus;
  }

  get callId(): string {
    return this.invite.callId() ?? '';
  }

  /** True while no final response came and the fork was not cancelled. */
  get live(): boolean {
    return this.#state === 'calling' || this.#state === 'proceeding';
  }

  /** The only writer of the state: refuses an edge the table does not have. */
  #transition(to: ForkState): void {
    const from = this.#state;
    if (!TRANSITIONS[from].includes(to)) throw new InvalidStateError(`fork: no transition ${from} → ${to}`);
    this.#state = to;
  }

  /** Sends the INVITE. */
  start(): void {
    const { stack } = this.#o;
    stack
      .request(this.invite, this.flow.dest, {
        ...(this.flow.connectionId !== undefined ? { connectionId: this.flow.connectionId } : {}),
        onProvisional: (r) => this.#provisional(r),
        onRepeated2xx: (r) => this.#repeated2xx(r),
      })
      .then(
        (r) => this.#final(r),
        (err: unknown) => this.#o.logger.debug({ err, fork: this.id }, 'fork request failed'),
      );
  }

  /** Stops the branch: CANCEL now if it is proceeding, or as soon as a provisional response arrives. */
  cancel(): void {
    if (!this.live) return;
    const wasProceeding = this.#state === 'proceeding';
    this.#transition('cancelled');
    this.#cancelWanted = true;
    if (wasProceeding) this.#sendCancel();
  }

  #provisional(response: SipResponse): void {
    if (response.status === 100) {
      if (this.#state === 'calling') this.#transition('proceeding');
      if (this.#cancelWanted) this.#sendCancel();
      return;
    }
    if (this.#state === 'calling') this.#transition('proceeding');
    if (this.#cancelWanted) {
      this.#sendCancel();
      return;
    }
    if (this.#state === 'proceeding') this.#o.user.provisional(this, response);
  }

  #sendCancel(): void {
    if (!this.#cancelWanted) return;
    this.#cancelWanted = false;
    // §9.1: CANCEL copies Request-URI, Call-ID, To, the numeric CSeq, From and the top Via (same branch).
    const inv = this.invite;
    const copy = (name: string): [string, string][] => inv.headers.getAll(name).map((v): [string, string] => [name, v]);
    const cancel = SipRequest.create({
      method: 'CANCEL',
      uri: inv.uri,
      headers: [
        ...copy('Via'),
        ...copy('Route'),
        ['Max-Forwards', '70'],
        ...copy('From'),
        ...copy('To'),
        ...copy('Call-ID'),
        ['CSeq', `${inv.cseq()?.seq ?? 1} CANCEL`],
      ],
    }).withBody(new Uint8Array());
    this.#o.stack
      .request(cancel, this.flow.dest, this.flow.connectionId !== undefined ? { connectionId: this.flow.connectionId } : {})
      .catch((err: unknown) => this.#o.logger.debug({ err, fork: this.id }, 'CANCEL failed'));
  }

  #final(response: SipResponse): void {
    this.#finalStatus = response.status;
    if (response.status >= 300 || response.status < 200) {
      if (this.#state === 'cancelled') return;
      this.#transition('failed');
      this.#o.user.failed(this, response.status, response);
      return;
    }
    const dialog = Dialog.asUac(this.invite, response);
    if (!dialog) {
      this.#o.logger.warn({ fork: this.id }, '2xx without To tag or Contact: hung up');
      if (this.#state !== 'cancelled') {
        this.#transition('failed');
        this.#failedAs = 502;
        this.#o.user.failed(this, 502, response);
      }
      return;
    }
    this.#ack = dialog.createAck(this.invite.cseq()?.seq ?? 1, {});
    this.#sendAck();
    if (this.#state === 'cancelled') {
      // §15: a 2xx that crossed our CANCEL: the session exists, end it.
      this.#bye(dialog);
      return;
    }
    this.#transition('answered');
    this.#o.user.answered(this, response, dialog);
  }

  /** Hangs up a device that answered too late (another device won, or the caller left). */
  #bye(dialog: Dialog): void {
    const bye = dialog.createRequest('BYE');
    dialog.terminate();
    const withVia = bye.withHeaders((h) => h.prepend('Via', this.#o.stack.newVia(this.flow.dest)));
    this.#o.stack
      .request(withVia, this.flow.dest, this.flow.connectionId !== undefined ? { connectionId: this.flow.connectionId } : {})
      .catch(() => undefined);
  }

  #repeated2xx(_response: SipResponse): void {
    // §13.2.2.4: every retransmission of the 2xx is acknowledged again.
    this.#sendAck();
  }

  #sendAck(): void {
    if (!this.#ack) return;
    this.#o.stack
      .sendStateless(this.#ack, this.flow.dest, this.flow.connectionId)
      .catch((err: unknown) => this.#o.logger.debug({ err, fork: this.id }, 'ACK not sent'));
  }

  /**
   * The callee's side of the answered call over the dialog this fork's 2xx created; `refreshFlow` finds the device
   * again when its connection has closed.
   */
  dialogSide(dialog: Dialog, clock: Clock, refreshFlow: () => Flow | undefined): CallSide {
    const side = new CallSide({
      name: 'b',
      dialog,
      flow: this.flow,
      stack: this.#o.stack,
      clock,
      logger: this.#o.logger,
      contact: localContact(this.#o.stack, this.flow.dest),
      refreshFlow,
    });
    side.lastSdpSent = this.#o.sdp;
    return side;
  }

  /** The device answered after the call no longer wanted it: hang it up (used by the call). */
  hangUpLate(dialog: Dialog): void {
    this.#bye(dialog);
  }

  /** The device answered with an SDP answer the relay cannot use: hang it up; the branch counts as a 488. */
  rejectAnswer(dialog: Dialog): void {
    this.#bye(dialog);
    this.#failedAs = 488;
  }
}
