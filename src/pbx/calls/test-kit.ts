/**
 * A bench for the call unit tests: the PBX's SIP stack and three phones (each its own SIP stack) on loopback UDP, all
 * on one FakeClock, and the environment a {@link Call} needs (settings, bindings, the feature chain, CDRs) kept in
 * memory. The phones answer as each test tells them; nothing sleeps, tests await what arrives. Used by `*.test.ts`
 * files of this folder; not exported by index.ts.
 */
import { FakeClock, randomToken, silentLogger } from '../../lib/index.js';
import { MediaEngine } from '../../media/index.js';
import {
  createResponse,
  Dialog,
  SipRequest,
  SipStack,
  TransportLayer,
  type IncomingRequest,
  type SipResponse,
  type TransportAddress,
} from '../../sip/index.js';
import { AppRunner, type CallApp } from '../apps/index.js';
import { DEFAULT_CALL_FEATURES } from '../features/index.js';
import type { BindingRecord, CallDetailRecord, ExtensionCallSettings } from '../ports.js';
import { Call } from './call.js';
import type { CallEnvironment } from './call-types.js';
import type { SideName } from './call-side.js';

/** Call settings of extension `number` with the SPEC defaults, changed by `change` (test/support/call-context.ts). */
export type SettingsOf = (number: string, change?: Partial<Omit<ExtensionCallSettings, 'forwarding'>> & { forwarding?: Partial<ExtensionCallSettings['forwarding']> }) => ExtensionCallSettings;

/** An SDP offer or answer of a phone with RTP at `port`. */
export function phoneSdp(port: number): string {
  return (
    'v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n' +
    `m=audio ${port} RTP/AVP 0 101\r\na=rtpmap:0 PCMU/8000\r\na=rtpmap:101 telephone-event/8000\r\na=sendrecv\r\n`
  );
}

/** Sends BYE in `dialog` to the PBX at `pbx`; resolves with the final response. */
function byeIn(stack: SipStack, dialog: Dialog, pbx: TransportAddress): Promise<SipResponse> {
  return stack.request(dialog.createRequest('BYE').withHeaders((h) => h.prepend('Via', stack.newVia(pbx))), pbx);
}

/** Resolves with queued items, or waits for the next one. */
class Inbox<T> {
  readonly #items: T[] = [];
  readonly #waiting: ((item: T) => void)[] = [];

  push(item: T): void {
    const waiter = this.#waiting.shift();
    if (waiter) waiter(item);
    else this.#items.push(item);
  }

  next(): Promise<T> {
    const item = this.#items.shift();
    return item !== undefined ? Promise.resolve(item) : new Promise((resolve) => this.#waiting.push(resolve));
  }
}

/** One phone: a SIP stack on loopback UDP that queues the requests it gets (INVITE, CANCEL, BYE …). */
export class Phone {
  readonly number: string;
  readonly layer: TransportLayer;
  readonly stack: SipStack;
  readonly #requests = new Inbox<IncomingRequest>();
  readonly #cancels = new Inbox<IncomingRequest>();
  readonly #tag = randomToken(8);
  #dialog: { dialog: Dialog; pbx: TransportAddress } | undefined;

  constructor(number: string, clock: FakeClock) {
    this.number = number;
    this.layer = new TransportLayer({ clock, logger: silentLogger() });
    this.stack = new SipStack({ transport: this.layer, clock, logger: silentLogger() });
    for (const method of ['INVITE', 'ACK', 'BYE']) this.stack.onRequest(method, (ctx) => this.#arrived(ctx));
  }

  async listen(): Promise<void> {
    await this.layer.listen({ udp: [{ host: '127.0.0.1', port: 0 }] });
  }

  get address(): TransportAddress {
    return this.layer.localAddress('udp', 4);
  }

  #arrived(ctx: IncomingRequest): void {
    if (ctx.request.method === 'INVITE') ctx.onCancel(() => this.#cancels.push(ctx));
    if (ctx.request.method === 'BYE') void ctx.reply(200);
    this.#requests.push(ctx);
  }

  /** The next request that arrives, which must be a `method`. */
  async next(method: string): Promise<IncomingRequest> {
    const ctx = await this.#requests.next();
    if (ctx.request.method !== method) throw new Error(`${this.number} expected ${method}, got ${ctx.request.method}`);
    return ctx;
  }

  /** Resolves when the PBX cancels the INVITE (the stack has answered 200 and 487). */
  nextCancel(): Promise<IncomingRequest> {
    return this.#cancels.next();
  }

  /** Answers an INVITE this phone got with `status` (200 carries an SDP answer with RTP at `rtpPort`, and our Contact). */
  async respond(ctx: IncomingRequest, status: number, rtpPort = 42000): Promise<void> {
    const answer = status >= 200 && status < 300 ? { body: phoneSdp(rtpPort), contentType: 'application/sdp' } : {};
    const dialog = status >= 200 && status < 300 ? Dialog.asUas(ctx.request, this.#tag) : undefined;
    if (dialog) this.#dialog = { dialog, pbx: ctx.source };
    await ctx.send(
      createResponse(ctx.request, status, undefined, {
        toTag: this.#tag,
        headers: [['Contact', `<sip:${this.number}@127.0.0.1:${this.address.port}>`]],
        ...answer,
      }),
    );
  }

  /** Hangs up the call this phone answered last; resolves with the PBX's answer to the BYE. */
  bye(): Promise<SipResponse> {
    if (!this.#dialog) throw new Error(`${this.number} answered no call`);
    return byeIn(this.stack, this.#dialog.dialog, this.#dialog.pbx);
  }

  /** The binding the registrar would hold for this phone as a device of `settings`' extension. */
  binding(settings: ExtensionCallSettings): BindingRecord {
    const { port } = this.address;
    return {
      id: `binding-${this.number}`,
      tenantId: settings.tenantId,
      extensionId: settings.extensionId,
      aor: `sip:${settings.number}@${settings.sipDomain}`,
      contactUri: `sip:${this.number}@127.0.0.1:${port}`,
      expiresAt: Number.MAX_SAFE_INTEGER,
      q: 1,
      callId: `register-${this.number}`,
      cseq: 1,
      instanceId: undefined,
      regId: undefined,
      path: [],
      userAgent: undefined,
      sourceTransport: 'udp',
      sourceAddress: '127.0.0.1',
      sourcePort: port,
      connectionId: undefined,
      createdAt: 0,
      updatedAt: 0,
    };
  }

  async close(): Promise<void> {
    this.stack.close();
    await this.layer.close();
  }
}

/** The caller's side of one call: its INVITE, the responses it got, its dialog once answered. */
export class Dialling {
  readonly invite: SipRequest;
  readonly provisional: number[] = [];
  readonly final: Promise<SipResponse>;
  /** Resolves with the first 180 or 183. */
  readonly ringing: Promise<SipResponse>;
  readonly #phone: Phone;
  readonly #pbx: TransportAddress;
  #dialog: Dialog | undefined;

  constructor(phone: Phone, pbx: TransportAddress, dialled: string, rtpPort: number) {
    this.#phone = phone;
    this.#pbx = pbx;
    this.invite = SipRequest.create({
      method: 'INVITE',
      uri: `sip:${dialled}@acme.pbx.example`,
      headers: [
        ['Via', phone.stack.newVia(pbx)],
        ['Max-Forwards', '70'],
        ['From', `<sip:${phone.number}@acme.pbx.example>;tag=${randomToken(8)}`],
        ['To', `<sip:${dialled}@acme.pbx.example>`],
        ['Call-ID', `${randomToken(12)}@test`],
        ['CSeq', '1 INVITE'],
        ['Contact', `<sip:${phone.number}@127.0.0.1:${phone.address.port}>`],
      ],
    }).withBody(phoneSdp(rtpPort), 'application/sdp');
    let rang: (response: SipResponse) => void = () => undefined;
    this.ringing = new Promise((resolve) => (rang = resolve));
    this.final = phone.stack.request(this.invite, pbx, {
      onProvisional: (r) => {
        this.provisional.push(r.status);
        if (r.status === 180 || r.status === 183) rang(r);
      },
    });
  }

  /** Acknowledges the 2xx (§13.2.2.4) and keeps the dialog. */
  async ack(): Promise<SipResponse> {
    const ok = await this.final;
    const dialog = Dialog.asUac(this.invite, ok);
    if (!dialog) throw new Error('2xx without a dialog');
    this.#dialog = dialog;
    await this.#phone.stack.sendStateless(dialog.createAck(1), this.#pbx);
    return ok;
  }

  /** Hangs up the answered call; resolves with the PBX's answer to the BYE. */
  bye(): Promise<SipResponse> {
    if (!this.#dialog) throw new Error('not answered');
    return byeIn(this.#phone.stack, this.#dialog, this.#pbx);
  }

  /** Sends an in-dialog `method` (UPDATE, INFO …) with `body` as `contentType`; resolves with the final response. */
  request(method: string, body: string, contentType: string): Promise<SipResponse> {
    if (!this.#dialog) throw new Error('not answered');
    const request = this.#dialog.createRequest(method, { body, contentType });
    return this.#phone.stack.request(request.withHeaders((h) => h.prepend('Via', this.#phone.stack.newVia(this.#pbx))), this.#pbx);
  }

  /** Cancels the INVITE (§9.1: same Request-URI, Call-ID, From, To, top Via and CSeq number). */
  cancel(): Promise<SipResponse> {
    const copy = (name: string): [string, string][] => this.invite.headers.getAll(name).map((v): [string, string] => [name, v]);
    const cancel = SipRequest.create({
      method: 'CANCEL',
      uri: this.invite.uri,
      headers: [...copy('Via'), ['Max-Forwards', '70'], ...copy('From'), ...copy('To'), ...copy('Call-ID'), ['CSeq', '1 CANCEL']],
    });
    return this.#phone.stack.request(cancel, this.#pbx);
  }
}

/**
 * The PBX side: its stack starts a {@link Call} for each new INVITE (from extension 100, to the number dialled) and
 * routes in-dialog requests to the call, as the call engine does; extensions 100–102 have one phone each. A number
 * starting with `*` runs {@link CallBench.app} in an {@link AppRunner}, whose transfers ring extensions as dialled.
 */
export class CallBench {
  readonly clock = new FakeClock();
  readonly layer = new TransportLayer({ clock: this.clock, logger: silentLogger() });
  readonly stack = new SipStack({ transport: this.layer, clock: this.clock, logger: silentLogger() });
  readonly media = new MediaEngine({ clock: this.clock, portRange: { min: 36000, max: 36999 } });
  readonly phones = { alice: new Phone('alice', this.clock), bob: new Phone('bob', this.clock), carol: new Phone('carol', this.clock) };
  readonly settings: Map<string, ExtensionCallSettings>;
  readonly #settingsOf: SettingsOf;
  readonly records: CallDetailRecord[] = [];
  readonly calls: Call[] = [];
  readonly #ended = new Inbox<CallDetailRecord>();
  readonly #dialogs = new Map<string, { call: Call; side: SideName }>();
  /** The application a `*` number runs. */
  app: CallApp = async () => undefined;
  readonly apps = new AppRunner({
    stack: this.stack,
    media: this.media,
    clock: this.clock,
    logger: silentLogger(),
    writeCdr: (record) => {
      this.records.push(record);
      this.#ended.push(record);
    },
    findExtension: async (_tenantId, number) => this.settings.get(number),
    ringExtension: (h) => this.#ring(h.ctx, h.caller, h.dialled, h.target, h.startedAt),
  });

  constructor(settingsOf: SettingsOf) {
    this.#settingsOf = settingsOf;
    this.settings = new Map(['100', '101', '102'].map((n) => [n, settingsOf(n)]));
  }

  async start(): Promise<void> {
    await this.layer.listen({ udp: [{ host: '127.0.0.1', port: 0 }] });
    for (const phone of Object.values(this.phones)) await phone.listen();
    this.stack.onRequest('INVITE', (ctx) => this.#invite(ctx));
    for (const method of ['ACK', 'BYE', 'UPDATE', 'INFO']) this.stack.onRequest(method, (ctx) => this.#inDialog(ctx));
  }

  get address(): TransportAddress {
    return this.layer.localAddress('udp', 4);
  }

  /** Alice (extension 100) dials `number`, offering RTP at `rtpPort`. */
  dial(number: string, rtpPort = 40000): Dialling {
    return new Dialling(this.phones.alice, this.address, number, rtpPort);
  }

  /** Resolves with the CDR of the next call that ends. */
  nextRecord(): Promise<CallDetailRecord> {
    return this.#ended.next();
  }

  /** Changes extension `number`'s settings. */
  set(number: string, change: Parameters<SettingsOf>[1]): void {
    this.settings.set(number, this.#settingsOf(number, change));
  }

  #devices(extensionId: string): BindingRecord[] {
    const owners: [string, Phone][] = [
      ['100', this.phones.alice],
      ['101', this.phones.bob],
      ['102', this.phones.carol],
    ];
    return owners.filter(([n]) => this.settings.get(n)?.extensionId === extensionId).map(([n, phone]) => phone.binding(this.settings.get(n) as ExtensionCallSettings));
  }

  readonly #env: CallEnvironment = {
    stack: this.stack,
    clock: this.clock,
    logger: silentLogger(),
    features: DEFAULT_CALL_FEATURES,
    findSettings: async (_tenantId, number) => this.settings.get(number),
    bindings: (_tenantId, extensionId) => this.#devices(extensionId),
    onAnsweredCall: () => false,
    destinations: {},
    registerDialog: (call, side, dialogId) => {
      const [callId, localTag] = dialogId.split(';');
      this.#dialogs.set(`${callId};${localTag}`, { call, side });
    },
    answeredBy: () => undefined,
    ended: (_call, record) => {
      this.records.push(record);
      this.#ended.push(record);
    },
  };

  async #invite(ctx: IncomingRequest): Promise<void> {
    if (ctx.request.to()?.tag !== undefined) return this.#inDialog(ctx);
    await ctx.reply(100);
    const dialled = ctx.request.uri.user ?? '';
    const target = this.settings.get(dialled);
    const caller = this.settings.get('100');
    if (!caller) throw new Error('no extension 100');
    if (dialled.startsWith('*')) {
      this.apps.run(ctx, caller, dialled, 'bench', this.app);
      return;
    }
    if (!target) throw new Error(`no extension ${dialled}`);
    await this.#ring(ctx, caller, dialled, target);
  }

  async #ring(ctx: IncomingRequest, caller: ExtensionCallSettings, dialled: string, target: ExtensionCallSettings, startedAt?: number): Promise<void> {
    const relay = await this.media.createRelay(ctx.request.callId() ?? '');
    const offer = relay.offer('a', ctx.request.body);
    if (!offer.ok) throw new Error(offer.detail);
    const call = new Call(this.#env, { ctx, relay, offerForB: offer.sdp, caller, dialled, ...(startedAt !== undefined ? { startedAt } : {}) });
    call.setCallee(target.extensionId);
    this.calls.push(call);
    await call.start(target);
  }

  async #inDialog(ctx: IncomingRequest): Promise<void> {
    const entry = this.#dialogs.get(`${ctx.request.callId() ?? ''};${ctx.request.to()?.tag ?? ''}`);
    if (entry) await entry.call.inDialog(entry.side, ctx);
    else if (!(await this.apps.inDialog(ctx)) && ctx.request.method !== 'ACK') await ctx.reply(481);
  }

  async close(): Promise<void> {
    for (const call of this.calls) await call.hangUp('system', 'test over');
    await this.apps.close(503, []);
    this.media.close();
    this.stack.close();
    await this.layer.close();
    for (const phone of Object.values(this.phones)) await phone.close();
  }
}
