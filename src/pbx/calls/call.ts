import { InvalidStateError, StoreUnavailableError, uuid } from '../../lib/index.js';
import type { MediaRelay } from '../../media/index.js';
import { Dialog, type IncomingRequest, type SipRequest, type SipResponse } from '../../sip/index.js';
import {
  internalCallerInfo,
  runChainDetailed,
  withHop,
  type CallContext,
  type CallReason,
  type Decision,
  type ForwardAction,
  type ForwardHop,
} from '../features/index.js';
import type { CallDisposition, CallEndedBy, ExtensionCallSettings } from '../ports.js';
import { callRecord, callSnapshot, dispositionOf, type CallEnd, type CallFacts } from './call-record.js';
import type { ActiveCall, CallEnvironment, CallStart } from './call-types.js';
import type { CallSide, SideName } from './call-side.js';
import { CallerInvite } from './caller-invite.js';
import { flowOfContact } from './flow.js';
import type { Fork } from './fork.js';
import { InDialogRequests } from './in-dialog-requests.js';
import { answerThroughRelay, createForks, devicesToRing, failedRingingOutcome, Ringer } from './ringing.js';

/**
 * States of a call (one A dialog, forks towards devices, at most one B dialog):
 *
 *   Routing --ring--> Ringing --2xx--> Answered --BYE/timeout--> Ended
 *      |                 | (no answer / busy / unavailable → the feature chain decides again)
 *      +-----------------+--reject / CANCEL----------------------> Ended
 */
export enum CallState {
  Routing = 'Routing',
  Ringing = 'Ringing',
  Answered = 'Answered',
  Ended = 'Ended',
}

const S = CallState;

/** Allowed transitions: the edges of the figure above (Ringing → Ringing: the feature chain rang another extension). */
const TRANSITIONS: Readonly<Record<CallState, readonly CallState[]>> = {
  [S.Routing]: [S.Ringing, S.Ended],
  [S.Ringing]: [S.Ringing, S.Answered, S.Ended],
  [S.Answered]: [S.Ended],
  [S.Ended]: [],
};

/**
 * One call through the B2BUA (STYLE principle 8: the feature chain decides, the call carries it
 * out). Leg A is the caller's INVITE; leg B is whichever device answers. Media always passes the
 * relay: leg A of the relay faces the caller, leg B the callee.
 */
export class Call {
  readonly id = uuid();
  readonly tenantId: string;
  readonly callId: string;
  readonly caller: ExtensionCallSettings;
  readonly dialled: string;
  readonly relay: MediaRelay;
  #state = CallState.Routing;
  readonly #env: CallEnvironment;
  readonly #callerInvite: CallerInvite;
  readonly #invite: SipRequest;
  readonly #callerSdp: Uint8Array;
  readonly #offerForB: string;
  #hops: ForwardHop[] = [];
  readonly #ringer: Ringer;
  #a: CallSide | undefined;
  #b: CallSide | undefined;
  #answeredBy: ExtensionCallSettings | undefined;
  readonly #startedAt: number;
  #answeredAt: number | null = null;
  #lastAnswerToA: string | undefined;
  /** Extension id of the dialled extension (set by the engine). */
  #calleeExtensionId: string | undefined;
  /** What the relay last negotiated (for the live-calls view). */
  #negotiated: { codecs: readonly string[]; onHold: boolean } = { codecs: [], onHold: false };
  readonly #inDialog: InDialogRequests;

  constructor(env: CallEnvironment, start: CallStart) {
    this.#env = env;
    this.#callerInvite = new CallerInvite(start.ctx, env);
    this.#invite = start.ctx.request;
    this.tenantId = start.caller.tenantId;
    this.callId = this.#invite.callId() ?? '';
    this.caller = start.caller;
    this.dialled = start.dialled;
    this.relay = start.relay;
    this.#offerForB = start.offerForB;
    this.#callerSdp = this.#invite.body;
    this.#startedAt = start.startedAt ?? env.clock.now();
    this.#ringer = new Ringer(env.clock);
    start.ctx.onCancel(() => this.#callerCancelled());
    this.relay.on('rtpTimeout', () => void this.hangUp('system', 'media timeout', 408));
    this.relay.observer.on('negotiated', ({ codecs, onHold }) => {
      this.#negotiated = { codecs, onHold };
    });
    this.#inDialog = new InDialogRequests({
      relay: this.relay,
      ended: () => this.ended,
      hangUp: (endedBy, reason, status) => this.hangUp(endedBy, reason, status),
      hungUp: (side) =>
        this.#finish({
          disposition: 'answered',
          endedBy: side === 'a' ? 'caller' : 'callee',
          endStatus: 200,
          endReason: side === 'a' ? 'caller hung up' : 'callee hung up',
        }),
    });
  }

  get state(): CallState {
    return this.#state;
  }

  get ended(): boolean {
    return this.#state === CallState.Ended;
  }

  /** The only writer of the state: refuses an edge the table does not have. */
  #transition(to: CallState): void {
    const from = this.#state;
    if (!TRANSITIONS[from].includes(to)) throw new InvalidStateError(`call: no transition ${from} → ${to}`);
    this.#state = to;
  }

  /** Starts routing to `target` (the dialled extension). */
  async start(target: ExtensionCallSettings): Promise<void> {
    await this.#decide('initial', target);
  }

  // ---- the feature chain --------------------------------------------------------------

  /**
   * Asks the feature chain what to do for `target` at decision point `reason`. `wasBusy`: the target
   * was on an answered call while this call rang it (SPEC 2.2: then no answer counts as busy).
   */
  async #decide(reason: CallReason, target: ExtensionCallSettings, wasBusy = false): Promise<void> {
    if (this.ended) return;
    const devices = this.#devicesOf(target);
    const ctx: CallContext = {
      tenantId: this.tenantId,
      caller: internalCallerInfo(this.caller),
      dialled: this.dialled,
      target,
      reason,
      registeredDevices: devices.length,
      targetOnAnsweredCall: this.#env.onAnsweredCall(target.extensionId) || (reason === 'noAnswer' && wasBusy),
      hops: this.#hops,
      now: this.#env.clock.now(),
    };
    const { decision, decidedBy } = runChainDetailed(this.#env.features, ctx);
    this.#env.logger.debug({ call: this.id, reason, target: target.number, decidedBy, decision }, 'call decision');
    await this.#carryOut(decision, ctx);
  }

  async #carryOut(decision: Decision, ctx: CallContext): Promise<void> {
    switch (decision.kind) {
      case 'ringDevices':
        this.#ring(ctx.target, decision.ringTimeSeconds, decision.callWaiting);
        return;
      case 'reject':
        this.#rejectCaller(decision.status, decision.reason, dispositionOf(ctx.reason, decision.status));
        return;
      case 'forward':
        await this.#forward(decision, ctx);
        return;
    }
  }

  async #forward(action: ForwardAction, ctx: CallContext): Promise<void> {
    this.#hops = [...withHop(ctx, action.target, action.reason)];
    if (action.target.kind !== 'extension') {
      const handler = this.#env.destinations[action.target.kind];
      if (handler) {
        await handler.take(this, action.target);
        return;
      }
      // Voicemail and external numbers come with later issues: until then, the default signalling.
      const busy = action.reason === 'busy';
      this.#rejectCaller(busy ? 486 : 480, busy ? 'Busy Here' : 'Temporarily Unavailable', dispositionOf(action.reason, busy ? 486 : 480));
      return;
    }
    let next: ExtensionCallSettings | undefined;
    try {
      next = await this.#env.findSettings(this.tenantId, action.target.number);
    } catch (err) {
      // Following a forward needs the store: without it the caller gets a temporary failure (never a crash).
      this.#env.logger.warn({ err, call: this.id, target: action.target.number }, 'forward target not looked up');
      if (err instanceof StoreUnavailableError) {
        this.#rejectCaller(503, 'Service Unavailable', 'failed', 'system', [['Retry-After', String(err.retryAfterSeconds)]]);
      } else this.#rejectCaller(500, 'Forward Failed', 'failed');
      return;
    }
    if (this.ended) return;
    if (!next) {
      this.#rejectCaller(480, 'Forward Target Not Found', 'unavailable');
      return;
    }
    this.#ringer.clearReturnAfter();
    if (action.returnAfterSeconds !== undefined) {
      this.#ringer.returnAfter(ctx.target, action.returnAfterSeconds, (from) => void this.#decide('returnAfter', from));
    }
    await this.#decide('initial', next);
  }

  // ---- ringing ---------------------------------------------------------------------------

  #devicesOf(target: ExtensionCallSettings) {
    return devicesToRing(this.#env.bindings(target.tenantId, target.extensionId), this.#callerInvite.ctx.source);
  }

  #ring(target: ExtensionCallSettings, ringTimeSeconds: number, callWaiting: boolean): void {
    this.#ringer.stop();
    const devices = this.#devicesOf(target);
    if (devices.length === 0) {
      void this.#decide('unavailable', target);
      return;
    }
    this.#transition(CallState.Ringing);
    const forks = createForks({
      stack: this.#env.stack,
      logger: this.#env.logger,
      caller: this.caller,
      dialled: this.dialled,
      hops: this.#hops,
      target,
      devices,
      invite: this.#invite,
      offer: this.#offerForB,
      user: {
        provisional: (f, r) => this.#forkProvisional(f, r),
        answered: (f, r, d) => this.#forkAnswered(f, r, d),
        failed: (f) => this.#forkFailed(f),
      },
    });
    const round = { target, forks, callWaiting, sawBusy: this.#env.onAnsweredCall(target.extensionId) };
    this.#ringer.ring(round, ringTimeSeconds, (ringing) => void this.#decide('noAnswer', target, ringing.sawBusy));
  }

  #forkProvisional(fork: Fork, response: SipResponse): void {
    if (this.#state !== CallState.Ringing || !this.#ringer.roundOf(fork)) return;
    if (response.status === 180 || response.status === 183) {
      let body: string | undefined;
      if (response.body.length > 0 && this.#ringer.mayGiveEarlyMedia(fork)) {
        const answer = this.#answerFromB(response.body);
        if (answer) {
          this.#ringer.gaveEarlyMedia(fork);
          body = answer;
        }
      }
      this.#callerInvite.provisional(response.status === 183 && body === undefined ? 180 : response.status, body);
    }
  }

  #answerFromB(sdp: Uint8Array): string | undefined {
    return answerThroughRelay(this.relay, this.#callerSdp, sdp, (reason, detail) =>
      this.#env.logger.info({ call: this.id, reason, detail }, 'device answer not usable'),
    );
  }

  #forkAnswered(fork: Fork, response: SipResponse, dialog: Dialog): void {
    const ringing = this.#ringer.roundOf(fork);
    if (this.#state !== CallState.Ringing || !ringing) {
      fork.hangUpLate(dialog);
      return;
    }
    const answer = response.body.length > 0 ? this.#answerFromB(response.body) : undefined;
    if (answer === undefined) {
      // §13.2.2.4 + RFC 3264: an answer we cannot use ends that device's session.
      fork.rejectAnswer(dialog);
      this.#forkFailed(fork);
      return;
    }
    // The first 2xx wins (§16.7 forking as a UAC): every other device is cancelled.
    this.#ringer.answered(ringing, fork);
    this.#transition(CallState.Answered);
    this.#answeredAt = this.#env.clock.now();
    this.#answeredBy = ringing.target;

    this.#b = fork.dialogSide(dialog, this.#env.clock, () =>
      this.#flowOf(ringing.target, dialog.state.remoteTarget.toString(), fork.binding.instanceId),
    );

    this.#a = this.#callerInvite.dialogSide(() => {
      const contacts = this.#invite.contacts();
      const uri = contacts === '*' ? undefined : contacts[0]?.uri.toString();
      return uri === undefined ? undefined : this.#flowOf(this.caller, uri, undefined);
    });
    if (!this.#a) {
      void this.#b.bye();
      this.#rejectCaller(400, 'Missing Contact', 'failed');
      return;
    }
    this.#lastAnswerToA = answer;
    this.#env.registerDialog(this, 'a', this.#a.dialog.id);
    this.#env.registerDialog(this, 'b', dialog.id);
    this.#env.answeredBy(this, [this.caller.extensionId, ringing.target.extensionId]);
    this.#callerInvite.answer(this.#a, answer, () => void this.hangUp('system', 'no ACK from the caller', 408));
    this.#env.logger.info(
      { call: this.id, callId: this.callId, tenant: this.caller.sipDomain, caller: this.caller.number, callee: this.dialled, answeredBy: ringing.target.number },
      'call answered',
    );
  }

  /** Where `owner`'s device with this contact is reached now (it may have re-registered over a new connection). */
  #flowOf(owner: ExtensionCallSettings, contactUri: string, instanceId: string | undefined) {
    return flowOfContact(this.#env.bindings(owner.tenantId, owner.extensionId), contactUri, instanceId);
  }

  #forkFailed(fork: Fork): void {
    if (this.#state !== CallState.Ringing) return;
    const ringing = this.#ringer.failed(fork);
    if (!ringing) return;
    // Every device of the target failed: busy when one refused (SPEC 2.2), else unavailable.
    const outcome = failedRingingOutcome(ringing);
    if (outcome === 'notAcceptable') {
      this.#rejectCaller(488, 'Not Acceptable Here', 'failed');
      return;
    }
    void this.#decide(outcome, ringing.target);
  }

  // ---- ending before answer --------------------------------------------------------------

  #callerCancelled(): void {
    if (this.#state === CallState.Answered || this.ended) return;
    // The stack has answered the CANCEL 200 and the INVITE 487 (§9.2).
    this.#finish({ disposition: 'cancelled', endedBy: 'caller', endStatus: 487, endReason: 'caller cancelled' });
  }

  /** Rejects the caller with a final response and ends the call. */
  #rejectCaller(
    status: number,
    reason: string,
    disposition: CallDisposition,
    endedBy: CallEndedBy = 'system',
    headers: [string, string][] = [],
  ): void {
    if (this.#state === CallState.Answered || this.ended) return;
    this.#callerInvite.reject(status, reason, headers);
    this.#finish({ disposition, endedBy, endStatus: status, endReason: `${status} ${reason}` });
  }

  /**
   * Ends the call from outside (media timeout, shutdown, an operator's hang-up, missing ACK): an answered call gets
   * BYE on both legs (with a Reason header, RFC 3326), a call not yet answered is refused to the caller with `status`
   * (480 for 200) and its ringing devices are cancelled. Resolves when both BYE transactions have ended.
   */
  async hangUp(endedBy: CallEndedBy, reason: string, status = 200, headers: [string, string][] = []): Promise<void> {
    if (this.ended) return;
    if (this.#state !== CallState.Answered) {
      this.#rejectCaller(status === 200 ? 480 : status, reason, 'failed', endedBy, headers);
      return;
    }
    const header = `SIP;cause=${status};text="${reason.replace(/"/g, "'")}"`;
    const byes = [this.#a?.bye(header), this.#b?.bye(header)];
    this.#finish({ disposition: 'answered', endedBy, endStatus: status, endReason: reason });
    await Promise.all(byes);
  }

  // ---- answered: in-dialog requests --------------------------------------------------------

  /** A request inside the A or B dialog (BYE, re-INVITE, UPDATE, INFO …). */
  async inDialog(sideName: SideName, ctx: IncomingRequest): Promise<void> {
    const side = sideName === 'a' ? this.#a : this.#b;
    const other = sideName === 'a' ? this.#b : this.#a;
    if (!side || !other || this.ended) {
      await ctx.reply(481);
      return;
    }
    await this.#inDialog.handle(side, other, ctx);
  }

  // ---- the end -----------------------------------------------------------------------------

  #finish(end: CallEnd): void {
    if (this.ended) return;
    this.#transition(CallState.Ended);
    this.#ringer.stop();
    this.#ringer.clearReturnAfter();
    this.#a?.stop2xx();
    this.#b?.stop2xx();
    const a = this.relay.a.stats().rtp;
    const b = this.relay.b.stats().rtp;
    this.relay.close(end.endReason);
    const record = callRecord(this.#facts(), end, this.#env.clock.now());
    this.#env.ended(this, record, { aIn: a.packetsIn, aOut: a.packetsOut, bIn: b.packetsIn, bOut: b.packetsOut, dropped: a.dropped + b.dropped });
  }

  #facts(): CallFacts {
    return {
      id: this.id,
      tenantId: this.tenantId,
      callId: this.callId,
      caller: this.caller,
      dialled: this.dialled,
      calleeExtensionId: this.#calleeExtensionId,
      answeredBy: this.#answeredBy,
      forks: this.#ringer.forks,
      hops: this.#hops,
      startedAt: this.#startedAt,
      answeredAt: this.#answeredAt,
    };
  }

  /** Records which extension was dialled (for the CDR). */
  setCallee(extensionId: string): void {
    this.#calleeExtensionId = extensionId;
  }

  /** A snapshot of the call for the live-calls view (only meaningful before it ended). */
  snapshot(): ActiveCall {
    const state = this.#state === CallState.Answered ? 'answered' : this.#state === CallState.Ringing ? 'ringing' : 'routing';
    return callSnapshot(this.#facts(), state, this.relay, this.#negotiated);
  }

  /** The answer SDP last sent to the caller (tests, monitoring). */
  get callerAnswer(): string | undefined {
    return this.#lastAnswerToA;
  }
}
