import type { RemoteInfo } from 'node:dgram';
import { type Clock, InvalidStateError, type Logger, type TimerHandle, TypedEmitter } from '../../lib/index.js';
import { type G711Law, G711_PAYLOAD_TYPE, g711Decode, writeWav } from '../codec/index.js';
import { type InfoDigit, TelephoneEventReceiver, parseInfoDtmf } from '../dtmf/index.js';
import type { ParseResult } from '../parse-result.js';
import { RtpPacket } from '../rtp/index.js';
import {
  type MediaCapabilities,
  type NegotiationFailure,
  type RtpCodec,
  type SessionDescription,
  type StreamPlan,
  acceptAnswer,
  codecMatches,
  isUnspecifiedAddress,
  mediaCodecs,
  negotiateAnswer,
  parseSdp,
  SdpOriginKeeper,
  serializeSdp,
} from '../sdp/index.js';
import { JitterBuffer, type JitterOutput } from './jitter-buffer.js';
import { type PlayItem, type PromptLoader, renderPlayItems } from './play-items.js';
import type { SocketPair } from './port-allocator.js';
import { type RecordEndReason, type RecordOptions, Recorder } from './recorder.js';
import type { RelaySdpResult } from './relay-sdp-result.js';
import { FRAME_SAMPLES, RtpSender } from './rtp-sender.js';
import { SourceLatch } from './source-latch.js';

/** Settings an endpoint gets from its engine. */
export interface MediaEndpointSettings {
  readonly capabilities: MediaCapabilities;
  /** Paces playout and runs digit timeouts: monotonic in production, a FakeClock in tests. */
  readonly clock: Clock;
  readonly logger: Logger;
  readonly relatchSilenceMs: number;
  readonly prompts: PromptLoader;
}

/** The SDP answer to send, or why the offer cannot be answered (invalidSdp → 400, else 488). */
export type EndpointSdpResult = RelaySdpResult;

/** How a play ended. */
export interface PlayResult {
  /** done: everything was played; digit: barge-in; aborted: the signal; closed: the endpoint closed. */
  readonly reason: 'done' | 'digit' | 'aborted' | 'closed';
}

/** Options of {@link MediaEndpoint.play}. */
export interface PlayOptions {
  /** A digit stops the play (the digit stays for the next collect); digits typed ahead skip it. Default false. */
  readonly bargeIn?: boolean;
  readonly signal?: AbortSignal;
}

/** Options of {@link MediaEndpoint.collect}. */
export interface CollectOptions {
  /** Stop after this many digits; default 20. */
  readonly maxDigits?: number;
  /** Digits that end the input (not included in the result); default '#', '' for none. */
  readonly terminators?: string;
  /** Time for the first digit, from the call of collect(); default 5000 ms. */
  readonly firstDigitTimeoutMs?: number;
  /** Time between digits; default 3000 ms. */
  readonly interDigitTimeoutMs?: number;
  readonly signal?: AbortSignal;
}

/** The digits collected and why collecting stopped. */
export interface CollectResult {
  readonly digits: string;
  readonly reason: 'maxDigits' | 'terminator' | 'timeout' | 'aborted' | 'closed';
  /** The terminator pressed, when reason is 'terminator'. */
  readonly terminator?: string;
}

/** A finished recording. */
export interface RecordResult {
  /** 8 kHz linear samples, trimmed as asked. */
  readonly samples: Int16Array;
  /** The same as a WAV file (PCM 16-bit, 8 kHz, mono). */
  readonly wav: Buffer;
  readonly durationMs: number;
  readonly reason: RecordEndReason;
  /** The digit that stopped it, when reason is 'digit'. */
  readonly digit?: string;
}

/** A digit received, for listeners. */
export interface ReceivedDigit {
  readonly digit: string;
  /** rfc4733: telephone-event RTP; info: a SIP INFO body the call engine passed in. */
  readonly source: 'rfc4733' | 'info';
}

/** Events of an endpoint. */
export type MediaEndpointEvents = {
  dtmf: [ReceivedDigit];
  closed: [reason: string];
};

/** Echo buffer bound: at most 200 ms of received audio waits to be sent back. */
const ECHO_MAX_SAMPLES = 1600;
/** A received packet waits at most this long in the jitter buffer for the ones before it. */
const JITTER_MAX_WAIT_MS = 60;

interface Negotiation {
  readonly plan: StreamPlan;
  readonly send: { law: G711Law; payloadType: number } | undefined;
  readonly receive: ReadonlyMap<number, G711Law>;
  readonly eventPayloadTypes: ReadonlySet<number>;
}

type Finish<R> = (reason: R) => void;

/**
 * Centrala itself as a party of a call (rtpengine's "media player" in our vocabulary): one
 * RTP/RTCP socket pair that answers or makes an SDP offer, plays prompts, tones and silence,
 * collects DTMF (RFC 4733, or SIP INFO passed in by the call engine), records what it receives
 * and can echo it back. Built by {@link MediaEngine.createEndpoint}.
 *
 * Operations: one play (or echo) at a time, one collect, one record; a play and a collect or a
 * record may run together. Each resolves with a reason — also when its AbortSignal fires
 * ('aborted') or the endpoint closes ('closed') — and rejects only for bad input (an unreadable
 * prompt, invalid options). After close every method throws InvalidStateError, so an
 * application script that ignores reasons still stops at its next step.
 *
 * Lifecycle (STYLE principle 6): `id`, `closed`, idempotent `close(reason)`, closed by the engine too.
 */
export class MediaEndpoint extends TypedEmitter<MediaEndpointEvents> {
  readonly id: string;
  readonly callId: string;
  readonly #pair: SocketPair;
  readonly #advertised: string;
  readonly #settings: MediaEndpointSettings;
  readonly #onClose: (endpoint: MediaEndpoint) => void;
  readonly #origin: SdpOriginKeeper;
  readonly #latch: SourceLatch;
  readonly #sender: RtpSender;
  readonly #events = new TelephoneEventReceiver();
  readonly #digits: string[] = [];
  #rfc4733Seen = false;
  /** Endpoint-clock time of the last RTP packet from the device, or of the last offer/answer. */
  #lastActivity: number | undefined;
  #negotiation: Negotiation | undefined;
  #offerSent: SessionDescription | undefined;
  #jitter = new JitterBuffer();
  #jitterTimer: TimerHandle | undefined;
  #play: { bargeIn: boolean; finish: Finish<PlayResult['reason']> } | undefined;
  #playStarting = false;
  #echo: number[] | undefined;
  #collect: { take: () => void; finish: Finish<CollectResult['reason']> } | undefined;
  #record: { recorder: Recorder; stopDigits: string; finish: (reason: RecordEndReason, digit?: string) => void } | undefined;
  #closed = false;

  /** @internal Built by MediaEngine.createEndpoint. */
  constructor(options: {
    id: string;
    callId: string;
    pair: SocketPair;
    advertisedAddress: string;
    settings: MediaEndpointSettings;
    onClose: (endpoint: MediaEndpoint) => void;
  }) {
    const logger = options.settings.logger.child({ callId: options.callId, endpoint: options.id });
    super(logger);
    this.id = options.id;
    this.callId = options.callId;
    this.#pair = options.pair;
    this.#advertised = options.advertisedAddress;
    this.#settings = { ...options.settings, logger };
    this.#onClose = options.onClose;
    this.#origin = new SdpOriginKeeper({ address: options.advertisedAddress });
    this.#latch = new SourceLatch(options.settings.relatchSilenceMs);
    this.#sender = new RtpSender(options.settings.clock, { format: () => this.#sendFormat(), send: (packet) => this.#sendRtp(packet) });
    this.#pair.rtp.on('message', this.#onRtp);
    const onError = (err: Error): void => logger.warn({ err }, 'media endpoint socket error');
    this.#pair.rtp.on('error', onError);
    this.#pair.rtcp.on('error', onError);
  }

  /** Whether the endpoint is closed. */
  get closed(): boolean {
    return this.#closed;
  }

  /** Local RTP port (RTCP is the next one). */
  get rtpPort(): number {
    return this.#pair.rtpPort;
  }

  /** The address written into this endpoint's SDP. */
  get advertisedAddress(): string {
    return this.#advertised;
  }

  /**
   * Milliseconds since the device last sent RTP (or since the last completed offer/answer); 0 before any. The
   * endpoint has no RTP timeout of its own: the call engine compares this with its limits.
   */
  get idleMs(): number {
    return this.#lastActivity === undefined ? 0 : this.#settings.clock.now() - this.#lastActivity;
  }

  /** The codec packets are sent with, once negotiated. */
  get codec(): G711Law | undefined {
    return this.#negotiation?.send?.law;
  }

  /** The SSRC of the stream this endpoint sends. */
  get ssrc(): number {
    return this.#sender.ssrc;
  }

  /**
   * Answers an SDP offer (an INVITE, or a re-INVITE such as hold): G.711 µ-law/A-law in the
   * offerer's order and telephone-event when offered, one audio stream, our address and port.
   * Packets go to the offer's address until the device's own packets arrive (symmetric RTP latching).
   */
  answer(offer: string | Uint8Array): EndpointSdpResult {
    this.#assertOpen('answer');
    if (this.#offerSent) throw new InvalidStateError('an offer of this endpoint awaits its answer (glare: answer 491)');
    const parsed = parseSdp(offer);
    if (!parsed.ok) return { ok: false, reason: 'invalidSdp', detail: parsed.error };
    const result = negotiateAnswer(parsed.value, this.#settings.capabilities, {
      origin: this.#origin.origin,
      address: this.#advertised,
      rtpPort: () => this.#pair.rtpPort,
    });
    if (!result.ok) return result;
    const plan = result.streams.find((s) => s.accepted);
    if (!plan) return { ok: false, reason: 'unsupportedMedia', detail: 'no stream accepted' };
    this.#apply(plan, [...plan.codecs, ...(plan.telephoneEvent ? [plan.telephoneEvent] : [])]);
    const session = this.#origin.stamp(result.sdp);
    return { ok: true, sdp: serializeSdp(session), session, stream: plan };
  }

  /** Makes an offer (for a call Centrala places, or a late-offer INVITE): PCMU, PCMA, telephone-event. */
  createOffer(): string {
    this.#assertOpen('createOffer');
    const caps = this.#settings.capabilities;
    const codecs = G711_LAWS.filter((law) => caps.codecs.some((c) => codecMatches({ name: law, clockRate: 8000, channels: 1 }, c))).map((name) => ({
      name,
      clockRate: 8000,
      payloadType: G711_PAYLOAD_TYPE[name],
    }));
    const formats = [...codecs.map((c) => String(c.payloadType)), ...(caps.telephoneEvent ? ['101'] : [])];
    const attributes = [
      ...codecs.map((c) => ({ name: 'rtpmap', value: `${c.payloadType} ${c.name}/${c.clockRate}` })),
      ...(caps.telephoneEvent ? [{ name: 'rtpmap', value: '101 telephone-event/8000' }, { name: 'fmtp', value: '101 0-15' }] : []),
      { name: 'ptime', value: String(caps.ptime ?? 20) },
      { name: 'sendrecv', value: undefined },
    ];
    const origin = this.#origin.origin;
    const offer = this.#origin.stamp({
      version: 0,
      origin,
      sessionName: '-',
      information: undefined,
      uri: undefined,
      emails: [],
      phones: [],
      connection: { netType: 'IN', addrType: origin.addrType, address: this.#advertised },
      bandwidths: [],
      timings: [{ start: 0, stop: 0, repeats: [] }],
      timeZones: undefined,
      encryptionKey: undefined,
      attributes: [],
      media: [
        {
          type: 'audio',
          port: this.#pair.rtpPort,
          portCount: undefined,
          protocol: 'RTP/AVP',
          formats,
          information: undefined,
          connection: undefined,
          bandwidths: [],
          encryptionKey: undefined,
          attributes,
        },
      ],
    });
    this.#offerSent = offer;
    return serializeSdp(offer);
  }

  /** Takes the answer to {@link createOffer}; the offer stays pending when the answer is unusable. */
  acceptAnswer(answer: string | Uint8Array): { readonly ok: true; readonly stream: StreamPlan } | NegotiationFailure {
    this.#assertOpen('acceptAnswer');
    const offer = this.#offerSent;
    if (!offer) throw new InvalidStateError('no offer of this endpoint is pending');
    const parsed = parseSdp(answer);
    if (!parsed.ok) return { ok: false, reason: 'invalidSdp', detail: parsed.error };
    const accepted = acceptAnswer(offer, parsed.value);
    if (!accepted.ok) return accepted;
    const plan = accepted.streams.find((s) => s.accepted);
    if (!plan) return { ok: false, reason: 'noCommonCodec', detail: 'the answer accepts no offered codec' };
    const ours = offer.media[plan.index];
    this.#offerSent = undefined;
    this.#apply(plan, ours ? mediaCodecs(ours) : []);
    return { ok: true, stream: plan };
  }

  /** The offer of {@link createOffer} was rejected or cancelled (RFC 3264 §8: the session stays as it was). */
  rollbackOffer(): void {
    this.#assertOpen('rollbackOffer');
    this.#offerSent = undefined;
  }

  /**
   * Plays items back to back, paced at 20 ms. Resolves when the last frame is due (everything
   * played), at barge-in, abort or close; rejects (before sending anything) for an item that
   * cannot be played. Before negotiation, or while the device holds the call, time passes
   * without packets.
   */
  async play(items: PlayItem | readonly PlayItem[], options: PlayOptions = {}): Promise<PlayResult> {
    this.#assertOpen('play');
    if (this.#play || this.#playStarting) throw new InvalidStateError('a play or echo is already running on this endpoint');
    this.#playStarting = true;
    let audio: Int16Array;
    try {
      audio = await renderPlayItems(Array.isArray(items) ? items : [items as PlayItem], this.#settings.prompts);
    } finally {
      this.#playStarting = false;
    }
    if (this.#closed) return { reason: 'closed' };
    if (options.signal?.aborted) return { reason: 'aborted' };
    if (options.bargeIn && this.#digits.length > 0) return { reason: 'digit' };
    let at = 0;
    return this.#runSender(options.signal, options.bargeIn === true, () => {
      if (at >= audio.length) return undefined;
      const frame = new Int16Array(FRAME_SAMPLES);
      frame.set(audio.subarray(at, at + FRAME_SAMPLES));
      at += FRAME_SAMPLES;
      return frame;
    });
  }

  /**
   * Sends back what is received (after the jitter buffer), about 60–80 ms later, until aborted or
   * closed: the *43 echo test. Sends silence while nothing arrives.
   */
  echo(options: { signal?: AbortSignal } = {}): Promise<{ readonly reason: 'aborted' | 'closed' }> {
    this.#assertOpen('echo');
    if (this.#play || this.#playStarting) throw new InvalidStateError('a play or echo is already running on this endpoint');
    if (options.signal?.aborted) return Promise.resolve({ reason: 'aborted' });
    const fifo: number[] = [];
    this.#startListening();
    this.#echo = fifo;
    const result = this.#runSender(options.signal, false, () => {
      const frame = new Int16Array(FRAME_SAMPLES);
      if (fifo.length >= FRAME_SAMPLES) frame.set(fifo.splice(0, FRAME_SAMPLES));
      return frame;
    });
    return result.then((r) => {
      this.#echo = undefined;
      return { reason: r.reason === 'closed' ? 'closed' : 'aborted' };
    });
  }

  /**
   * Collects DTMF digits: first the digits typed ahead (received since the last collect), then
   * new ones, until `maxDigits`, a terminator, or a timeout (first digit, then between digits).
   */
  collect(options: CollectOptions = {}): Promise<CollectResult> {
    this.#assertOpen('collect');
    if (this.#collect) throw new InvalidStateError('a collect is already running on this endpoint');
    const maxDigits = options.maxDigits ?? 20;
    const terminators = options.terminators ?? '#';
    const first = options.firstDigitTimeoutMs ?? 5000;
    const inter = options.interDigitTimeoutMs ?? 3000;
    if (!Number.isInteger(maxDigits) || maxDigits < 1) throw new RangeError(`maxDigits ${maxDigits} must be a whole number ≥ 1`);
    if (!(first > 0) || !(inter > 0)) throw new RangeError('digit timeouts must be positive numbers of ms');
    const clock = this.#settings.clock;
    return new Promise((resolve) => {
      let digits = '';
      let timer: TimerHandle | undefined;
      const onAbort = (): void => finish('aborted');
      const finish = (reason: CollectResult['reason'], terminator?: string): void => {
        if (this.#collect !== entry) return;
        this.#collect = undefined;
        clock.clearTimeout(timer);
        options.signal?.removeEventListener('abort', onAbort);
        resolve(terminator === undefined ? { digits, reason } : { digits, reason, terminator });
      };
      const take = (): void => {
        for (let d = this.#digits.shift(); d !== undefined; d = this.#digits.shift()) {
          if (terminators.includes(d)) return finish('terminator', d);
          digits += d;
          if (digits.length >= maxDigits) return finish('maxDigits');
        }
        clock.clearTimeout(timer);
        timer = clock.setTimeout(() => finish('timeout'), digits.length === 0 ? first : inter);
      };
      const entry = { take, finish };
      this.#collect = entry;
      if (options.signal?.aborted) return finish('aborted');
      options.signal?.addEventListener('abort', onAbort, { once: true });
      take();
    });
  }

  /** Forgets the digits typed ahead (e.g. before asking for a PIN again). */
  flushDigits(): void {
    this.#digits.length = 0;
  }

  /**
   * Records what the device sends (through a jitter buffer; loss becomes silence of the right
   * length) until a stop digit, the maximum length, the silence limit, abort or close; resolves
   * with what was recorded in every case.
   */
  record(options: RecordOptions = {}): Promise<RecordResult> {
    this.#assertOpen('record');
    if (this.#record) throw new InvalidStateError('a recording is already running on this endpoint');
    const recorder = new Recorder(options);
    const stopDigits = options.stopDigits ?? '#';
    this.#startListening();
    return new Promise((resolve) => {
      const onAbort = (): void => finish('aborted');
      const finish = (reason: RecordEndReason, digit?: string): void => {
        if (this.#record !== entry) return;
        this.#record = undefined;
        if (reason !== 'maxDuration' && reason !== 'silence') {
          // What the jitter buffer still holds arrived before the end (e.g. before the # digit).
          for (const out of this.#jitter.flush()) {
            const samples = this.#samplesOf(out);
            if (samples && recorder.push(samples)) break;
          }
        }
        options.signal?.removeEventListener('abort', onAbort);
        const samples = recorder.finish();
        const wav = writeWav({ encoding: 'pcm16', samples });
        const durationMs = samples.length / 8;
        resolve(digit === undefined ? { samples, wav, durationMs, reason } : { samples, wav, durationMs, reason, digit });
      };
      const entry = { recorder, stopDigits, finish };
      this.#record = entry;
      if (options.signal?.aborted) return finish('aborted');
      options.signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  /**
   * A DTMF digit from a SIP INFO request (the call engine passes the body in; a body that is not ok
   * gets 415 or 400). Once the device has sent RFC 4733 events, INFO digits are parsed but not used:
   * phones configured for both send every key twice.
   */
  receiveInfoDtmf(contentType: string, body: string | Uint8Array): ParseResult<InfoDigit> {
    this.#assertOpen('receiveInfoDtmf');
    const parsed = parseInfoDtmf(contentType, body);
    if (parsed.ok && !this.#rfc4733Seen) this.#digit(parsed.value.digit, 'info');
    return parsed;
  }

  /** Ends every operation (reason 'closed'), stops sending, closes the sockets, releases the ports. Idempotent. */
  close(reason = 'closed'): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#play?.finish('closed');
    this.#collect?.finish('closed');
    this.#record?.finish('closed');
    this.#sender.stop();
    this.#settings.clock.clearTimeout(this.#jitterTimer);
    this.#jitterTimer = undefined;
    this.#pair.rtp.off('message', this.#onRtp);
    this.#pair.rtp.close();
    this.#pair.rtcp.close();
    this.#onClose(this);
    this.emit('closed', reason);
  }

  /** @internal The engine closed. */
  engineClosed(): void {
    this.close('engineClosed');
  }

  #runSender(signal: AbortSignal | undefined, bargeIn: boolean, read: () => Int16Array | undefined): Promise<PlayResult> {
    return new Promise((resolve) => {
      const onAbort = (): void => finish('aborted');
      const finish = (reason: PlayResult['reason']): void => {
        if (this.#play !== entry) return;
        this.#play = undefined;
        if (reason !== 'done') this.#sender.stop();
        signal?.removeEventListener('abort', onAbort);
        resolve({ reason });
      };
      const entry = { bargeIn, finish };
      this.#play = entry;
      signal?.addEventListener('abort', onAbort, { once: true });
      this.#sender.start(read, () => finish('done'));
    });
  }

  /**
   * Takes a negotiated stream: `remote` as the device described it, `ours` the codecs of our own
   * m= line. Packets are accepted with either side's payload type numbers (RFC 3264 §6.1 lets
   * the answerer use its own), and sent with the device's numbers.
   */
  #apply(remote: StreamPlan, ours: readonly RtpCodec[]): void {
    const receive = new Map<number, G711Law>();
    const events = new Set<number>();
    for (const c of [...remote.codecs, ...(remote.telephoneEvent ? [remote.telephoneEvent] : []), ...ours]) {
      const law = lawOf(c);
      if (law) receive.set(c.payloadType, law);
      else if (codecMatches(c, { name: 'telephone-event', clockRate: 8000 })) events.add(c.payloadType);
    }
    const first = remote.codecs.find((c) => lawOf(c) !== undefined);
    const law = first && lawOf(first);
    const send = first && law ? { law, payloadType: first.payloadType } : undefined;
    this.#negotiation = { plan: remote, send, receive, eventPayloadTypes: events };
    this.#lastActivity = this.#settings.clock.now();
    const address = remote.remote;
    const usable = address && address.family === this.#pair.family && !isUnspecifiedAddress(address.address);
    this.#latch.reset(usable ? { address: address.address, port: address.rtpPort } : undefined);
  }

  /** The codec to send with, unless the device does not want our audio (sendonly/inactive hold). */
  #sendFormat(): { law: G711Law; payloadType: number } | undefined {
    const n = this.#negotiation;
    if (!n || n.plan.direction === 'sendonly' || n.plan.direction === 'inactive') return undefined;
    return n.send;
  }

  #sendRtp(packet: Buffer): void {
    const dest = this.#latch.destination;
    if (this.#closed || !dest) return;
    this.#pair.rtp.send(packet, dest.port, dest.address, (err) => {
      if (err) this.#settings.logger.debug({ err }, 'rtp send failed');
    });
  }

  readonly #onRtp = (data: Buffer, rinfo: RemoteInfo): void => {
    const n = this.#negotiation;
    const parsed = RtpPacket.parse(data);
    if (!n || !parsed.ok) return;
    const packet = parsed.value;
    const law = n.receive.get(packet.payloadType);
    const isEvent = n.eventPayloadTypes.has(packet.payloadType);
    const now = this.#settings.clock.now();
    if (this.#latch.check(rinfo.address, rinfo.port, law !== undefined || isEvent, packet.ssrc, now) === 'drop') return;
    this.#lastActivity = now;
    if (isEvent) {
      this.#rfc4733Seen = true;
      for (const e of this.#events.push(packet.timestamp, packet.payload)) if (e.digit !== undefined) this.#digit(e.digit, 'rfc4733');
      return;
    }
    if (law === undefined || (!this.#record && !this.#echo)) return;
    this.#deliver(this.#jitter.push(packet, now));
    this.#armJitterTimer();
  };

  #armJitterTimer(): void {
    if (this.#jitterTimer || this.#jitter.size === 0) return;
    this.#jitterTimer = this.#settings.clock.setTimeout(() => {
      this.#jitterTimer = undefined;
      this.#deliver(this.#jitter.releaseDue(this.#settings.clock.now(), JITTER_MAX_WAIT_MS));
      this.#armJitterTimer();
    }, JITTER_MAX_WAIT_MS);
  }

  /** A new consumer of received audio starts: the jitter buffer starts afresh unless another one is running. */
  #startListening(): void {
    if (!this.#record && !this.#echo) this.#jitter = new JitterBuffer();
  }

  #samplesOf(out: JitterOutput): Int16Array | undefined {
    if ('silence' in out) return new Int16Array(out.silence);
    const law = this.#negotiation?.receive.get(out.packet.payloadType);
    return law && g711Decode(law, out.packet.payload);
  }

  #deliver(outputs: readonly JitterOutput[]): void {
    for (const out of outputs) {
      const samples = this.#samplesOf(out);
      if (!samples) continue;
      if (this.#echo) {
        for (const s of samples) this.#echo.push(s);
        if (this.#echo.length > ECHO_MAX_SAMPLES) this.#echo.splice(0, this.#echo.length - ECHO_MAX_SAMPLES);
      }
      const record = this.#record;
      if (record) {
        const ended = record.recorder.push(samples);
        if (ended) record.finish(ended);
      }
    }
  }

  #digit(digit: string, source: ReceivedDigit['source']): void {
    this.emit('dtmf', { digit, source });
    const record = this.#record;
    if (record && record.stopDigits.includes(digit)) {
      record.finish('digit', digit);
      return;
    }
    this.#digits.push(digit);
    if (this.#play?.bargeIn) this.#play.finish('digit');
    this.#collect?.take();
  }

  #assertOpen(method: string): void {
    if (this.#closed) throw new InvalidStateError(`MediaEndpoint.${method}() after close`);
  }
}

const G711_LAWS: readonly G711Law[] = ['PCMU', 'PCMA'];

/** The G.711 law of a codec, if it is one. */
function lawOf(codec: RtpCodec): G711Law | undefined {
  return G711_LAWS.find((law) => codecMatches(codec, { name: law, clockRate: 8000 }));
}
