import { InvalidStateError, LruMap, RateLimiter, randomToken, sourceKey, type Clock, type Logger, type RateLimit } from '../../lib/index.js';
import {
  createResponse,
  parseMessage,
  serializeMessage,
  SipRequest,
  SipResponse,
} from '../message/index.js';
import {
  newBranch,
  TransactionLayer,
  type ServerTransaction,
  type TimerSettings,
  type TransactionAddress,
  type TransactionTransport,
} from '../transaction/index.js';
import type { InboundPacket, RefusedMessage, TransportAddress, TransportLayer, TransportProtocol } from '../transport/index.js';
import type { IncomingRequest, ReplyOptions, RequestHandler } from './incoming-request.js';
import { checkRequest, type StackCapabilities } from './request-checks.js';
import { SipError } from './sip-error.js';
import { applyReceived } from './via-received.js';

/** The product token in Server / User-Agent: no version (it would tell attackers what to try). */
export const SERVER_NAME = 'Centrala';

/** Options of {@link SipStack}. */
export interface SipStackOptions {
  readonly transport: TransportLayer;
  readonly clock: Clock;
  readonly logger: Logger;
  /** Option tags supported (Supported header, Require check). Default: path, outbound. */
  readonly supported?: readonly string[];
  /** Timer overrides (T1, T2, T4 …). */
  readonly timers?: Partial<TimerSettings>;
  /**
   * Flood protection: SIP messages accepted per source address (IPv6: per /64) and second, with this burst;
   * the excess is dropped before parsing. None: no limit.
   */
  readonly rateLimit?: RateLimit;
}

/** Options of {@link SipStack.request}. */
export interface RequestOptions {
  /** Send on this flow (RFC 5626) when it is open. */
  readonly connectionId?: string;
  /** Called with each provisional response. */
  readonly onProvisional?: (response: SipResponse) => void;
  /**
   * INVITE only: called with each 2xx after the first (retransmissions, RFC 6026 Accepted state), so
   * that the TU acknowledges every one of them (RFC 3261 §13.2.2.4).
   */
  readonly onRepeated2xx?: (response: SipResponse) => void;
}

const PROTOCOLS: readonly string[] = ['udp', 'tcp', 'tls', 'ws', 'wss'];

function toTransportAddress(dest: TransactionAddress): TransportAddress {
  const transport = dest.transport.toLowerCase();
  if (!PROTOCOLS.includes(transport)) throw new TypeError(`unknown transport ${dest.transport}`);
  return {
    transport: transport as TransportProtocol,
    address: dest.address,
    port: dest.port,
    family: dest.address.includes(':') ? 6 : 4,
  };
}

function withServerHeader<M extends SipRequest | SipResponse>(message: M): M {
  if (message instanceof SipResponse && !message.headers.has('Server')) {
    return message.withHeaders((h) => h.append('Server', SERVER_NAME)) as M;
  }
  return message;
}

/**
 * The SIP stack facade: listens through the {@link TransportLayer}, parses every packet (a bad one
 * gets 400 when a response can be formed, else it is dropped; nothing a packet carries can crash
 * the process), applies RFC 3581 to requests, hands messages to the {@link TransactionLayer}, and
 * passes new requests to a TU handler chosen by method (`onRequest`). It answers OPTIONS for the
 * server itself and the §8.2 checks (405/501, 416, 420, 483) before any handler runs. `request()`
 * sends requests through client transactions.
 */
export class SipStack {
  readonly #transport: TransportLayer;
  readonly #logger: Logger;
  readonly #handlers = new Map<string, RequestHandler>();
  readonly #supported: readonly string[];
  readonly #transactions: TransactionLayer;
  readonly #offPacket: () => void;
  readonly #offRefused: () => void;
  readonly #cancelListeners = new WeakMap<ServerTransaction, () => void>();
  readonly #flood: RateLimiter | undefined;
  /** Source → when a flood from it was last logged (one warning per source every 10 s). */
  readonly #floodLogged = new LruMap<string, number>(1000);
  readonly #clock: Clock;
  #closed = false;

  constructor(options: SipStackOptions) {
    this.#transport = options.transport;
    this.#logger = options.logger.child({ category: 'sip.stack' });
    this.#supported = options.supported ?? ['path', 'outbound'];
    this.#clock = options.clock;
    this.#flood = options.rateLimit ? new RateLimiter(options.rateLimit, options.clock) : undefined;
    const txTransport: TransactionTransport = {
      send: (message, dest, connectionId) => this.#send(message, toTransportAddress(dest), connectionId),
      isReliable: (t) => t.toLowerCase() !== 'udp',
    };
    this.#transactions = new TransactionLayer({
      transport: txTransport,
      clock: options.clock,
      logger: options.logger,
      ...(options.timers ? { timers: options.timers } : {}),
    });
    this.#offPacket = this.#transport.on('packet', (packet) => this.#onPacket(packet));
    this.#offRefused = this.#transport.on('refused', (refused) => this.#onRefused(refused));
  }

  /** True once {@link SipStack.close} was called. */
  get closed(): boolean {
    return this.#closed;
  }

  /** The transaction layer (for monitoring and tests). */
  get transactions(): TransactionLayer {
    return this.#transactions;
  }

  /** Registers the TU handler of `method` (upper-case), replacing any previous one. */
  onRequest(method: string, handler: RequestHandler): this {
    this.#handlers.set(method.toUpperCase(), handler);
    return this;
  }

  /** Methods, option tags and local methods the stack answers with (Allow, Supported). */
  capabilities(): StackCapabilities {
    const allowed = new Set<string>(['OPTIONS', ...this.#handlers.keys()]);
    if (allowed.has('INVITE')) {
      allowed.add('ACK');
      allowed.add('CANCEL');
    }
    return { allowed: [...allowed], supported: this.#supported, local: ['REGISTER', 'OPTIONS'] };
  }

  /** Keeps a flow open while registrations use it (RFC 5626 §5.2); false when it is gone. */
  bindConnection(connectionId: string): boolean {
    return this.#transport.bindConnection(connectionId);
  }

  /** A new top Via for a request we send to `dest` (our sent-by, fresh branch, rport). */
  newVia(dest: TransportAddress): string {
    const local = this.#transport.localAddress(dest.transport);
    const host = local.family === 6 ? `[${local.address}]` : local.address;
    return `SIP/2.0/${dest.transport.toUpperCase()} ${host}:${local.port};branch=${newBranch()};rport`;
  }

  /** Our address on `transport`, as devices should reach us (Contact, SDP defaults). */
  localAddress(transport: TransportProtocol): TransportAddress {
    return this.#transport.localAddress(transport);
  }

  /** Whether the flow `connectionId` is still open. */
  hasConnection(connectionId: string): boolean {
    return this.#transport.hasConnection(connectionId);
  }

  /** Releases one binding of a flow. */
  unbindConnection(connectionId: string): void {
    this.#transport.unbindConnection(connectionId);
  }

  /**
   * Sends a request through a client transaction and resolves with its final response. A missing
   * top Via is added (our sent-by, fresh branch, rport). Timeout resolves with a local 408 and a
   * transport failure with a local 503 (RFC 3261 §8.1.3.1).
   */
  request(request: SipRequest, dest: TransportAddress, options: RequestOptions = {}): Promise<SipResponse> {
    if (this.#closed) return Promise.reject(new InvalidStateError('SIP stack closed'));
    const final = this.#outgoing(request, dest);
    return new Promise<SipResponse>((resolve) => {
      let done = false;
      const finish = (r: SipResponse): void => {
        if (!done) {
          done = true;
          resolve(r);
        }
      };
      this.#transactions.sendRequest(
        final,
        dest,
        {
          receiveResponse: (response) => {
            if (response.status < 200) options.onProvisional?.(response);
            else if (done && response.status < 300) options.onRepeated2xx?.(response);
            else finish(response);
          },
          onTimeout: () => finish(createResponse(final, 408, 'Request Timeout')),
          onTransportError: () => finish(createResponse(final, 503, 'Service Unavailable')),
        },
        options.connectionId !== undefined ? { connectionId: options.connectionId } : {},
      );
    });
  }

  /**
   * Sends a request without a transaction: the ACK for a 2xx (RFC 3261 §13.2.2.4, §17.1.1.3), which
   * is a new transaction of its own and is retransmitted only in answer to a repeated 2xx. A missing
   * top Via is added as in {@link SipStack.request}.
   */
  async sendStateless(request: SipRequest, dest: TransportAddress, connectionId?: string): Promise<void> {
    if (this.#closed) throw new InvalidStateError('SIP stack closed');
    await this.#send(this.#outgoing(request, dest), dest, connectionId);
  }

  /** The request with our Via (when it has none) and User-Agent. */
  #outgoing(request: SipRequest, dest: TransportAddress): SipRequest {
    let outgoing = request;
    if (!request.topVia()) {
      const via = this.newVia(dest);
      outgoing = request.withHeaders((h) => h.prepend('Via', via));
    }
    if (!outgoing.headers.has('User-Agent')) outgoing = outgoing.withHeaders((h) => h.append('User-Agent', SERVER_NAME));
    return outgoing;
  }

  async #send(message: SipRequest | SipResponse, dest: TransportAddress, connectionId?: string): Promise<void> {
    const data = serializeMessage(withServerHeader(message));
    await this.#transport.send(data, dest, connectionId !== undefined ? { connectionId } : {});
  }

  #onPacket(packet: InboundPacket): void {
    // STYLE 9: the transport boundary catches everything for each packet.
    try {
      this.#handlePacket(packet);
    } catch (err) {
      this.#logger.warn({ err, source: `${packet.source.address}:${packet.source.port}` }, 'packet dropped');
    }
  }

  #handlePacket(packet: InboundPacket): void {
    if (this.#closed) return;
    if (this.#flood && !this.#allowed(this.#flood, packet)) return;
    const parsed = parseMessage(packet.data);
    if (!parsed.ok) {
      const { error } = parsed;
      this.#logger.debug({ reason: error.reason, source: packet.source.address }, 'unparseable message');
      // STYLE 9: a malformed request gets 400 (or the parser's status) when a response can be
      // formed; a malformed response, or one without the headers a response needs, is dropped.
      if (error.request && error.request.method !== 'ACK') {
        const response = createResponse(error.request, error.status, error.reason, { toTag: randomToken(10) });
        this.#send(response, packet.source, packet.connectionId).catch((err: unknown) =>
          this.#logger.debug({ err }, 'could not send 400'),
        );
      }
      return;
    }
    const message = parsed.message;
    if (message instanceof SipResponse) {
      // §18.1.2 / §17.1.3: a response that matches no client transaction is discarded (a stray
      // 2xx to an INVITE would go to the UA core; there is none yet).
      if (!this.#transactions.receiveResponse(message)) {
        this.#logger.debug({ status: message.status, callId: message.callId() }, 'stray response dropped');
      }
      return;
    }
    this.#handleRequest(applyReceived(message, packet.source), packet);
  }

  /**
   * A message the transport refused (too large, unframeable stream): RFC 3261 §21.5.14 513, or 400
   * for a stream message without a usable Content-Length (§18.3), when the lines read hold a request
   * line and a valid top Via; otherwise nothing can be answered. No transaction is created: the
   * message was never received whole, and on a stream the connection ends after the answer.
   */
  #onRefused(refused: RefusedMessage): void {
    try {
      if (this.#closed) return;
      if (this.#flood && !this.#allowed(this.#flood, refused)) return;
      const parsed = parseMessage(refused.data);
      const request = parsed.ok ? (parsed.message instanceof SipRequest ? parsed.message : undefined) : parsed.error.request;
      this.#logger.info(
        { status: refused.status, reason: refused.reason, source: `${refused.source.address}:${refused.source.port}`, transport: refused.source.transport, answered: request !== undefined },
        'message refused',
      );
      if (!request || request.method === 'ACK') return;
      const response = createResponse(request, refused.status, refused.reason, { toTag: randomToken(10) });
      this.#send(response, refused.source, refused.connectionId).catch((err: unknown) =>
        this.#logger.debug({ err }, `could not send ${refused.status}`),
      );
    } catch (err) {
      this.#logger.warn({ err, source: `${refused.source.address}:${refused.source.port}` }, 'refused message dropped');
    }
  }

  /** Takes the packet's token from its source's bucket; a flood is logged once per source every 10 s. */
  #allowed(flood: RateLimiter, packet: InboundPacket): boolean {
    const source = sourceKey(packet.source.address);
    if (flood.take(source)) return true;
    const now = this.#clock.now();
    if (now - (this.#floodLogged.get(source) ?? -Infinity) >= 10_000) {
      this.#floodLogged.set(source, now);
      this.#logger.warn({ source, transport: packet.source.transport }, 'SIP flood: messages over the rate limit dropped (logged once per 10 s)');
    }
    return false;
  }

  #handleRequest(request: SipRequest, packet: InboundPacket): void {
    const routing = this.#transactions.receiveRequest(
      request,
      packet.connectionId !== undefined ? { source: packet.source, connectionId: packet.connectionId } : { source: packet.source },
    );
    if (routing.matched) return;
    if (request.method === 'ACK') {
      // §17.2.3: an ACK that matches no transaction is for a 2xx: it belongs to the dialog/TU.
      this.#dialogAck(request, packet);
      return;
    }
    const tx = this.#transactions.createServerTransaction(
      request,
      packet.source,
      {
        onTransportError: (err) => this.#logger.debug({ err, callId: request.callId() }, 'response not delivered'),
        // RFC 6026 §8.7: an ACK that matched the INVITE transaction in "Accepted" goes to the TU too.
        receiveAck: (ack) => this.#dialogAck(applyReceived(ack, packet.source), packet),
      },
      packet.connectionId !== undefined ? { connectionId: packet.connectionId } : {},
    );
    const ctx = this.#context(request, packet, tx);
    if (request.method === 'CANCEL') {
      this.#cancel(ctx);
      return;
    }
    const rejection = checkRequest(request, this.capabilities());
    if (rejection) {
      void ctx.reply(rejection.status, { ...(rejection.reason ? { reason: rejection.reason } : {}), headers: rejection.headers });
      return;
    }
    const handler = this.#handlers.get(request.method) ?? (request.method === 'OPTIONS' ? this.#options : undefined);
    if (!handler) {
      void ctx.reply(500, { reason: 'No Handler' });
      return;
    }
    this.#run(handler, ctx, tx);
  }

  #dialogAck(ack: SipRequest, packet: InboundPacket): void {
    const handler = this.#handlers.get('ACK');
    if (handler) this.#run(handler, this.#context(ack, packet, undefined), undefined);
  }

  /** §11.2: OPTIONS to the server: 200 with what it allows, accepts and supports. */
  readonly #options: RequestHandler = (ctx) => {
    const caps = this.capabilities();
    return ctx.reply(200, {
      headers: [
        ['Allow', caps.allowed.join(', ')],
        ['Accept', 'application/sdp'],
        ['Accept-Encoding', 'identity'],
        ['Accept-Language', 'en'],
        ['Supported', caps.supported.join(', ')],
      ],
    });
  };

  /** §9.2: CANCEL of a pending INVITE gets 200 and the INVITE 487; without one, 481. */
  #cancel(ctx: IncomingRequest): void {
    const invite = this.#transactions.findInviteServerTransaction(ctx.request);
    if (!invite || invite.finalResponse) {
      void ctx.reply(481);
      return;
    }
    void ctx.reply(200);
    invite.respond(withServerHeader(createResponse(invite.request, 487, undefined, { toTag: randomToken(10) })));
    const listener = this.#cancelListeners.get(invite);
    if (listener) {
      this.#cancelListeners.delete(invite);
      try {
        listener();
      } catch (err) {
        this.#logger.error({ err, callId: invite.request.callId() }, 'cancel listener failed');
      }
    }
  }

  #run(handler: RequestHandler, ctx: IncomingRequest, tx: ServerTransaction | undefined): void {
    const failed = (err: unknown): void => {
      const answerable = tx !== undefined && !tx.finalResponse && ctx.request.method !== 'ACK';
      if (err instanceof SipError) {
        // A deliberate refusal: the handler chose the status.
        this.#logger.debug({ callId: ctx.request.callId(), method: ctx.request.method, status: err.status }, 'request refused');
        if (answerable) void ctx.reply(err.status, { ...(err.reason !== undefined ? { reason: err.reason } : {}), headers: err.headers }).catch(() => undefined);
        return;
      }
      this.#logger.error({ err, callId: ctx.request.callId(), method: ctx.request.method }, 'request handler failed');
      if (answerable) void ctx.reply(500).catch(() => undefined);
    };
    try {
      const result = handler(ctx);
      if (result instanceof Promise) result.catch(failed);
    } catch (err) {
      failed(err);
    }
  }

  #context(request: SipRequest, packet: InboundPacket, tx: ServerTransaction | undefined): IncomingRequest {
    const toTag = randomToken(10);
    const send = async (response: SipResponse): Promise<void> => {
      if (!tx) throw new InvalidStateError('an ACK cannot be answered');
      tx.respond(withServerHeader(response));
    };
    return {
      request,
      source: packet.source,
      local: packet.local,
      connectionId: packet.connectionId,
      send,
      onCancel: (listener: () => void) => {
        if (tx && request.method === 'INVITE') this.#cancelListeners.set(tx, listener);
      },
      reply: (status: number, options: ReplyOptions = {}) =>
        send(
          createResponse(request, status, options.reason, {
            ...(status > 100 ? { toTag } : {}),
            headers: (options.headers ?? []).map(([n, v]): [string, string] => [n, v]),
            ...(options.body ? { body: options.body } : {}),
            ...(options.contentType ? { contentType: options.contentType } : {}),
          }),
        ),
    };
  }

  /** Stops handling packets and terminates every transaction. The transport is closed by its owner. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#offPacket();
    this.#offRefused();
    this.#transactions.close();
  }
}
