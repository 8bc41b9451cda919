import { randomToken, StoreUnavailableError, uuid, type TimerHandle } from '../../lib/index.js';
import type { MediaRelay } from '../../media/index.js';
import { createResponse, Dialog, SipUri, type IncomingRequest, type SipRequest, type SipResponse } from '../../sip/index.js';
import {
  diversionValues,
  historyInfoValues,
  internalCallerInfo,
  internalCallerIdentity,
  internalFromValue,
  runChainDetailed,
  withHop,
  type CallContext,
  type CallReason,
  type Decision,
  type ForwardAction,
  type ForwardHop,
} from '../features/index.js';
import type {
  CallDetailRecord,
  CallDisposition,
  CallEndedBy,
  CallLegRecord,
  ExtensionCallSettings,
} from '../ports.js';
import type { ActiveCall, ActiveCallMedia, CallEnvironment, CallStart } from './call-types.js';
import { CallSide, type SideName } from './call-side.js';
import { localContact } from './flow.js';
import { Fork } from './fork.js';

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

const STATUS_DISPOSITION: Record<number, CallDisposition> = { 486: 'busy', 600: 'busy', 603: 'busy', 480: 'unavailable' };

/** Devices that refuse a call say so with these (INTEROP.md: baresip 486, Linphone 603). */
const REFUSALS = new Set([486, 600, 603]);

interface Ringing {
  readonly target: ExtensionCallSettings;
  readonly forks: Fork[];
  readonly callWaiting: boolean;
  /** The target was on an answered call when ringing began (SPEC 2.2: unanswered then counts as busy). */
  readonly sawBusy: boolean;
  timer: TimerHandle | undefined;
}

interface ReturnAfter {
  readonly from: ExtensionCallSettings;
  timer: TimerHandle | undefined;
}

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
  readonly #ctx: IncomingRequest;
  readonly #invite: SipRequest;
  readonly #aTag = randomToken(10);
  readonly #callerSdp: Uint8Array;
  #offerForB: string;
  #hops: ForwardHop[] = [];
  #ringing: Ringing | undefined;
  #returnAfter: ReturnAfter | undefined;
  readonly #legs: Fork[] = [];
  #a: CallSide | undefined;
  #b: CallSide | undefined;
  #answeredBy: ExtensionCallSettings | undefined;
  #earlyFork: Fork | undefined;
  #offerInProgress = false;
  readonly #startedAt: number;
  #answeredAt: number | null = null;
  #lastAnswerToA: string | undefined;
  /** Extension id of the dialled extension (set by the engine). */
  #calleeExtensionId: string | undefined;
  /** What the relay last negotiated (for the live-calls view). */
  #codecs: readonly string[] = [];
  #onHold = false;

  constructor(env: CallEnvironment, start: CallStart) {
    this.#env = env;
    this.#ctx = start.ctx;
    this.#invite = start.ctx.request;
    this.tenantId = start.caller.tenantId;
    this.callId = this.#invite.callId() ?? '';
    this.caller = start.caller;
    this.dialled = start.dialled;
    this.relay = start.relay;
    this.#offerForB = start.offerForB;
    this.#callerSdp = this.#invite.body;
    this.#startedAt = env.clock.now();
    start.ctx.onCancel(() => this.#callerCancelled());
    this.relay.on('rtpTimeout', () => void this.hangUp('system', 'media timeout', 408));
    this.relay.observer.on('negotiated', ({ codecs, onHold }) => {
      this.#codecs = codecs;
      this.#onHold = onHold;
    });
  }

  get state(): CallState {
    return this.#state;
  }

  get ended(): boolean {
    return this.#state === CallState.Ended;
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
    this.#clearReturnAfter();
    if (action.returnAfterSeconds !== undefined) {
      const returnAfter: ReturnAfter = { from: ctx.target, timer: undefined };
      returnAfter.timer = this.#env.clock.setTimeout(() => {
        if (this.#returnAfter !== returnAfter || this.#state === CallState.Answered || this.ended) return;
        this.#returnAfter = undefined;
        this.#stopRinging();
        void this.#decide('returnAfter', returnAfter.from);
      }, action.returnAfterSeconds * 1000);
      this.#returnAfter = returnAfter;
    }
    await this.#decide('initial', next);
  }

  // ---- ringing ---------------------------------------------------------------------------

  #devicesOf(target: ExtensionCallSettings) {
    const source = this.#ctx.source;
    // Never ring the device that is calling (a user calling their own extension from one phone).
    return this.#env
      .bindings(target.tenantId, target.extensionId)
      .filter((b) => !(b.sourceAddress === source.address && b.sourcePort === source.port && b.sourceTransport === source.transport));
  }

  #ring(target: ExtensionCallSettings, ringTimeSeconds: number, callWaiting: boolean): void {
    this.#stopRinging();
    const devices = this.#devicesOf(target);
    if (devices.length === 0) {
      void this.#decide('unavailable', target);
      return;
    }
    this.#state = CallState.Ringing;
    const identity = internalCallerIdentity(this.caller);
    const domain = target.sipDomain;
    const headers: [string, string][] = [];
    if (this.#hops.length > 0) {
      for (const v of diversionValues(this.#hops, domain)) headers.push(['Diversion', v]);
      for (const v of historyInfoValues(this.dialled, this.#hops, domain)) headers.push(['History-Info', v]);
    }
    const maxForwards = Math.max(1, Math.min(70, (this.#invite.maxForwards() ?? 70) - 1));
    const ringing: Ringing = {
      target,
      forks: [],
      callWaiting,
      sawBusy: this.#env.onAnsweredCall(target.extensionId),
      timer: undefined,
    };
    this.#ringing = ringing;
    for (const binding of devices) {
      const fork = new Fork({
        stack: this.#env.stack,
        logger: this.#env.logger,
        binding,
        target: target.number,
        sipDomain: domain,
        from: internalFromValue(identity, domain),
        sdp: this.#offerForB,
        headers,
        maxForwards,
        user: {
          provisional: (f, r) => this.#forkProvisional(f, r),
          answered: (f, r, d) => this.#forkAnswered(f, r, d),
          failed: (f) => this.#forkFailed(f),
        },
      });
      ringing.forks.push(fork);
      this.#legs.push(fork);
      fork.start();
    }
    ringing.timer = this.#env.clock.setTimeout(() => {
      if (this.#ringing !== ringing || this.ended) return;
      this.#stopRinging();
      void this.#decide('noAnswer', target, ringing.sawBusy);
    }, ringTimeSeconds * 1000);
  }

  /** Cancels every live fork of the current ringing and stops its timer. */
  #stopRinging(): void {
    const ringing = this.#ringing;
    if (!ringing) return;
    this.#ringing = undefined;
    this.#env.clock.clearTimeout(ringing.timer);
    for (const fork of ringing.forks) fork.cancel();
  }

  #clearReturnAfter(): void {
    if (this.#returnAfter) this.#env.clock.clearTimeout(this.#returnAfter.timer);
    this.#returnAfter = undefined;
  }

  #forkProvisional(fork: Fork, response: SipResponse): void {
    if (this.#state !== CallState.Ringing || !this.#ringing?.forks.includes(fork)) return;
    if (response.status === 180 || response.status === 183) {
      let body: string | undefined;
      if (response.body.length > 0 && (!this.#earlyFork || this.#earlyFork === fork)) {
        const answer = this.#answerFromB(response.body);
        if (answer) {
          this.#earlyFork = fork;
          body = answer;
        }
      }
      this.#provisionalToA(response.status === 183 && body === undefined ? 180 : response.status, body);
    }
  }

  /** Passes a B-side SDP answer through the relay (re-offering first when one was already answered). */
  #answerFromB(sdp: Uint8Array): string | undefined {
    if (!this.relay.offerPending) {
      const reoffer = this.relay.offer('a', this.#callerSdp);
      if (!reoffer.ok) return undefined;
    }
    const answer = this.relay.answer('b', sdp);
    if (!answer.ok) {
      this.#env.logger.info({ call: this.id, reason: answer.reason, detail: answer.detail }, 'device answer not usable');
      return undefined;
    }
    return answer.sdp;
  }

  #provisionalToA(status: number, sdp: string | undefined): void {
    const headers: [string, string][] = [['Contact', localContact(this.#env.stack, this.#ctx.source)]];
    const response = createResponse(this.#invite, status, undefined, {
      toTag: this.#aTag,
      headers,
      ...(sdp !== undefined ? { body: sdp, contentType: 'application/sdp' } : {}),
    });
    this.#ctx.send(response).catch((err: unknown) => this.#env.logger.debug({ err }, 'provisional not sent'));
  }

  #forkAnswered(fork: Fork, response: SipResponse, dialog: Dialog): void {
    const ringing = this.#ringing;
    if (this.#state !== CallState.Ringing || !ringing?.forks.includes(fork)) {
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
    this.#ringing = undefined;
    this.#env.clock.clearTimeout(ringing.timer);
    for (const other of ringing.forks) if (other !== fork) other.cancel();
    this.#clearReturnAfter();
    this.#state = CallState.Answered;
    this.#answeredAt = this.#env.clock.now();
    this.#answeredBy = ringing.target;

    const bContact = localContact(this.#env.stack, fork.flow.dest);
    this.#b = new CallSide({
      name: 'b',
      dialog,
      flow: fork.flow,
      stack: this.#env.stack,
      clock: this.#env.clock,
      logger: this.#env.logger,
      contact: bContact,
      refreshFlow: () => this.#refreshFlow(ringing.target, dialog.state.remoteTarget.toString(), fork.binding.instanceId),
    });
    this.#b.lastSdpSent = this.#offerForB;

    const aDialog = Dialog.asUas(this.#invite, this.#aTag);
    const aContact = localContact(this.#env.stack, this.#ctx.source);
    if (!aDialog) {
      void this.#b.bye();
      this.#rejectCaller(400, 'Missing Contact', 'failed');
      return;
    }
    this.#a = new CallSide({
      name: 'a',
      dialog: aDialog,
      flow: { dest: this.#ctx.source, connectionId: this.#ctx.connectionId },
      stack: this.#env.stack,
      clock: this.#env.clock,
      logger: this.#env.logger,
      contact: aContact,
      refreshFlow: () => {
        const contacts = this.#invite.contacts();
        const uri = contacts === '*' ? undefined : contacts[0]?.uri.toString();
        return uri === undefined ? undefined : this.#refreshFlow(this.caller, uri, undefined);
      },
    });
    this.#a.lastSdpSent = answer;
    this.#lastAnswerToA = answer;
    this.#env.registerDialog(this, 'a', aDialog.id);
    this.#env.registerDialog(this, 'b', dialog.id);
    this.#env.answeredBy(this, [this.caller.extensionId, ringing.target.extensionId]);

    const ok = createResponse(this.#invite, 200, undefined, {
      toTag: this.#aTag,
      headers: [
        ['Contact', aContact],
        ['Allow', 'INVITE, ACK, CANCEL, BYE, UPDATE, INFO, OPTIONS'],
      ],
      body: answer,
      contentType: 'application/sdp',
    });
    this.#a.answer2xx(this.#ctx, ok, () => void this.hangUp('system', 'no ACK from the caller', 408));
    this.#env.logger.info(
      { call: this.id, callId: this.callId, tenant: this.caller.sipDomain, caller: this.caller.number, callee: this.dialled, answeredBy: ringing.target.number },
      'call answered',
    );
  }

  #refreshFlow(owner: ExtensionCallSettings, contactUri: string, instanceId: string | undefined) {
    const bindings = this.#env.bindings(owner.tenantId, owner.extensionId);
    const wanted = SipUri.parse(contactUri);
    // RFC 3261 §19.1.4 URI equality, as the registrar compares contacts (`transport=TCP` = `transport=tcp`).
    const match =
      bindings.find((b) => b.contactUri === contactUri || (wanted !== undefined && SipUri.parse(b.contactUri)?.equals(wanted) === true)) ??
      (instanceId !== undefined ? bindings.find((b) => b.instanceId === instanceId) : undefined);
    if (!match) return undefined;
    return {
      dest: {
        transport: match.sourceTransport,
        address: match.sourceAddress,
        port: match.sourcePort,
        family: match.sourceAddress.includes(':') ? (6 as const) : (4 as const),
      },
      connectionId: match.connectionId,
    };
  }

  #forkFailed(fork: Fork): void {
    const ringing = this.#ringing;
    if (this.#state !== CallState.Ringing || !ringing?.forks.includes(fork)) return;
    if (ringing.forks.some((f) => f.live)) return;
    // Every device of the target failed: busy when one refused (SPEC 2.2), else unavailable.
    this.#ringing = undefined;
    this.#env.clock.clearTimeout(ringing.timer);
    if (this.#earlyFork && ringing.forks.includes(this.#earlyFork)) this.#earlyFork = undefined;
    const statuses = ringing.forks.map((f) => f.outcome ?? 408);
    if (statuses.every((s) => s === 488 || s === 606)) {
      this.#rejectCaller(488, 'Not Acceptable Here', 'failed');
      return;
    }
    const refused = statuses.some((s) => REFUSALS.has(s)) || ringing.callWaiting;
    void this.#decide(refused ? 'busy' : 'unavailable', ringing.target);
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
    const response = createResponse(this.#invite, status, reason, { toTag: this.#aTag, headers });
    this.#ctx.send(response).catch((err: unknown) => this.#env.logger.debug({ err }, 'final response not sent'));
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
    const request = ctx.request;
    if (!side || !other || this.ended) {
      await ctx.reply(481);
      return;
    }
    if (request.method === 'ACK') {
      side.noteFlow(ctx);
      side.stop2xx();
      return;
    }
    if (!side.dialog.acceptRemoteSeq(request)) {
      await ctx.reply(500, { reason: 'CSeq Out Of Order' });
      return;
    }
    side.noteFlow(ctx);
    switch (request.method) {
      case 'BYE':
        await ctx.reply(200);
        side.dialog.terminate();
        side.stop2xx();
        void other.bye();
        this.#finish({
          disposition: 'answered',
          endedBy: sideName === 'a' ? 'caller' : 'callee',
          endStatus: 200,
          endReason: sideName === 'a' ? 'caller hung up' : 'callee hung up',
        });
        return;
      case 'INVITE':
      case 'UPDATE':
        await this.#renegotiate(side, other, ctx);
        return;
      case 'INFO':
        await this.#passThrough(other, ctx);
        return;
      default:
        await ctx.reply(501);
    }
  }

  /** §14 re-INVITE / RFC 3311 UPDATE: carried to the other device through the relay. */
  async #renegotiate(side: CallSide, other: CallSide, ctx: IncomingRequest): Promise<void> {
    const request = ctx.request;
    const method = request.method;
    const okHeaders: [string, string][] = [['Contact', side.contact]];
    if (request.body.length === 0) {
      // A session refresh without an offer: answer with the session as it is (our last SDP).
      side.dialog.refreshTarget(request);
      const body = method === 'INVITE' && side.lastSdpSent !== undefined ? { body: side.lastSdpSent, contentType: 'application/sdp' } : {};
      const ok = createResponse(request, 200, undefined, { headers: okHeaders, ...body });
      if (method === 'INVITE') side.answer2xx(ctx, ok, () => void this.hangUp('system', 'no ACK', 408));
      else await ctx.send(ok);
      return;
    }
    if (this.#offerInProgress) {
      // §14.1 / RFC 3311 §5.2: an offer while ours is pending: 491, the peer retries later.
      await ctx.reply(491);
      return;
    }
    this.#offerInProgress = true;
    try {
      const offer = this.relay.offer(side.name, request.body);
      if (!offer.ok) {
        await ctx.reply(offer.reason === 'invalidSdp' ? 400 : 488, { reason: offer.detail.slice(0, 80) });
        return;
      }
      const out = other.dialog.createRequest(method, {
        body: offer.sdp,
        contentType: 'application/sdp',
        headers: [['Contact', other.contact]],
      });
      const response = await other.send(out);
      if (this.ended) return;
      if (response.status >= 200 && response.status < 300) {
        if (method === 'INVITE') other.sendAck(other.dialog.createAck(out.cseq()?.seq ?? 1));
        other.dialog.refreshTarget(response);
        other.lastSdpSent = offer.sdp;
        const answer = this.relay.answer(other.name, response.body);
        if (!answer.ok) {
          await ctx.reply(488, { reason: 'Answer Not Usable' });
          return;
        }
        side.dialog.refreshTarget(request);
        side.lastSdpSent = answer.sdp;
        const ok = createResponse(request, 200, undefined, { headers: okHeaders, body: answer.sdp, contentType: 'application/sdp' });
        if (method === 'INVITE') side.answer2xx(ctx, ok, () => void this.hangUp('system', 'no ACK', 408));
        else await ctx.send(ok);
        return;
      }
      this.relay.rollbackOffer();
      await ctx.reply(response.status, { reason: response.reason });
      // RFC 5057 §5.1: 481 or a timeout on a re-INVITE means the dialog is gone.
      if (response.status === 481 || response.status === 408) void this.hangUp('system', `${method} failed with ${response.status}`, response.status);
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

  // ---- the end -----------------------------------------------------------------------------

  #finish(end: { disposition: CallDisposition; endedBy: CallEndedBy; endStatus: number; endReason: string }): void {
    if (this.ended) return;
    this.#state = CallState.Ended;
    this.#stopRinging();
    this.#clearReturnAfter();
    this.#a?.stop2xx();
    this.#b?.stop2xx();
    const a = this.relay.a.stats().rtp;
    const b = this.relay.b.stats().rtp;
    this.relay.close(end.endReason);
    const legs: CallLegRecord[] = this.#legs.map((f) => ({
      target: f.target,
      contact: f.binding.contactUri,
      callId: f.callId,
      answered: f.state === 'answered',
      finalStatus: f.finalStatus,
    }));
    const record: CallDetailRecord = {
      id: this.id,
      tenantId: this.tenantId,
      callId: this.callId,
      callerNumber: this.caller.number,
      callerName: this.caller.name,
      callerExtensionId: this.caller.extensionId,
      callee: this.dialled,
      calleeExtensionId: this.#calleeExtensionId ?? null,
      answeredBy: this.#answeredBy?.number ?? null,
      legs,
      hops: this.#hops.map((h) => ({
        from: h.from,
        to: h.to.kind === 'extension' ? h.to.number : h.to.kind === 'voicemail' ? `voicemail:${h.to.extension}` : h.to.e164,
        reason: h.reason,
      })),
      startedAt: this.#startedAt,
      answeredAt: this.#answeredAt,
      endedAt: this.#env.clock.now(),
      disposition: end.disposition,
      endedBy: end.endedBy,
      endStatus: end.endStatus,
      endReason: end.endReason,
    };
    this.#env.ended(this, record, { aIn: a.packetsIn, aOut: a.packetsOut, bIn: b.packetsIn, bOut: b.packetsOut, dropped: a.dropped + b.dropped });
  }

  /** Records which extension was dialled (for the CDR). */
  setCallee(extensionId: string): void {
    this.#calleeExtensionId = extensionId;
  }

  /** A snapshot of the call for the live-calls view (only meaningful before it ended). */
  snapshot(): ActiveCall {
    const media = (leg: 'a' | 'b'): ActiveCallMedia => {
      const l = this.relay.leg(leg);
      const remote = l.remoteRtp;
      return {
        relayAddress: l.advertisedAddress,
        relayPort: l.rtpPort,
        device: remote ? `${remote.address.includes(':') ? `[${remote.address}]` : remote.address}:${remote.port}` : null,
      };
    };
    return {
      id: this.id,
      tenantId: this.tenantId,
      callId: this.callId,
      callerNumber: this.caller.number,
      callerName: this.caller.name,
      callee: this.dialled,
      answeredBy: this.#answeredBy?.number ?? null,
      state: this.#state === CallState.Answered ? 'answered' : this.#state === CallState.Ringing ? 'ringing' : 'routing',
      startedAt: this.#startedAt,
      answeredAt: this.#answeredAt,
      codecs: this.#codecs,
      onHold: this.#onHold,
      media: { caller: media('a'), callee: media('b') },
    };
  }

  /** The answer SDP last sent to the caller (tests, monitoring). */
  get callerAnswer(): string | undefined {
    return this.#lastAnswerToA;
  }
}

/** The CDR disposition of a call that ends with `status` at decision point `reason`. */
function dispositionOf(reason: string, status: number): CallDisposition {
  if (reason === 'noAnswer' || reason === 'returnAfter') return status === 486 ? 'busy' : 'no-answer';
  return STATUS_DISPOSITION[status] ?? 'failed';
}
