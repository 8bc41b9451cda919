import { type Clock, InvalidStateError, type Logger, type TimerHandle, TypedEmitter } from '../../lib/index.js';
import {
  type MediaCapabilities,
  type SessionDescription,
  type StreamPlan,
  acceptAnswer,
  parseSdp,
  restrictOffer,
  rewriteTransport,
  serializeSdp,
} from '../sdp/index.js';
import { type LatchChange, type LegName, MediaLeg, type MediaLegOwner } from './media-leg.js';
import type { SocketPair } from './port-allocator.js';
import type { RelaySdpResult } from './relay-sdp-result.js';

/** Emitted when no RTP has arrived from either device for the configured time. */
export interface RtpTimeout {
  readonly relay: MediaRelay;
  /** Milliseconds since the last RTP packet (or since the last completed offer/answer). */
  readonly idleMs: number;
  /** Whether the shorter timeout or the hold timeout applied. */
  readonly onHold: boolean;
}

/** Events of a relay, for the call engine. */
export type MediaRelayEvents = {
  /** No RTP from either device for rtpTimeoutSeconds (holdTimeoutSeconds while on hold). Emitted once per silence. */
  rtpTimeout: [RtpTimeout];
  /** The relay closed (by close(), or because the engine closed). */
  closed: [reason: string];
};

/** Events for monitoring (logs, metrics). */
export type MediaRelayObserverEvents = {
  latch: [LatchChange];
  negotiated: [{ offerer: LegName; onHold: boolean; codecs: string[] }];
  closed: [reason: string];
};

/** Settings a relay gets from its engine. */
export interface MediaRelaySettings {
  readonly capabilities: MediaCapabilities;
  readonly rtpTimeoutMs: number;
  readonly holdTimeoutMs: number;
  readonly relatchSilenceMs: number;
  readonly clock: Clock;
  readonly logger: Logger;
}

interface PendingOffer {
  readonly from: MediaLeg;
  /** The offer as sent to the other device: what its answer is checked against. */
  readonly sent: SessionDescription;
  readonly plan: StreamPlan;
  /** What the offering leg expected before, for rollback. */
  readonly previous: { plan: StreamPlan | undefined };
}

/**
 * Anchors one call's media: leg A and leg B, each with its own RTP/RTCP socket pair; packets
 * received on A are sent from B to B's device and vice versa. SDP passes through {@link offer} /
 * {@link answer}, which restrict it to what the relay carries (G.711 + telephone-event, one audio
 * stream, plain RTP), rewrite addresses and ports to the relay's, and keep each leg's o= line.
 *
 * Lifecycle (STYLE principle 6): `closed`, idempotent `close(reason)`, closed by the engine's close
 * too (`engineClosed()`); after close, methods throw InvalidStateError.
 */
export class MediaRelay extends TypedEmitter<MediaRelayEvents> implements MediaLegOwner {
  readonly id: string;
  readonly callId: string;
  readonly a: MediaLeg;
  readonly b: MediaLeg;
  readonly observer: TypedEmitter<MediaRelayObserverEvents>;
  readonly #settings: MediaRelaySettings;
  readonly #onClose: (relay: MediaRelay) => void;
  readonly #plans = new Map<MediaLeg, StreamPlan>();
  #pending: PendingOffer | undefined;
  #negotiated = false;
  #onHold = false;
  #activityAt = 0;
  #timer: TimerHandle | undefined;
  #closed = false;

  /** @internal Built by MediaEngine.createRelay. */
  constructor(options: {
    id: string;
    callId: string;
    pairs: { a: SocketPair; b: SocketPair };
    advertised: { a: string; b: string };
    settings: MediaRelaySettings;
    onClose: (relay: MediaRelay) => void;
  }) {
    const logger = options.settings.logger.child({ callId: options.callId, relay: options.id });
    super(logger);
    this.id = options.id;
    this.callId = options.callId;
    this.observer = new TypedEmitter(logger);
    this.#settings = { ...options.settings, logger };
    this.#onClose = options.onClose;
    const leg = (name: LegName): MediaLeg =>
      new MediaLeg({
        name,
        pair: options.pairs[name],
        advertisedAddress: options.advertised[name],
        clock: options.settings.clock,
        logger,
        owner: this,
        relatchSilenceMs: options.settings.relatchSilenceMs,
      });
    this.a = leg('a');
    this.b = leg('b');
  }

  /** Whether the relay is closed. */
  get closed(): boolean {
    return this.#closed;
  }

  /** Whether an offer awaits its answer. */
  get offerPending(): boolean {
    return this.#pending !== undefined;
  }

  /** Whether the last completed offer/answer put the stream on hold (the long timeout applies). */
  get onHold(): boolean {
    return this.#onHold;
  }

  /** The leg facing `name`'s device. */
  leg(name: LegName): MediaLeg {
    return name === 'a' ? this.a : this.b;
  }

  /**
   * The device on leg `from` sent an offer (INVITE, re-INVITE, or a 2xx of a late-offer INVITE).
   * Returns the offer to send to the other device, or why it cannot be carried (→ 488 / 400).
   * RFC 3264 §4: one offer at a time — a second offer before the answer is a glare the SIP layer
   * resolves (491); calling this then throws InvalidStateError.
   */
  offer(from: LegName, sdp: string | Uint8Array): RelaySdpResult {
    this.#assertOpen('offer');
    if (this.#pending) throw new InvalidStateError('an offer is already pending (glare: answer 491 first)');
    const parsed = parseSdp(sdp);
    if (!parsed.ok) return { ok: false, reason: 'invalidSdp', detail: parsed.error };
    const restricted = restrictOffer(parsed.value, this.#settings.capabilities);
    if (!restricted.ok) return restricted;
    const plan = restricted.streams.find((s) => s.accepted);
    if (!plan) return { ok: false, reason: 'unsupportedMedia', detail: 'no stream accepted' };
    const offerer = this.leg(from);
    const other = this.#other(offerer);
    const previous = { plan: this.#plans.get(offerer) };
    this.#applyPlan(offerer, plan);
    const sent = other.originKeeper.stamp(
      rewriteTransport(restricted.sdp, { address: other.advertisedAddress, rtpPort: (i) => (i === plan.index ? other.rtpPort : undefined) }),
    );
    this.#pending = { from: offerer, sent, plan, previous };
    return { ok: true, sdp: serializeSdp(sent), session: sent, stream: plan };
  }

  /**
   * The device on leg `from` answered the pending offer. Returns the answer to send to the
   * offering device, or why the answer is unusable (the caller then ends the call or rolls back).
   */
  answer(from: LegName, sdp: string | Uint8Array): RelaySdpResult {
    this.#assertOpen('answer');
    const pending = this.#pending;
    const answerer = this.leg(from);
    if (!pending) throw new InvalidStateError('no offer is pending');
    if (pending.from === answerer) throw new InvalidStateError(`leg ${from} made the pending offer and cannot answer it`);
    const parsed = parseSdp(sdp);
    if (!parsed.ok) return { ok: false, reason: 'invalidSdp', detail: parsed.error };
    const accepted = acceptAnswer(pending.sent, parsed.value);
    if (!accepted.ok) return accepted;
    const plan = accepted.streams.find((s) => s.index === pending.plan.index && s.accepted);
    if (!plan) return { ok: false, reason: 'noCommonCodec', detail: 'the answer rejects the relayed stream' };
    const offerer = pending.from;
    this.#applyPlan(answerer, plan);
    const sent = offerer.originKeeper.stamp(
      rewriteTransport(accepted.sdp, { address: offerer.advertisedAddress, rtpPort: (i) => (i === plan.index ? offerer.rtpPort : undefined) }),
    );
    this.#pending = undefined;
    this.#negotiated = true;
    this.#onHold = [pending.plan, plan].some((p) => p.hold || p.direction !== 'sendrecv');
    this.#activityAt = this.#settings.clock.now();
    this.#armTimer();
    this.observer.emit('negotiated', { offerer: offerer.name, onHold: this.#onHold, codecs: plan.codecs.map((c) => c.name) });
    return { ok: true, sdp: serializeSdp(sent), session: sent, stream: plan };
  }

  /**
   * The pending offer failed (rejected with 4xx/5xx/6xx, or cancelled): RFC 3264 §8 — "the
   * session state stays as before". The offering leg goes back to its previous remote address.
   */
  rollbackOffer(): void {
    this.#assertOpen('rollbackOffer');
    const pending = this.#pending;
    if (!pending) return;
    this.#pending = undefined;
    const previous = pending.previous.plan;
    if (previous) this.#applyPlan(pending.from, previous);
    else {
      this.#plans.delete(pending.from);
      pending.from.setRemote(undefined);
    }
  }

  /** Closes both legs, releases their ports, stops the timeout. Idempotent. */
  close(reason = 'closed'): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#settings.clock.clearTimeout(this.#timer);
    this.#timer = undefined;
    this.a.relayClosed();
    this.b.relayClosed();
    this.#onClose(this);
    this.emit('closed', reason);
    this.observer.emit('closed', reason);
  }

  /** @internal The engine closed: close with reason 'engineClosed'. */
  engineClosed(): void {
    this.close('engineClosed');
  }

  /** @internal MediaLegOwner: relay RTP received on `from` out of the other leg. */
  relayRtp(from: MediaLeg, packet: Buffer): boolean {
    return this.#other(from).sendRtp(packet);
  }

  /** @internal MediaLegOwner: relay RTCP received on `from` out of the other leg. */
  relayRtcp(from: MediaLeg, packet: Buffer): boolean {
    return this.#other(from).sendRtcp(packet);
  }

  /** @internal MediaLegOwner: a leg latched onto a source. */
  onLatch(change: LatchChange): void {
    this.#settings.logger.debug({ ...change }, change.verdict === 'latched' ? 'media source latched' : 'media source relatched');
    this.observer.emit('latch', change);
  }

  #other(leg: MediaLeg): MediaLeg {
    return leg === this.a ? this.b : this.a;
  }

  #applyPlan(leg: MediaLeg, plan: StreamPlan): void {
    this.#plans.set(leg, plan);
    leg.setRemote(plan.remote);
    // Each device sends with the payload type numbers the other asked for, so both legs accept both sets.
    const payloadTypes = new Set<number>();
    for (const p of this.#plans.values()) {
      for (const c of [...p.codecs, ...(p.telephoneEvent ? [p.telephoneEvent] : [])]) payloadTypes.add(c.payloadType);
    }
    this.a.setPayloadTypes(payloadTypes);
    this.b.setPayloadTypes(payloadTypes);
  }

  /** RTP timeout: re-checked when due; rescheduled while packets keep arriving. Timers only, no per-packet work. */
  #armTimer(): void {
    const clock = this.#settings.clock;
    clock.clearTimeout(this.#timer);
    const timeout = this.#onHold ? this.#settings.holdTimeoutMs : this.#settings.rtpTimeoutMs;
    const idle = clock.now() - this.#lastActivity();
    this.#timer = clock.setTimeout(() => this.#checkTimeout(), Math.max(0, timeout - idle));
  }

  #lastActivity(): number {
    return Math.max(this.#activityAt, this.a.lastRtpAt ?? 0, this.b.lastRtpAt ?? 0);
  }

  #checkTimeout(): void {
    this.#timer = undefined;
    if (this.#closed || !this.#negotiated) return;
    const timeout = this.#onHold ? this.#settings.holdTimeoutMs : this.#settings.rtpTimeoutMs;
    const idleMs = this.#settings.clock.now() - this.#lastActivity();
    if (idleMs < timeout) {
      this.#armTimer();
      return;
    }
    this.#settings.logger.info({ idleMs, onHold: this.#onHold }, 'rtp timeout');
    this.emit('rtpTimeout', { relay: this, idleMs, onHold: this.#onHold });
  }

  #assertOpen(method: string): void {
    if (this.#closed) throw new InvalidStateError(`MediaRelay.${method}() after close`);
  }
}
