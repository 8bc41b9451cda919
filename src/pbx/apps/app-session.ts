import { InvalidStateError, randomToken, uuid, type Clock, type Logger, type TimerHandle } from '../../lib/index.js';
import type { Language } from '../../domain/index.js';
import {
  PortRangeExhaustedError,
  type CollectOptions,
  type CollectResult,
  type LegInterface,
  type MediaEndpoint,
  type MediaEngine,
  type PlayItem,
  type PlayResult,
  type PromptCatalogue,
  type PromptId,
  type RecordOptions,
  type RecordResult,
} from '../../media/index.js';
import { createResponse, Dialog, type IncomingRequest, type SipRequest, type SipStack } from '../../sip/index.js';
import type { ActiveCall } from '../calls/index.js';
import type { CallDetailRecord, CallDisposition, CallEndedBy, ExtensionCallSettings } from '../ports.js';
import { CallSide } from '../calls/call-side.js';
import { localContact } from '../calls/flow.js';
import type { AppCall, TransferTarget } from './call-app.js';

/** A caller an application hands to an extension (AppCall.transfer): its INVITE, not yet answered, and the call so far. */
export interface AppHandover {
  readonly ctx: IncomingRequest;
  readonly caller: ExtensionCallSettings;
  /** The number the caller dialled (the call record's callee). */
  readonly dialled: string;
  readonly startedAt: number;
  readonly target: ExtensionCallSettings;
}

/** What an application call needs from the runner that owns it. */
export interface AppSessionEnvironment {
  readonly stack: SipStack;
  readonly media: MediaEngine;
  readonly prompts: PromptCatalogue;
  readonly clock: Clock;
  readonly logger: Logger;
  /** The media interface for the caller's address family, when not the engine's default. */
  readonly mediaInterface: LegInterface | undefined;
  registerDialog(session: AppSession, key: string): void;
  ended(session: AppSession, record: CallDetailRecord): void;
  /** Call settings of an extension of the tenant (transfer targets), or undefined. */
  findExtension(tenantId: string, number: string): Promise<ExtensionCallSettings | undefined>;
  /** The session has handed its caller to `handover.target`: the call engine rings it and owns the call from now. */
  handedOver(session: AppSession, handover: AppHandover): Promise<void>;
}

/** Content types of SIP INFO digits (application/dtmf-relay as most phones send, application/dtmf). */
const INFO_DTMF_TYPES = ['application/dtmf-relay', 'application/dtmf'];

const ALLOW = 'INVITE, ACK, CANCEL, BYE, UPDATE, INFO, OPTIONS';

/** How often an answered application call checks that the caller still sends RTP. */
const MEDIA_CHECK_MS = 1000;

/**
 * A call whose other party is Centrala itself, carried out for a {@link CallApp}: the caller's INVITE is answered
 * (183 early media or 200) with a media endpoint's SDP; the dialog's in-dialog requests are handled here (BYE,
 * re-INVITE / UPDATE through the endpoint's offer/answer, INFO digits into the endpoint). States:
 *
 *   routing --earlyMedia--> early --answer--> answered --BYE / hangUp--> ended
 *      |                      |
 *      +----------------------+--CANCEL / reject / transfer--> ended
 *
 * A transfer ends the session without a call record of its own: the call engine's call carries on the caller's
 * INVITE and writes the one record of the whole call.
 */
export class AppSession implements AppCall {
  readonly id = uuid();
  readonly name: string;
  readonly dialled: string;
  readonly caller: ExtensionCallSettings;
  readonly language: Language;
  readonly callId: string;
  readonly #env: AppSessionEnvironment;
  readonly #ctx: IncomingRequest;
  readonly #invite: SipRequest;
  readonly #tag = randomToken(10);
  readonly #abort = new AbortController();
  readonly startedAt: number;
  #state: 'routing' | 'early' | 'answered' | 'ended' = 'routing';
  #endpoint: MediaEndpoint | undefined;
  /** Our SDP answer, once the caller's offer was answered (sent in 183 and 200). */
  #sdp: string | undefined;
  #side: CallSide | undefined;
  #answeredAt: number | null = null;
  #onHold = false;
  #mediaCheck: TimerHandle | undefined;

  constructor(env: AppSessionEnvironment, start: { ctx: IncomingRequest; caller: ExtensionCallSettings; dialled: string; name: string }) {
    this.#env = env;
    this.#ctx = start.ctx;
    this.#invite = start.ctx.request;
    this.callId = this.#invite.callId() ?? '';
    this.caller = start.caller;
    this.language = start.caller.language;
    this.dialled = start.dialled;
    this.name = start.name;
    this.startedAt = env.clock.now();
    start.ctx.onCancel(() => {
      if (this.#state === 'answered') return;
      // The stack has answered the CANCEL 200 and the INVITE 487 (§9.2).
      this.#finish({ disposition: 'cancelled', endedBy: 'caller', endStatus: 487, endReason: 'caller cancelled' });
    });
  }

  get signal(): AbortSignal {
    return this.#abort.signal;
  }

  get ended(): boolean {
    return this.#state === 'ended';
  }

  get tenantId(): string {
    return this.caller.tenantId;
  }

  /** Opens the endpoint and answers the caller's offer once; false when the offer cannot be answered. */
  async #media(): Promise<boolean> {
    if (this.#sdp !== undefined) return true;
    if (this.#endpoint === undefined) {
      try {
        this.#endpoint = await this.#env.media.createEndpoint(this.callId, this.#env.mediaInterface ?? {});
      } catch (err) {
        if (!(err instanceof PortRangeExhaustedError)) throw err;
        this.reject(503, 'No Media Ports', [['Retry-After', '5']]);
        return false;
      }
      // CANCEL while the ports were being bound.
      if (this.ended) this.#endpoint.close('hangup');
    }
    if (this.ended) return false;
    const answer = this.#endpoint.answer(this.#invite.body);
    if (!answer.ok) {
      this.#env.logger.info({ app: this.name, callId: this.callId, reason: answer.reason, detail: answer.detail }, 'caller offer not answerable');
      return false;
    }
    this.#sdp = answer.sdp;
    return true;
  }

  async earlyMedia(): Promise<boolean> {
    if (this.#state === 'early') return true;
    if (this.#state !== 'routing' || !(await this.#media()) || this.#state !== 'routing') return false;
    this.#state = 'early';
    const response = createResponse(this.#invite, 183, undefined, {
      toTag: this.#tag,
      headers: [['Contact', localContact(this.#env.stack, this.#ctx.source)]],
      body: this.#sdp,
      contentType: 'application/sdp',
    });
    this.#ctx.send(response).catch((err: unknown) => this.#env.logger.debug({ err }, '183 not sent'));
    return true;
  }

  async answer(): Promise<boolean> {
    if (this.#state === 'answered') return true;
    if (this.ended) return false;
    if (!(await this.#media())) {
      if (!this.ended) this.reject(488, 'Not Acceptable Here');
      return false;
    }
    if (this.ended) return false;
    const dialog = Dialog.asUas(this.#invite, this.#tag);
    if (!dialog) {
      this.reject(400, 'Missing Contact');
      return false;
    }
    const contact = localContact(this.#env.stack, this.#ctx.source);
    this.#side = new CallSide({
      name: 'a',
      dialog,
      flow: { dest: this.#ctx.source, connectionId: this.#ctx.connectionId },
      stack: this.#env.stack,
      clock: this.#env.clock,
      logger: this.#env.logger,
      contact,
      refreshFlow: () => undefined,
    });
    this.#side.lastSdpSent = this.#sdp;
    this.#state = 'answered';
    this.#answeredAt = this.#env.clock.now();
    this.#env.registerDialog(this, `${this.callId};${this.#tag}`);
    const ok = createResponse(this.#invite, 200, undefined, {
      toTag: this.#tag,
      headers: [
        ['Contact', contact],
        ['Allow', ALLOW],
      ],
      body: this.#sdp,
      contentType: 'application/sdp',
    });
    this.#side.answer2xx(this.#ctx, ok, () => void this.end('system', 'no ACK from the caller', 408));
    this.#armMediaCheck();
    this.#env.logger.info({ call: this.id, callId: this.callId, tenant: this.caller.sipDomain, caller: this.caller.number, app: this.name }, 'call answered by an application');
    return true;
  }

  /**
   * The media timeout of an answered app call, as the relay's (`--rtp-timeout`, one hour on hold): a phone that
   * vanished without BYE must not keep an echo test running for ever.
   */
  #armMediaCheck(): void {
    this.#mediaCheck = this.#env.clock.setTimeout(() => {
      this.#mediaCheck = undefined;
      const ep = this.#endpoint;
      if (this.ended || !ep) return;
      const limits = this.#env.media.rtpTimeouts;
      if (ep.idleMs >= (this.#onHold ? limits.holdMs : limits.activeMs)) {
        void this.end('system', 'media timeout', 408);
        return;
      }
      this.#armMediaCheck();
    }, MEDIA_CHECK_MS);
  }

  prompts(ids: readonly PromptId[]): PlayItem[] {
    return this.#env.prompts.items(this.language, ids);
  }

  #open(operation: string): MediaEndpoint | undefined {
    if (this.ended) return undefined;
    if (this.#endpoint === undefined || this.#sdp === undefined) throw new Error(`${operation}() needs media: call earlyMedia() or answer() first`);
    return this.#endpoint;
  }

  async play(items: PlayItem | readonly PlayItem[], options: { bargeIn?: boolean } = {}): Promise<PlayResult> {
    const ep = this.#open('play');
    if (!ep) return { reason: 'closed' };
    return ep.play(items, { ...options, signal: this.signal });
  }

  async collect(options: Omit<CollectOptions, 'signal'> = {}): Promise<CollectResult> {
    const ep = this.#open('collect');
    if (!ep) return { digits: '', reason: 'closed' };
    return ep.collect({ ...options, signal: this.signal });
  }

  async record(options: Omit<RecordOptions, 'signal'> = {}): Promise<RecordResult> {
    const ep = this.#open('record');
    if (!ep) return { samples: new Int16Array(0), wav: Buffer.alloc(0), durationMs: 0, reason: 'closed' };
    return ep.record({ ...options, signal: this.signal });
  }

  async echo(): Promise<{ readonly reason: 'aborted' | 'closed' }> {
    const ep = this.#open('echo');
    if (!ep) return { reason: 'closed' };
    return ep.echo({ signal: this.signal });
  }

  reject(status: number, reason?: string, headers: [string, string][] = []): void {
    if (this.#state === 'answered' || this.ended) return;
    if (status < 300 || status > 699) throw new RangeError(`reject(${status}): a refusal is a final status 300-699`);
    const response = createResponse(this.#invite, status, reason, { toTag: this.#tag, headers });
    this.#ctx.send(response).catch((err: unknown) => this.#env.logger.debug({ err }, 'final response not sent'));
    const disposition: CallDisposition = status === 486 || status === 600 || status === 603 ? 'busy' : status === 480 ? 'unavailable' : 'failed';
    this.#finish({ disposition, endedBy: 'system', endStatus: status, endReason: `${status} ${response.reason}` });
  }

  async transfer(target: TransferTarget): Promise<boolean> {
    if (target.kind !== 'extension') throw new Error(`transfer to ${target.kind} ${target.number}: external calls are not available yet`);
    if (this.#state === 'answered') throw new InvalidStateError('transfer after answer is not supported yet');
    if (this.ended) return false;
    const extension = await this.#env.findExtension(this.caller.tenantId, target.number);
    if (!extension || this.ended) return false;
    this.#close('transferred');
    this.#env.logger.info({ call: this.id, callId: this.callId, app: this.name, to: extension.number }, 'application transferred the caller');
    await this.#env.handedOver(this, { ctx: this.#ctx, caller: this.caller, dialled: this.dialled, startedAt: this.startedAt, target: extension });
    return true;
  }

  hangUp(status?: number): Promise<void> {
    return this.end('callee', 'application hung up', status);
  }

  /**
   * Ends the call from outside or from the app: BYE (with a Reason header, RFC 3326) when answered, else the caller
   * is refused with `status` (480 for none or 200). Resolves when the BYE transaction has ended.
   */
  async end(endedBy: CallEndedBy, reason: string, status?: number, headers: [string, string][] = []): Promise<void> {
    if (this.ended) return;
    if (this.#state !== 'answered') {
      const final = status === undefined || status < 300 ? 480 : status;
      const response = createResponse(this.#invite, final, undefined, { toTag: this.#tag, headers });
      this.#ctx.send(response).catch((err: unknown) => this.#env.logger.debug({ err }, 'final response not sent'));
      this.#finish({ disposition: 'failed', endedBy, endStatus: final, endReason: reason });
      return;
    }
    const bye = this.#side?.bye(`SIP;cause=${status ?? 200};text="${reason.replace(/"/g, "'")}"`);
    this.#finish({ disposition: 'answered', endedBy, endStatus: status ?? 200, endReason: reason });
    await bye;
  }

  /** A request in the application's dialog: BYE, re-INVITE / UPDATE (hold, codec change), INFO digits. */
  async inDialog(ctx: IncomingRequest): Promise<void> {
    const side = this.#side;
    const request = ctx.request;
    if (!side || this.ended) {
      if (request.method !== 'ACK') await ctx.reply(481);
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
        this.#finish({ disposition: 'answered', endedBy: 'caller', endStatus: 200, endReason: 'caller hung up' });
        return;
      case 'INVITE':
      case 'UPDATE':
        await this.#renegotiate(side, ctx);
        return;
      case 'INFO':
        await this.#info(ctx);
        return;
      default:
        await ctx.reply(501);
    }
  }

  /** §14 re-INVITE / RFC 3311 UPDATE: the endpoint answers the new offer (hold, resume, codec change). */
  async #renegotiate(side: CallSide, ctx: IncomingRequest): Promise<void> {
    const request = ctx.request;
    const headers: [string, string][] = [['Contact', side.contact]];
    let body: string | undefined = side.lastSdpSent;
    if (request.body.length > 0) {
      const answer = this.#endpoint?.answer(request.body);
      if (!answer?.ok) {
        // RFC 3264 §8: a refused offer leaves the session as it was.
        await ctx.reply(answer?.reason === 'invalidSdp' ? 400 : 488, { reason: answer ? answer.detail.slice(0, 80) : 'No Media' });
        return;
      }
      body = answer.sdp;
      side.lastSdpSent = body;
      this.#onHold = /^a=(sendonly|inactive)\r?$/m.test(request.body.toString()) || /^c=IN IP[46] 0\.0\.0\.0\r?$/m.test(request.body.toString());
    }
    side.dialog.refreshTarget(request);
    const withBody = body !== undefined && (request.method === 'INVITE' || request.body.length > 0);
    const ok = createResponse(request, 200, undefined, { headers, ...(withBody ? { body, contentType: 'application/sdp' } : {}) });
    if (request.method === 'INVITE') side.answer2xx(ctx, ok, () => void this.end('system', 'no ACK', 408));
    else await ctx.send(ok);
  }

  /** SIP INFO: DTMF bodies go to the endpoint (RFC 4733 is preferred when the phone sends both). */
  async #info(ctx: IncomingRequest): Promise<void> {
    const request = ctx.request;
    const contentType = (request.contentType() ?? '').toLowerCase().split(';')[0]?.trim() ?? '';
    if (request.body.length === 0) {
      await ctx.reply(200);
      return;
    }
    if (!INFO_DTMF_TYPES.includes(contentType) || !this.#endpoint) {
      await ctx.reply(415, { headers: [['Accept', INFO_DTMF_TYPES.join(', ')]] });
      return;
    }
    const parsed = this.#endpoint.receiveInfoDtmf(contentType, request.body);
    await ctx.reply(parsed.ok ? 200 : 400, parsed.ok ? {} : { reason: parsed.error.slice(0, 80) });
  }

  /** The one writer of 'ended': stops the media check and the 2xx retransmissions, closes the endpoint, fires `signal`. */
  #close(reason: string): void {
    this.#state = 'ended';
    this.#side?.stop2xx();
    this.#env.clock.clearTimeout(this.#mediaCheck);
    this.#endpoint?.close(reason);
    this.#abort.abort(new Error(reason));
  }

  #finish(end: { disposition: CallDisposition; endedBy: CallEndedBy; endStatus: number; endReason: string }): void {
    if (this.ended) return;
    const answered = this.#state === 'answered';
    this.#close(end.endReason);
    this.#env.ended(this, {
      id: this.id,
      tenantId: this.caller.tenantId,
      callId: this.callId,
      callerNumber: this.caller.number,
      callerName: this.caller.name,
      callerExtensionId: this.caller.extensionId,
      callee: this.dialled,
      calleeExtensionId: null,
      answeredBy: answered ? `app:${this.name}` : null,
      legs: [],
      hops: [],
      startedAt: this.startedAt,
      answeredAt: this.#answeredAt,
      endedAt: this.#env.clock.now(),
      disposition: end.disposition,
      endedBy: end.endedBy,
      endStatus: end.endStatus,
      endReason: end.endReason,
    });
  }

  /** A snapshot for the live-calls view: the endpoint takes the place of the callee's relay leg. */
  snapshot(): ActiveCall {
    const media = { relayAddress: this.#endpoint?.advertisedAddress ?? '', relayPort: this.#endpoint?.rtpPort ?? 0, device: null };
    return {
      id: this.id,
      tenantId: this.caller.tenantId,
      callId: this.callId,
      callerNumber: this.caller.number,
      callerName: this.caller.name,
      callee: this.dialled,
      answeredBy: this.#state === 'answered' ? `app:${this.name}` : null,
      state: this.#state === 'answered' ? 'answered' : this.#state === 'early' ? 'ringing' : 'routing',
      startedAt: this.startedAt,
      answeredAt: this.#answeredAt,
      codecs: this.#endpoint?.codec ? [this.#endpoint.codec] : [],
      onHold: this.#onHold,
      media: { caller: media, callee: media },
    };
  }
}
