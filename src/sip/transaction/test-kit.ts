/**
 * Test doubles for the transaction layer's seams: a transport that records what it is asked to send
 * (and can fail), recording transaction users, and builders for the requests the tests need.
 * Used by the *.test.ts files of this folder; not exported by index.ts.
 */
import { FakeClock, silentLogger } from '../../lib/index.js';
import { SipRequest, createResponse, type SipResponse } from '../message/index.js';
import { timerSettings, type TimerSettings } from './timer-table.js';
import type { TransactionContext } from './transaction.js';
import type { ClientTransactionUser, ServerTransactionUser, TransactionAddress, TransactionTransport } from './types.js';

/** One message handed to the fake transport. */
export interface SentMessage {
  readonly message: SipRequest | SipResponse;
  readonly dest: TransactionAddress;
  readonly connectionId: string | undefined;
  /** Clock time of the send. */
  readonly at: number;
}

/** A UDP peer. */
export const UDP_PEER: TransactionAddress = Object.freeze({ transport: 'udp', address: '127.0.0.1', port: 5070 });
/** A TCP peer. */
export const TCP_PEER: TransactionAddress = Object.freeze({ transport: 'tcp', address: '127.0.0.1', port: 5070 });

/** The peer for a transport name used in test loops. */
export function peer(transport: 'udp' | 'tcp'): TransactionAddress {
  return transport === 'udp' ? UDP_PEER : TCP_PEER;
}

/** A {@link TransactionTransport} that records sends; it can be told to fail the next sends or all of them. */
export class FakeTransactionTransport implements TransactionTransport {
  readonly sent: SentMessage[] = [];
  readonly #clock: FakeClock;
  readonly #pending: Promise<void>[] = [];
  #failNext = 0;
  #failAll = false;
  #throwSync = false;

  constructor(clock: FakeClock) {
    this.#clock = clock;
  }

  send(message: SipRequest | SipResponse, dest: TransactionAddress, connectionId?: string): Promise<void> {
    this.sent.push({ message, dest, connectionId, at: this.#clock.now() });
    const fail = this.#failAll || this.#failNext > 0;
    if (this.#failNext > 0) this.#failNext--;
    if (fail && this.#throwSync) throw new Error('send failed synchronously');
    const result = fail ? Promise.reject(new Error('send failed')) : Promise.resolve();
    this.#pending.push(result.catch(() => undefined));
    return result;
  }

  isReliable(transport: string): boolean {
    return transport !== 'udp';
  }

  /** Makes the next `count` sends fail (rejecting, or throwing when `synchronously`). */
  failNext(count = 1, synchronously = false): void {
    this.#failNext = count;
    this.#throwSync = synchronously;
  }

  /** Makes every send fail from now on. */
  failAlways(): void {
    this.#failAll = true;
  }

  /** Waits until every send so far has settled and the transactions have seen the outcome. */
  async settle(): Promise<void> {
    await Promise.all(this.#pending);
    await new Promise<void>((resolve) => setImmediate(resolve));
  }

  /** Forgets what was sent so far. */
  clear(): void {
    this.sent.length = 0;
  }

  /** What was sent, as `METHOD` for requests and the status code for responses. */
  summary(): Array<string | number> {
    return this.sent.map(({ message }) => (message instanceof SipRequest ? message.method : message.status));
  }

  /** Clock times (relative to `start`) of the sends whose summary equals `what`. */
  timesOf(what: string | number, start: number): number[] {
    return this.sent
      .filter(({ message }) => (message instanceof SipRequest ? message.method : message.status) === what)
      .map(({ at }) => at - start);
  }
}

/** Everything a transaction test needs: fake clock, fake transport, and a context over them. */
export function harness(timers: Partial<TimerSettings> = {}): {
  clock: FakeClock;
  transport: FakeTransactionTransport;
  context: TransactionContext;
  start: number;
} {
  const clock = new FakeClock();
  const transport = new FakeTransactionTransport(clock);
  const context: TransactionContext = { transport, clock, logger: silentLogger(), settings: timerSettings(timers) };
  return { clock, transport, context, start: clock.now() };
}

/** A {@link ClientTransactionUser} that records every callback. */
export class RecordingClientUser implements ClientTransactionUser {
  readonly responses: SipResponse[] = [];
  readonly transportErrors: Error[] = [];
  timeouts = 0;
  terminated = 0;

  receiveResponse(response: SipResponse): void {
    this.responses.push(response);
  }

  onTimeout(): void {
    this.timeouts++;
  }

  onTransportError(error: Error): void {
    this.transportErrors.push(error);
  }

  onTerminated(): void {
    this.terminated++;
  }

  /** Status codes received, in order. */
  statuses(): number[] {
    return this.responses.map((r) => r.status);
  }
}

/** A {@link ServerTransactionUser} that records every callback. */
export class RecordingServerUser implements ServerTransactionUser {
  readonly transportErrors: Error[] = [];
  readonly acks: SipRequest[] = [];
  timeouts = 0;
  terminated = 0;

  onTransportError(error: Error): void {
    this.transportErrors.push(error);
  }

  onTimeout(): void {
    this.timeouts++;
  }

  receiveAck(ack: SipRequest): void {
    this.acks.push(ack);
  }

  onTerminated(): void {
    this.terminated++;
  }
}

/** Fields of a test request; every one has a default. */
export interface RequestSpec {
  readonly method?: string;
  readonly uri?: string;
  /** Branch of the top Via; `null` for none. */
  readonly branch?: string | null;
  /** Via transport token. */
  readonly via?: 'UDP' | 'TCP';
  readonly sentBy?: string;
  readonly callId?: string;
  readonly cseq?: number;
  /** CSeq method, when it differs from the method (never in valid requests). */
  readonly cseqMethod?: string;
  readonly fromTag?: string;
  readonly toTag?: string;
  /** Extra header lines. */
  readonly headers?: ReadonlyArray<readonly [string, string]>;
}

/** Builds a request as a UAC would send it (Via, Max-Forwards, From, To, Call-ID, CSeq). */
export function makeRequest(spec: RequestSpec = {}): SipRequest {
  const method = spec.method ?? 'INVITE';
  const branch = spec.branch === undefined ? 'z9hG4bK74bf9' : spec.branch;
  const via = `SIP/2.0/${spec.via ?? 'UDP'} ${spec.sentBy ?? 'pc33.example.com:5060'}${branch === null ? '' : `;branch=${branch}`}`;
  const to = `Bob <sip:bob@example.com>${spec.toTag ? `;tag=${spec.toTag}` : ''}`;
  return SipRequest.create({
    method,
    uri: spec.uri ?? 'sip:bob@example.com',
    headers: [
      ['Via', via],
      ['Max-Forwards', '70'],
      ['From', `Alice <sip:alice@example.com>;tag=${spec.fromTag ?? '9fxced76sl'}`],
      ['To', to],
      ['Call-ID', spec.callId ?? '3848276298220188511@pc33.example.com'],
      ['CSeq', `${spec.cseq ?? 1} ${spec.cseqMethod ?? method}`],
      ...(spec.headers ?? []),
    ],
  });
}

/** The response a UAS would send to `request` (§8.2.6): a To tag on everything but 100. */
export function makeResponse(request: SipRequest, status: number, toTag = 'as83kd9bs'): SipResponse {
  return status === 100 ? createResponse(request, status) : createResponse(request, status, undefined, { toTag });
}
