import { StoreUnavailableError, uuid, type Clock, type Logger, type TimerHandle } from '../../lib/index.js';
import { PortRangeExhaustedError, type LegInterface, type MediaEngine } from '../../media/index.js';
import type { IncomingRequest, SipStack } from '../../sip/index.js';
import { announcedRefusal, AppRunner, FEATURE_CODES, type FeatureCodeApp } from '../apps/index.js';
import { DEFAULT_CALL_FEATURES, type CallFeature } from '../features/index.js';
import type { CallDetailRecord, CallDirectory, CallEndedBy, CdrSink, ExtensionCallSettings, ExtensionDirectory } from '../ports.js';
import { challengeAlgorithms, registeredFlowOf, tenantRealm, type DigestAlgorithmName, type RegistrarAuthenticator } from '../registrar/index.js';
import type { LocationService } from '../registrar/index.js';
import { Call } from './call.js';
import { callEndedFields } from './call-record.js';
import type { ActiveCall, CallEnvironment, DestinationHandler, MediaSummary } from './call-types.js';
import type { SideName } from './call-side.js';
import { routeDialled } from './dial-plan.js';
import { bindingFamily } from './flow.js';

/** The CDR of an authenticated INVITE refused before any device was rung (unknown number, SDP). */
function failedAttempt(
  caller: ExtensionCallSettings,
  callId: string,
  dialled: string,
  status: number,
  reason: string,
  now: number,
): CallDetailRecord {
  return {
    id: uuid(),
    tenantId: caller.tenantId,
    callId,
    callerNumber: caller.number,
    callerName: caller.name,
    callerExtensionId: caller.extensionId,
    callee: dialled,
    calleeExtensionId: null,
    answeredBy: null,
    legs: [],
    hops: [],
    startedAt: now,
    answeredAt: null,
    endedAt: now,
    disposition: 'failed',
    endedBy: 'system',
    endStatus: status,
    endReason: `${status} ${reason}`,
  };
}

/** Retry-After (seconds) of the 503 that refuses new INVITEs while the server shuts down. */
const SHUTDOWN_RETRY_AFTER_SECONDS = 30;

/**
 * How long an operator's hang-up waits for the phones to answer its BYEs before it reports the call ended anyway (a
 * BYE over UDP to a phone that is gone is otherwise retried for 32 s, RFC 3261 Timer F).
 */
const HANGUP_WAIT_MS = 5000;

/** Dependencies of the {@link CallEngine}. */
export interface CallEngineOptions {
  readonly stack: SipStack;
  readonly media: MediaEngine;
  readonly location: LocationService;
  readonly directory: ExtensionDirectory;
  readonly calls: CallDirectory;
  readonly authenticator: RegistrarAuthenticator;
  readonly cdr: CdrSink;
  readonly clock: Clock;
  readonly logger: Logger;
  /** The feature chain (default: SPEC 2.4 policy). */
  readonly features?: readonly CallFeature[];
  /** Digest algorithms to offer, most preferred first (as the registrar). */
  readonly digestAlgorithms?: readonly DigestAlgorithmName[];
  readonly destinations?: CallEnvironment['destinations'];
  /**
   * The media interface for devices of an address family, when it is not the engine's default (a dual-stack
   * server: IPv6 devices get relay ports on the IPv6 address, with `c=IN IP6` in their SDP).
   */
  readonly mediaInterface?: (family: 4 | 6) => LegInterface | undefined;
  /** Applications by feature code (default: `*43` echo test, `*44` speaking clock). */
  readonly featureCodes?: ReadonlyMap<string, FeatureCodeApp>;
}

/**
 * The B2BUA's front door: authenticates INVITEs (digest, 407), routes the dialled number through the
 * dial plan, starts a {@link Call}, and dispatches in-dialog requests (ACK, BYE, re-INVITE, UPDATE,
 * INFO) to the call that owns the dialog. Keeps which extensions are on an answered call (SPEC 2.2
 * busy) and writes one CDR per call.
 */
export class CallEngine {
  readonly #o: CallEngineOptions;
  readonly #calls = new Set<Call>();
  /** `Call-ID;local tag` → the call and the side that dialog belongs to. */
  readonly #dialogs = new Map<string, { call: Call; side: SideName }>();
  /** extension id → answered calls it is on. */
  readonly #answered = new Map<string, Set<Call>>();
  readonly #pendingCdrs = new Set<Promise<void>>();
  readonly #env: CallEnvironment;
  /** Calls answered by Centrala itself: feature codes and refusal announcements. */
  readonly #apps: AppRunner;
  #closed = false;

  constructor(options: CallEngineOptions) {
    this.#o = options;
    const logger = options.logger;
    this.#env = {
      stack: options.stack,
      clock: options.clock,
      logger,
      features: options.features ?? DEFAULT_CALL_FEATURES,
      findSettings: (tenantId, number) => options.calls.findCallSettings(tenantId, number),
      bindings: (tenantId, extensionId) => options.location.byExtension(tenantId, extensionId),
      onAnsweredCall: (extensionId) => (this.#answered.get(extensionId)?.size ?? 0) > 0,
      destinations: { ...(options.destinations ?? {}) },
      registerDialog: (call, side, dialogId) => {
        const [callId, localTag] = dialogId.split(';');
        this.#dialogs.set(`${callId};${localTag}`, { call, side });
      },
      answeredBy: (call, extensionIds) => {
        for (const id of extensionIds) {
          const set = this.#answered.get(id) ?? new Set<Call>();
          set.add(call);
          this.#answered.set(id, set);
        }
      },
      ended: (call, record, media) => this.#ended(call, record, media),
    };
    this.#apps = new AppRunner({
      ...options,
      writeCdr: (record) => this.#writeCdr(record),
      findExtension: (tenantId, number) => options.calls.findCallSettings(tenantId, number),
      // AppCall.transfer: the app's caller rings the extension as if dialled; one record, callee the number dialled.
      ringExtension: (h) => this.#ring(h.ctx, h.caller, h.dialled, h.target, h.startedAt).catch((err: unknown) => this.#setupFailed(h.ctx, err)),
    });
  }

  /** Calls in progress. */
  get size(): number {
    return this.#calls.size + this.#apps.size;
  }

  /** Plugs in a destination kind (voicemail, external) built by a later module. */
  setDestination(kind: 'voicemail' | 'external', handler: DestinationHandler): void {
    this.#env.destinations[kind] = handler;
  }

  /** Registers the engine's handlers on the stack. */
  attach(): void {
    const { stack } = this.#o;
    stack.onRequest('INVITE', (ctx) => this.#invite(ctx));
    stack.onRequest('ACK', (ctx) => this.#inDialog(ctx));
    for (const method of ['BYE', 'UPDATE', 'INFO']) stack.onRequest(method, (ctx) => this.#inDialog(ctx));
  }

  async #invite(ctx: IncomingRequest): Promise<void> {
    if (ctx.request.to()?.tag !== undefined) {
      await this.#inDialog(ctx);
      return;
    }
    if (this.#closed) {
      // RFC 3261 §21.5.4: 503 with Retry-After; a phone (or its outbound proxy) tries again later or elsewhere.
      await ctx.reply(503, { reason: 'Shutting Down', headers: [['Retry-After', String(SHUTDOWN_RETRY_AFTER_SECONDS)]] });
      return;
    }
    await this.#newCall(ctx).catch((err: unknown) => this.#setupFailed(ctx, err));
  }

  /** A call that could not be set up: 503 while the store is unavailable, else 500. */
  async #setupFailed(ctx: IncomingRequest, err: unknown): Promise<void> {
    if (err instanceof StoreUnavailableError) {
      // The store cannot serve it now: new calls get a temporary failure (RFC 3261 §21.5.4); calls already up
      // go on. Logged once per outage by the store, not once per call.
      this.#o.logger.debug({ err, callId: ctx.request.callId() }, 'INVITE refused: store unavailable');
      await ctx.reply(503, { headers: [['Retry-After', String(err.retryAfterSeconds)]] }).catch(() => undefined);
      return;
    }
    this.#o.logger.error({ err, callId: ctx.request.callId() }, 'INVITE failed');
    await ctx.reply(500, { reason: 'Call Setup Failed' }).catch(() => undefined);
  }

  async #newCall(ctx: IncomingRequest): Promise<void> {
    const request = ctx.request;
    await ctx.reply(100);
    // The caller's domain (From) selects the tenant; the Request-URI's host is the fallback.
    const realm = await tenantRealm(this.#o.directory, [request.from()?.uri.host ?? '', request.uri.host]);
    // RFC 3261 §22.3: a UAS that is not a proxy may challenge with 407 as well; devices treat both alike.
    const decision = await this.#o.authenticator.check({
      method: 'INVITE',
      authorizations: [...request.headers.getAll('Proxy-Authorization'), ...request.headers.getAll('Authorization')],
      realm,
      sourceAddress: ctx.source.address,
      lookup: (username) => this.#o.directory.findForAuth(realm, username),
      registeredFlow: registeredFlowOf(this.#o.location, realm, ctx),
    });
    if (decision.kind === 'blocked') {
      await ctx.reply(403);
      return;
    }
    if (decision.kind === 'challenge') {
      const values = this.#o.authenticator.challenge(
        realm,
        ctx.source.address,
        decision.stale,
        challengeAlgorithms(request.headers.get('User-Agent'), this.#o.digestAlgorithms),
      );
      await ctx.reply(407, { headers: values.map((v): [string, string] => ['Proxy-Authenticate', v]) });
      return;
    }
    const auth = decision.extension;
    const caller = await this.#o.calls.findCallSettings(auth.tenantId, auth.number);
    if (!caller) {
      await ctx.reply(403);
      return;
    }
    const dialled = request.uri.user ?? '';
    // From here on the attempt is a call of the tenant: a refusal leaves a CDR ('failed') as well.
    const route = routeDialled(dialled);
    const feature = route.kind === 'featureCode' ? (this.#o.featureCodes ?? FEATURE_CODES).get(route.code) : undefined;
    if (feature) {
      this.#apps.run(ctx, caller, dialled, feature.name, feature.app);
      return;
    }
    const target = route.kind === 'extension' ? await this.#o.calls.findCallSettings(auth.tenantId, route.number) : undefined;
    if (route.kind !== 'extension' || !target) {
      // The caller hears why (183 + announcement) before the 404; docs/calls.md "Refusals".
      this.#apps.run(ctx, caller, dialled, 'refusal', announcedRefusal(404, route.kind === 'extension' ? 'No Such Extension' : 'No Such Number', ['number-does-not-exist']));
      return;
    }
    await this.#ring(ctx, caller, route.number, target);
  }

  /** Refuses the caller's INVITE with a final status; the attempt leaves a CDR ('failed'). */
  async #refuse(ctx: IncomingRequest, caller: ExtensionCallSettings, dialled: string, status: number, reason: string, headers: [string, string][] = []): Promise<void> {
    const callId = ctx.request.callId() ?? '';
    this.#o.logger.info({ callId, tenant: caller.sipDomain, caller: caller.number, callee: dialled, status, reason }, 'call refused');
    await ctx.reply(status, { reason, headers });
    this.#writeCdr(failedAttempt(caller, callId, dialled, status, reason, this.#o.clock.now()));
  }

  /**
   * Starts a {@link Call} ringing extension `target` for the caller's INVITE: a dialled extension, or one an
   * application handed its unanswered caller to (then `startedAt` is when the call reached the application).
   */
  async #ring(ctx: IncomingRequest, caller: ExtensionCallSettings, dialled: string, target: ExtensionCallSettings, startedAt?: number): Promise<void> {
    const request = ctx.request;
    const contentType = request.contentType()?.toLowerCase() ?? '';
    if (request.body.length === 0 || !contentType.startsWith('application/sdp')) {
      // An INVITE without an offer (late offer) is not supported yet: say so plainly.
      await this.#refuse(ctx, caller, dialled, 488, 'SDP Offer Required');
      return;
    }
    let relay;
    try {
      relay = await this.#o.media.createRelay(request.callId() ?? '', this.#legInterfaces(ctx.source.family, target));
    } catch (err) {
      if (err instanceof PortRangeExhaustedError) {
        await this.#refuse(ctx, caller, dialled, 503, 'No Media Ports', [['Retry-After', '5']]);
        return;
      }
      throw err;
    }
    const offer = relay.offer('a', request.body);
    if (!offer.ok) {
      relay.close('offer refused');
      const warning: [string, string] = ['Warning', `399 centrala "${offer.detail.replace(/"/g, "'").slice(0, 100)}"`];
      await this.#refuse(ctx, caller, dialled, offer.reason === 'invalidSdp' ? 400 : 488, offer.reason === 'invalidSdp' ? 'Bad SDP' : 'Not Acceptable Here', [warning]);
      return;
    }
    const call = new Call(this.#env, { ctx, relay, offerForB: offer.sdp, caller, dialled, ...(startedAt !== undefined ? { startedAt } : {}) });
    call.setCallee(target.extensionId);
    this.#calls.add(call);
    this.#o.logger.info(
      {
        call: call.id,
        callId: call.callId,
        tenant: caller.sipDomain,
        caller: caller.number,
        callee: dialled,
        ...(dialled !== target.number ? { ringing: target.number } : {}),
        userAgent: request.headers.get('User-Agent') ?? null,
        source: `${ctx.source.family === 6 ? `[${ctx.source.address}]` : ctx.source.address}:${ctx.source.port}`,
        transport: ctx.source.transport,
      },
      'call started',
    );
    await call.start(target);
  }

  /**
   * Media interfaces by address family: the caller's leg follows the family its INVITE came over, the callee's
   * leg the family of the callee's devices (IPv6 only when every registered device is on IPv6). A forward to an
   * extension whose devices are on the other family keeps the callee leg's family.
   */
  #legInterfaces(callerFamily: 4 | 6, target: ExtensionCallSettings): { a?: LegInterface; b?: LegInterface } {
    const pick = this.#o.mediaInterface;
    if (!pick) return {};
    const devices = this.#o.location.byExtension(target.tenantId, target.extensionId);
    const calleeFamily = devices.length > 0 && devices.every((d) => bindingFamily(d) === 6) ? 6 : 4;
    const a = pick(callerFamily);
    const b = pick(calleeFamily);
    return { ...(a ? { a } : {}), ...(b ? { b } : {}) };
  }

  async #inDialog(ctx: IncomingRequest): Promise<void> {
    const request = ctx.request;
    const key = `${request.callId() ?? ''};${request.to()?.tag ?? ''}`;
    const entry = this.#dialogs.get(key);
    if (!entry && (await this.#apps.inDialog(ctx))) return;
    if (!entry) {
      // §12.2.2: a request for a dialog we do not know gets 481 (an ACK is silently dropped).
      if (request.method !== 'ACK') await ctx.reply(481);
      return;
    }
    await entry.call.inDialog(entry.side, ctx);
  }

  #ended(call: Call, record: CallDetailRecord, media: MediaSummary): void {
    this.#calls.delete(call);
    for (const [key, entry] of this.#dialogs) if (entry.call === call) this.#dialogs.delete(key);
    for (const [ext, set] of this.#answered) {
      set.delete(call);
      if (set.size === 0) this.#answered.delete(ext);
    }
    this.#o.logger.info({ ...callEndedFields(call.id, call.caller.sipDomain, record), rtp: media }, 'call ended');
    this.#writeCdr(record);
  }

  #writeCdr(record: CallDetailRecord): void {
    const write = this.#o.cdr.write(record).catch((err: unknown) => this.#o.logger.error({ err, cdr: record.id }, 'CDR not written'));
    this.#pendingCdrs.add(write);
    void write.finally(() => this.#pendingCdrs.delete(write));
  }

  /** Snapshots of the calls in progress, of one tenant or of all, oldest first. */
  active(tenantId?: string): ActiveCall[] {
    const out: ActiveCall[] = [];
    for (const call of this.#calls) if (!call.ended && (tenantId === undefined || call.tenantId === tenantId)) out.push(call.snapshot());
    out.push(...this.#apps.active(tenantId));
    return out.sort((a, b) => a.startedAt - b.startedAt);
  }

  /**
   * Ends call `id` of `tenantId` (the live-calls hang-up): BYE on both legs, or the caller refused and the devices
   * cancelled when it has not been answered; the CDR names `endedBy`. Resolves false when the tenant has no such
   * call, else true once the BYE transactions have ended (at most 5 s).
   */
  async hangUp(tenantId: string, id: string, endedBy: CallEndedBy, reason: string): Promise<boolean> {
    const call = [...this.#calls].find((c) => c.id === id && c.tenantId === tenantId && !c.ended);
    const app = call ? undefined : this.#apps.hangUp(tenantId, id, endedBy, reason);
    if (app) await this.#within(app, HANGUP_WAIT_MS);
    if (!call) return app !== undefined;
    this.#o.logger.info({ call: call.id, callId: call.callId, tenant: call.caller.sipDomain, endedBy }, 'hanging up a call');
    await this.#within(call.hangUp(endedBy, reason), HANGUP_WAIT_MS);
    return true;
  }

  /**
   * Graceful stop: from now on new INVITEs get 503 with Retry-After; every call ends through the same path as an
   * operator's hang-up (BYE on both legs, or 503 to a caller still ringing), and the engine waits up to `graceMs`
   * for the BYE transactions (a phone that never answers does not hold the shutdown), then for the CDRs.
   * Idempotent.
   */
  async close(graceMs = 0): Promise<void> {
    this.#closed = true;
    const calls = [...this.#calls];
    if (calls.length > 0) this.#o.logger.info({ calls: calls.length, graceMs }, 'ending calls before shutdown');
    const retryAfter: [string, string] = ['Retry-After', String(SHUTDOWN_RETRY_AFTER_SECONDS)];
    const ending = Promise.all([...calls.map((call) => call.hangUp('system', 'server shutting down', 503, [retryAfter])), this.#apps.close(503, [retryAfter])]);
    if (!(await this.#within(ending, graceMs))) this.#o.logger.warn({ graceMs }, 'not every phone answered the BYE in time; closing anyway');
    await Promise.all([...this.#pendingCdrs]);
  }

  /** Waits for `work` at most `ms` (on the engine's clock); true when it settled in time. */
  async #within(work: Promise<unknown>, ms: number): Promise<boolean> {
    let timer: TimerHandle | undefined;
    const bound = new Promise<false>((resolve) => (timer = this.#o.clock.setTimeout(() => resolve(false), ms)));
    const done = await Promise.race([work.then(() => true as const), bound]);
    this.#o.clock.clearTimeout(timer);
    return done;
  }
}
