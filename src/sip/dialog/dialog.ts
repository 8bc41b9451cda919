import { InvalidStateError } from '../../lib/index.js';
import { NameAddr, SipRequest, SipUri, type SipResponse } from '../message/index.js';

/** What both ends of a dialog need to know to build in-dialog requests (RFC 3261 §12). */
export interface DialogState {
  readonly callId: string;
  readonly localTag: string;
  readonly remoteTag: string;
  /** Local and remote URIs with display names, without tags (From/To of in-dialog requests). */
  readonly localAddress: NameAddr;
  readonly remoteAddress: NameAddr;
  /** Remote target: the peer's Contact URI (§12.1.1). */
  readonly remoteTarget: SipUri;
  /** Route set, in the order Route headers are written (§12.1.1 / §12.1.2). */
  readonly routeSet: readonly string[];
  readonly localSeq: number;
  /** Highest CSeq seen from the peer; undefined until the peer sent a request in the dialog. */
  readonly remoteSeq: number | undefined;
}

/** Options of {@link Dialog.createRequest}. */
export interface InDialogRequestOptions {
  readonly body?: Uint8Array | string;
  readonly contentType?: string;
  /** Extra header lines (Contact, Allow, Reason …). */
  readonly headers?: readonly (readonly [string, string])[];
}

function untagged(address: NameAddr): NameAddr {
  return address.withParam('tag', undefined);
}

/**
 * One dialog (RFC 3261 §12): its identifiers, the route set and remote target, and the CSeq
 * counters. Builds in-dialog requests (§12.2.1.1) and checks the order of the peer's ones (§12.2.2).
 */
export class Dialog {
  #state: DialogState;
  #terminated = false;

  constructor(state: DialogState) {
    this.#state = state;
  }

  /**
   * §12.1.1: the UAS side of a dialog made by `request` (INVITE) answered with a response carrying
   * `localTag`. Route set = Record-Route in order, remote target = the request's Contact, remote
   * sequence = the request's CSeq.
   */
  static asUas(request: SipRequest, localTag: string, localSeq = 0): Dialog | undefined {
    const from = request.from();
    const to = request.to();
    const callId = request.callId();
    const cseq = request.cseq();
    const contacts = request.contacts();
    const contact = contacts === '*' ? undefined : contacts[0];
    if (!from?.tag || !to || callId === undefined || !cseq || !contact) return undefined;
    return new Dialog({
      callId,
      localTag,
      remoteTag: from.tag,
      localAddress: untagged(to),
      remoteAddress: untagged(from),
      remoteTarget: contact.uri,
      routeSet: request.recordRoutes().map((r) => r.toString()),
      localSeq,
      remoteSeq: cseq.seq,
    });
  }

  /**
   * §12.1.2: the UAC side of a dialog made by our `request` and the peer's `response` (18x with a
   * To tag, or 2xx). Route set = Record-Route reversed, remote target = the response's Contact.
   */
  static asUac(request: SipRequest, response: SipResponse): Dialog | undefined {
    const from = request.from();
    const to = response.to();
    const callId = request.callId();
    const cseq = request.cseq();
    const contacts = response.contacts();
    const contact = contacts === '*' ? undefined : contacts[0];
    if (!from?.tag || !to?.tag || callId === undefined || !cseq || !contact) return undefined;
    return new Dialog({
      callId,
      localTag: from.tag,
      remoteTag: to.tag,
      localAddress: untagged(from),
      remoteAddress: untagged(to),
      remoteTarget: contact.uri,
      routeSet: response
        .recordRoutes()
        .map((r) => r.toString())
        .reverse(),
      localSeq: cseq.seq,
      remoteSeq: undefined,
    });
  }

  /** `Call-ID`, local tag and remote tag: the dialog id (§12). */
  get id(): string {
    return `${this.#state.callId};${this.#state.localTag};${this.#state.remoteTag}`;
  }

  get state(): DialogState {
    return this.#state;
  }

  get terminated(): boolean {
    return this.#terminated;
  }

  /** Marks the dialog ended; building requests afterwards throws InvalidStateError. */
  terminate(): void {
    this.#terminated = true;
  }

  /**
   * §12.2.2: a request from the peer with a CSeq lower than the remote sequence number is out of
   * order and MUST be rejected with 500. Returns false for such a request, else records its CSeq.
   * ACK and CANCEL carry the CSeq of the request they belong to and are not checked.
   */
  acceptRemoteSeq(request: SipRequest): boolean {
    const cseq = request.cseq();
    if (!cseq) return false;
    if (request.method === 'ACK' || request.method === 'CANCEL') return true;
    const remote = this.#state.remoteSeq;
    if (remote !== undefined && cseq.seq <= remote) return false;
    this.#state = { ...this.#state, remoteSeq: cseq.seq };
    return true;
  }

  /** §12.2.1.2 / §12.2.2: a target refresh (re-INVITE, UPDATE or its 2xx) replaces the remote target. */
  refreshTarget(message: SipRequest | SipResponse): void {
    const contacts = message.contacts();
    const contact = contacts === '*' ? undefined : contacts[0];
    if (contact) this.#state = { ...this.#state, remoteTarget: contact.uri };
  }

  /**
   * §12.2.1.1: a new in-dialog request. To = remote URI + remote tag, From = local URI + local tag,
   * Call-ID of the dialog, CSeq = local sequence + 1, Request-URI = remote target, Route = route set
   * (loose routing, §16.12). No Via: the transaction layer adds one.
   */
  createRequest(method: string, options: InDialogRequestOptions = {}): SipRequest {
    if (this.#terminated) throw new InvalidStateError(`dialog ${this.id} is terminated`);
    const seq = this.#state.localSeq + 1;
    this.#state = { ...this.#state, localSeq: seq };
    return this.#build(method, seq, options);
  }

  /**
   * §13.2.2.4: the ACK for a 2xx to the INVITE with CSeq `inviteSeq`: same CSeq number, method ACK,
   * built like any in-dialog request; carries the answer when the 2xx held an offer.
   */
  createAck(inviteSeq: number, options: InDialogRequestOptions = {}): SipRequest {
    return this.#build('ACK', inviteSeq, options);
  }

  #build(method: string, seq: number, options: InDialogRequestOptions): SipRequest {
    const s = this.#state;
    const lines: [string, string][] = [];
    for (const route of s.routeSet) lines.push(['Route', route]);
    lines.push(
      ['Max-Forwards', '70'],
      ['From', s.localAddress.withParam('tag', s.localTag).toString()],
      ['To', s.remoteAddress.withParam('tag', s.remoteTag).toString()],
      ['Call-ID', s.callId],
      ['CSeq', `${seq} ${method}`],
    );
    for (const [name, value] of options.headers ?? []) lines.push([name, value]);
    const request = SipRequest.create({ method, uri: s.remoteTarget, headers: lines });
    return options.body !== undefined ? request.withBody(options.body, options.contentType) : request.withBody(new Uint8Array());
  }
}

/** Parses a header value as a name-addr (for callers that hold text). */
export function parseAddress(value: string): NameAddr | undefined {
  return NameAddr.parse(value);
}
