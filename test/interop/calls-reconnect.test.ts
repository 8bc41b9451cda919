/**
 * Dialogs survive a transport reconnect of the device (docs/calls.md, "NAT and reconnects"), against a RUNNING
 * Centrala. Extension 101 is a hand-written SIP device over TCP (raw sockets, Content-Length framing, MD5 digest):
 * it registers over connection #1, answers a call from extension 100 (a hand-written UDP caller that authenticates
 * its INVITE through 407), then closes connection #1, opens connection #2 and re-registers. The call must go on:
 * the caller's BYE reaches 101 over connection #2, and 101's BYE (sent over connection #2) reaches the caller.
 * The Contact 101 registers points at a listening "trap" socket, so a PBX that tried to reach the device at its
 * Contact address instead of over its flow would be seen. Every case ends with 101 unregistering, and checks the
 * call history record.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { rmSync } from 'node:fs';
import net from 'node:net';
import {
  operatorToken,
  seedTenant,
  startCentrala,
  tempDataDir,
  type CentralaProcess,
  type SeededTenant, type DeviceJson,
} from '../support/centrala-process.js';
import { digestAuthorization, registerText, token } from '../support/sip-udp-client.js';
import {
  TcpSipConnection,
  UdpSipPeer,
  headerOf,
  headersOf,
  methodOf,
  requestText,
  responseText,
  statusOfText,
  tagOf,
  uriOf,
  type SipInbox,
  type SipText,
} from '../support/sip-tcp-device.js';

const DOMAIN = 'reconnect.test';
const PASSWORD = 'Reconnect4Interop9x';
const CALLER = '100';
const CALLEE = '101';
const USER_AGENT = 'centrala-interop-peer';

let server: CentralaProcess;
let tenant: SeededTenant;
let apiToken: string;
let dataDir: string | undefined;
/** Connections Centrala opened to the Contact address 101 registered (should stay empty). */
const trapHits: string[] = [];
let trap: net.Server;
let trapPort = 0;
/** Every inbox of the running case, for failure transcripts. */
let inboxes: SipInbox[] = [];

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** A PCMU offer/answer (with telephone-event) for 127.0.0.1:`port`. */
function sdp(port: number): string {
  return [
    'v=0',
    `o=- ${Date.now()} 1 IN IP4 127.0.0.1`,
    's=-',
    'c=IN IP4 127.0.0.1',
    't=0 0',
    `m=audio ${port} RTP/AVP 0 101`,
    'a=rtpmap:0 PCMU/8000',
    'a=rtpmap:101 telephone-event/8000',
    'a=fmtp:101 0-15',
    'a=sendrecv',
    '',
  ].join('\r\n');
}

/** The MD5 challenge among the digest challenges of a 401/407 (the first one when none says MD5). */
function md5Challenge(values: readonly string[]): string {
  return values.find((v) => /algorithm=("?)MD5\1(,|\s|$)/i.test(v)) ?? values[0] ?? '';
}

/** Transcripts of every peer plus the tail of Centrala's (debug) log, for assertion messages. */
function explain(): string {
  const peers = inboxes.map((i) => i.transcript()).filter((t) => t.length > 0).join('\n');
  return `\n--- received by the test peers\n${peers}\n--- trap connections: ${JSON.stringify(trapHits)}\n--- centrala log (tail)\n${server.output.slice(-8000)}`;
}

/** Runs a case body; a failure carries the transcripts and the Centrala log. */
async function withEvidence(body: () => Promise<void>): Promise<void> {
  try {
    await body();
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    throw new Error(`${message}${explain()}`, { cause: err });
  }
}

// ---- extension 101: a SIP device over TCP ---------------------------------------------------------------

/**
 * How the device names itself in REGISTER: a fixed Contact (`upperTransport`: REGISTER writes `transport=TCP`
 * while the 2xx says `transport=tcp`, the same URI by RFC 3261 §19.1.4), or a per-connection Contact with
 * +sip.instance.
 */
type Identity =
  | { readonly kind: 'contact'; readonly upperTransport?: boolean }
  | { readonly kind: 'instance'; readonly instance: string };

/** Extension 101 as a TCP phone: one registration (Call-ID), over whichever connection is current. */
class TcpDevice {
  conn: TcpSipConnection | undefined;
  readonly #callId = `reg-${token()}@127.0.0.1`;
  #cseq = 0;
  #connections = 0;

  constructor(readonly identity: Identity) {}

  /** The Contact URI the device uses on the current connection (in REGISTER and in its 2xx). */
  get contactUri(): string {
    const port = this.identity.kind === 'contact' ? trapPort : this.#current().localPort;
    return `sip:${CALLEE}@127.0.0.1:${port};transport=tcp`;
  }

  #contactValue(): string {
    if (this.identity.kind === 'contact') {
      return `<${this.identity.upperTransport ? this.contactUri.replace(';transport=tcp', ';transport=TCP') : this.contactUri}>`;
    }
    return `<${this.contactUri}>;+sip.instance="${this.identity.instance}";reg-id=1`;
  }

  #current(): TcpSipConnection {
    assert.ok(this.conn, 'the device has no connection');
    return this.conn;
  }

  /** Opens a new connection (#1, #2 …) and makes it current. */
  async connect(): Promise<TcpSipConnection> {
    this.#connections += 1;
    this.conn = await TcpSipConnection.open(server.ports.sip, `101/tcp#${this.#connections}`);
    inboxes.push(this.conn.inbox);
    return this.conn;
  }

  /** REGISTER over the current connection with MD5 digest (401 first); returns the 200. */
  async register(expires = 600): Promise<SipText> {
    const conn = this.#current();
    const send = (authorization?: string): number => {
      this.#cseq += 1;
      conn.send(
        registerText({
          user: CALLEE,
          domain: DOMAIN,
          localPort: conn.localPort,
          callId: this.#callId,
          cseq: this.#cseq,
          expires,
          contact: this.#contactValue(),
          transport: 'TCP',
          ...(authorization !== undefined ? { authorization } : {}),
          extraHeaders: [`User-Agent: ${USER_AGENT}`],
        }),
      );
      return this.#cseq;
    };
    const challenged = await conn.inbox.nextFinal(this.#callId, send(), 'REGISTER');
    assert.equal(statusOfText(challenged), 401, `REGISTER without credentials: ${challenged.startLine}`);
    const authorization = digestAuthorization({
      challenge: md5Challenge(headersOf(challenged, 'WWW-Authenticate')),
      username: CALLEE,
      password: PASSWORD,
      method: 'REGISTER',
      uri: `sip:${DOMAIN}`,
    });
    const ok = await conn.inbox.nextFinal(this.#callId, send(authorization), 'REGISTER');
    assert.equal(statusOfText(ok), 200, `REGISTER with credentials over ${conn.inbox.label}: ${ok.startLine}`);
    return ok;
  }

  /** Unregisters (Expires: 0) and closes the current connection. */
  async leave(): Promise<void> {
    if (!this.conn || this.conn.isClosed) return;
    await this.register(0);
    await this.conn.close();
  }
}

/** The B leg as the device sees it after answering. */
interface AnsweredLeg {
  readonly invite: SipText;
  readonly localTag: string;
}

/** Waits for the PBX's INVITE on `conn`, rings and answers 200 with SDP, and waits for the ACK there. */
async function answerOn(conn: TcpSipConnection, contactUri: string): Promise<AnsweredLeg> {
  const invite = await conn.inbox.nextRequest('INVITE', undefined, 5000);
  const localTag = token();
  const contact = [`Contact: <${contactUri}>`];
  conn.send(responseText(invite, 100, 'Trying'));
  conn.send(responseText(invite, 180, 'Ringing', { toTag: localTag, headers: contact }));
  conn.send(
    responseText(invite, 200, 'OK', {
      toTag: localTag,
      headers: [...contact, 'Allow: INVITE, ACK, CANCEL, BYE, UPDATE, INFO, OPTIONS', `User-Agent: ${USER_AGENT}`],
      body: sdp(41000),
    }),
  );
  await conn.inbox.nextRequest('ACK', headerOf(invite, 'Call-ID'), 5000);
  return { invite, localTag };
}

// ---- extension 100: the caller over UDP -----------------------------------------------------------------

/** The A leg as the caller sees it once answered. */
interface CallerDialog {
  readonly callId: string;
  readonly from: string;
  /** To with the PBX's tag. */
  readonly to: string;
  /** The PBX's Contact URI (remote target). */
  readonly target: string;
  readonly ok: SipText;
  cseq: number;
}

/** Sends INVITE 100 → 101, answers the 407 with Proxy-Authorization (MD5). Resolves once the INVITE is authenticated. */
async function startCall(caller: UdpSipPeer): Promise<{ callId: string; from: string; cseq: number }> {
  const callId = `call-${token()}@127.0.0.1`;
  const from = `<sip:${CALLER}@${DOMAIN}>;tag=${token()}`;
  const uri = `sip:${CALLEE}@${DOMAIN}`;
  const invite = (cseq: number, branch: string, auth?: string): string =>
    requestText(
      `INVITE ${uri} SIP/2.0`,
      [
        `Via: SIP/2.0/UDP 127.0.0.1:${caller.port};branch=${branch};rport`,
        'Max-Forwards: 70',
        `From: ${from}`,
        `To: <${uri}>`,
        `Call-ID: ${callId}`,
        `CSeq: ${cseq} INVITE`,
        `Contact: <sip:${CALLER}@127.0.0.1:${caller.port}>`,
        `User-Agent: ${USER_AGENT}`,
        ...(auth !== undefined ? [`Proxy-Authorization: ${auth}`] : []),
      ],
      sdp(40000),
    );
  const firstBranch = `z9hG4bK${token()}`;
  caller.send(invite(1, firstBranch), server.ports.sip);
  const challenged = await caller.inbox.nextFinal(callId, 1, 'INVITE');
  assert.equal(statusOfText(challenged), 407, `first INVITE: ${challenged.startLine}`);
  // §17.1.1.3: the ACK for a non-2xx final response belongs to the INVITE transaction (same branch).
  caller.send(
    requestText(`ACK ${uri} SIP/2.0`, [
      `Via: SIP/2.0/UDP 127.0.0.1:${caller.port};branch=${firstBranch};rport`,
      'Max-Forwards: 70',
      `From: ${from}`,
      `To: ${headerOf(challenged, 'To')}`,
      `Call-ID: ${callId}`,
      'CSeq: 1 ACK',
    ]),
    server.ports.sip,
  );
  const auth = digestAuthorization({
    challenge: md5Challenge(headersOf(challenged, 'Proxy-Authenticate')),
    username: CALLER,
    password: PASSWORD,
    method: 'INVITE',
    uri,
  });
  caller.send(invite(2, `z9hG4bK${token()}`, auth), server.ports.sip);
  return { callId, from, cseq: 2 };
}

/** Waits for the caller's 200 to the authenticated INVITE and ACKs it. */
async function callerAnswered(caller: UdpSipPeer, call: { callId: string; from: string; cseq: number }): Promise<CallerDialog> {
  const ok = await caller.inbox.nextFinal(call.callId, call.cseq, 'INVITE', 8000);
  assert.equal(statusOfText(ok), 200, `authenticated INVITE: ${ok.startLine}`);
  assert.match(ok.body, /^m=audio \d+ RTP\/AVP 0\b/m, `the caller's answer SDP: ${ok.body}`);
  const dialog: CallerDialog = {
    callId: call.callId,
    from: call.from,
    to: headerOf(ok, 'To'),
    target: uriOf(headerOf(ok, 'Contact')),
    ok,
    cseq: call.cseq,
  };
  caller.send(callerRequest(caller, dialog, 'ACK', call.cseq), server.ports.sip);
  return dialog;
}

/** An in-dialog request of the caller (ACK with the INVITE's CSeq, BYE with the next one). */
function callerRequest(caller: UdpSipPeer, d: CallerDialog, method: string, cseq: number): string {
  return requestText(`${method} ${d.target} SIP/2.0`, [
    `Via: SIP/2.0/UDP 127.0.0.1:${caller.port};branch=z9hG4bK${token()};rport`,
    'Max-Forwards: 70',
    `From: ${d.from}`,
    `To: ${d.to}`,
    `Call-ID: ${d.callId}`,
    `CSeq: ${cseq} ${method}`,
  ]);
}

// ---- the call history ------------------------------------------------------------------------------------

interface CallRecord {
  callId: string;
  callerNumber: string;
  callee: string;
  answeredBy: string | null;
  disposition: string;
  endedBy: string;
  endStatus: number;
  endReason: string;
  legs: { target: string; contact: string; answered: boolean; finalStatus: number | null }[];
}

/** The record of the caller's Call-ID (written when the call ends; polled for up to 5 s). */
async function callRecord(callId: string): Promise<CallRecord> {
  const deadline = Date.now() + 5000;
  for (;;) {
    const res = await server.api(`/api/v1/tenants/${tenant.tenantId}/calls?extension=${CALLEE}&limit=50`, apiToken);
    assert.equal(res.status, 200, `GET calls: ${JSON.stringify(res.body)}`);
    const found = (res.body as { items: CallRecord[] }).items.find((c) => c.callId === callId);
    if (found) return found;
    if (Date.now() > deadline) assert.fail(`no call record for ${callId}: ${JSON.stringify(res.body)}`);
    await sleep(100);
  }
}

/** The devices of 101 as the API lists them. */
function devicesOf101(): Promise<DeviceJson[]> {
  return server.devices(tenant, CALLEE, apiToken);
}

// ---- one case ---------------------------------------------------------------------------------------------

/** An answered call 100 → 101 whose device has just moved to connection #2 and re-registered there. */
interface Reconnected {
  readonly caller: UdpSipPeer;
  readonly device: TcpDevice;
  readonly conn1: TcpSipConnection;
  readonly conn2: TcpSipConnection;
  readonly a: CallerDialog;
  readonly b: AnsweredLeg;
  /** The Contact URI 101 answered the call with. */
  readonly answeredContact: string;
}

/** Sets up the call over connection #1, then reconnects 101 and re-registers it over connection #2. */
async function answeredThenReconnected(caller: UdpSipPeer, device: TcpDevice): Promise<Reconnected> {
  const conn1 = await device.connect();
  await device.register();
  const started = await startCall(caller);
  const answeredContact = device.contactUri;
  const b = await answerOn(conn1, answeredContact);
  assert.match(headerOf(b.invite, 'From'), new RegExp(`<sip:${CALLER}@${DOMAIN.replace('.', '\\.')}>;tag=`));
  const a = await callerAnswered(caller, started);

  // 101 loses connection #1 and comes back over connection #2 with the same registration.
  await conn1.close();
  const conn2 = await device.connect();
  assert.notEqual(conn2.localPort, conn1.localPort);
  await device.register();
  const devices = await devicesOf101();
  assert.equal(devices.length, 1, `101 should have one device after re-registering: ${JSON.stringify(devices)}`);
  assert.equal(devices[0]?.transport, 'tcp');
  assert.equal(devices[0]?.sourcePort, conn2.localPort, 'the binding follows connection #2');
  return { caller, device, conn1, conn2, a, b, answeredContact };
}

/** The PBX's BYE reached 101 over connection #2 (and nothing went to connection #1 or the Contact address). */
async function byeDeliveredOverConnection2(r: Reconnected): Promise<void> {
  const bCallId = headerOf(r.b.invite, 'Call-ID');
  const bye = await r.conn2.inbox.nextRequest('BYE', bCallId, 5000);
  assert.equal(tagOf(headerOf(bye, 'To')), r.b.localTag, 'BYE To tag = the tag 101 answered with');
  assert.equal(tagOf(headerOf(bye, 'From')), tagOf(headerOf(r.b.invite, 'From')), 'BYE From tag = the INVITE From tag');
  assert.match(headerOf(bye, 'Via'), /^SIP\/2\.0\/TCP /i);
  r.conn2.send(responseText(bye, 200, 'OK'));
  assert.ok(r.conn1.isClosed);
  assert.equal(r.conn1.inbox.log.filter((m) => methodOf(m) === 'BYE').length, 0, 'no BYE on connection #1');
  assert.deepEqual(trapHits, [], 'Centrala never connects to the Contact address of a device behind its flow');
}

describe('calls survive a TCP reconnect of the callee device', () => {
  before(
    async () => {
      trap = net.createServer((socket) => {
        trapHits.push(`${socket.remoteAddress ?? ''}:${socket.remotePort ?? 0}`);
        socket.destroy();
      });
      trapPort = await new Promise<number>((resolve, reject) => {
        trap.once('error', reject);
        trap.listen(0, '127.0.0.1', () => {
          const address = trap.address();
          resolve(typeof address === 'object' && address ? address.port : 0);
        });
      });
      dataDir = tempDataDir();
      tenant = await seedTenant(dataDir, DOMAIN, [
        { number: CALLER, password: PASSWORD, name: 'Anna Caller' },
        { number: CALLEE, password: PASSWORD, name: 'Bruno Callee' },
      ]);
      apiToken = await operatorToken(dataDir);
      server = await startCentrala({ dataDir, env: { CENTRALA_LOG_LEVEL: 'debug' } });
    },
    { timeout: 120_000 },
  );

  after(async () => {
    await server?.stop();
    await new Promise<void>((resolve) => (trap ? trap.close(() => resolve()) : resolve()));
    if (dataDir !== undefined) rmSync(dataDir, { recursive: true, force: true });
  });

  /** Runs `body` with a fresh caller and device; both are closed (device unregistered) afterwards. */
  async function withPeers(identity: Identity, body: (caller: UdpSipPeer, device: TcpDevice) => Promise<void>): Promise<void> {
    inboxes = [];
    const caller = new UdpSipPeer('100/udp');
    await caller.open();
    inboxes.push(caller.inbox);
    const device = new TcpDevice(identity);
    try {
      await withEvidence(() => body(caller, device));
    } finally {
      await device.leave().catch(() => device.conn?.destroy());
      device.conn?.destroy();
      caller.close();
    }
  }

  it('the caller hangs up after 101 reconnected: the BYE reaches 101 over connection #2, the caller gets 200', { timeout: 30_000 }, async () => {
    await withPeers({ kind: 'contact' }, async (caller, device) => {
      const r = await answeredThenReconnected(caller, device);
      r.a.cseq += 1;
      caller.send(callerRequest(caller, r.a, 'BYE', r.a.cseq), server.ports.sip);
      const byeOk = await caller.inbox.nextFinal(r.a.callId, r.a.cseq, 'BYE');
      assert.equal(statusOfText(byeOk), 200, `the caller's BYE: ${byeOk.startLine}`);
      await byeDeliveredOverConnection2(r);

      const record = await callRecord(r.a.callId);
      assert.equal(record.disposition, 'answered');
      assert.equal(record.endedBy, 'caller');
      assert.equal(record.endStatus, 200);
      assert.equal(record.answeredBy, CALLEE);
      assert.equal(record.callerNumber, CALLER);
      assert.equal(record.legs.length, 1);
      assert.equal(record.legs[0]?.answered, true);
      assert.equal(record.legs[0]?.contact, r.answeredContact);
    });
  });

  it('101 hangs up over connection #2 after reconnecting: the caller receives the BYE, 101 gets 200 on connection #2', { timeout: 30_000 }, async () => {
    await withPeers({ kind: 'contact' }, async (caller, device) => {
      const r = await answeredThenReconnected(caller, device);
      const bCallId = headerOf(r.b.invite, 'Call-ID');
      const pbxContact = uriOf(headerOf(r.b.invite, 'Contact'));
      r.conn2.send(
        requestText(`BYE ${pbxContact} SIP/2.0`, [
          `Via: SIP/2.0/TCP 127.0.0.1:${r.conn2.localPort};branch=z9hG4bK${token()};rport`,
          'Max-Forwards: 70',
          `From: ${headerOf(r.b.invite, 'To')};tag=${r.b.localTag}`,
          `To: ${headerOf(r.b.invite, 'From')}`,
          `Call-ID: ${bCallId}`,
          'CSeq: 1 BYE',
          `User-Agent: ${USER_AGENT}`,
        ]),
      );
      const byeOk = await r.conn2.inbox.nextFinal(bCallId, 1, 'BYE');
      assert.equal(statusOfText(byeOk), 200, `101's BYE: ${byeOk.startLine}`);
      const bye = await caller.inbox.nextRequest('BYE', r.a.callId, 5000);
      assert.equal(tagOf(headerOf(bye, 'From')), tagOf(r.a.to), 'BYE From tag = the PBX tag of the A dialog');
      caller.send(responseText(bye, 200, 'OK'), server.ports.sip);
      assert.deepEqual(trapHits, []);

      const record = await callRecord(r.a.callId);
      assert.equal(record.disposition, 'answered');
      assert.equal(record.endedBy, 'callee');
      assert.equal(record.endStatus, 200);
      assert.equal(record.answeredBy, CALLEE);
    });
  });

  it('a device that re-registers with a new Contact but the same +sip.instance gets the BYE over connection #2', { timeout: 30_000 }, async () => {
    await withPeers({ kind: 'instance', instance: `<urn:uuid:${randomUUID()}>` }, async (caller, device) => {
      const r = await answeredThenReconnected(caller, device);
      assert.notEqual(device.contactUri, r.answeredContact, 'connection #2 registers a different Contact');
      assert.equal((await devicesOf101())[0]?.contact, device.contactUri);
      r.a.cseq += 1;
      caller.send(callerRequest(caller, r.a, 'BYE', r.a.cseq), server.ports.sip);
      const byeOk = await caller.inbox.nextFinal(r.a.callId, r.a.cseq, 'BYE');
      assert.equal(statusOfText(byeOk), 200, `the caller's BYE: ${byeOk.startLine}`);
      await byeDeliveredOverConnection2(r);

      const record = await callRecord(r.a.callId);
      assert.equal(record.disposition, 'answered');
      assert.equal(record.endedBy, 'caller');
    });
  });

  it(
    'the BYE reaches 101 over connection #2 when its 2xx Contact equals the registered one only by RFC 3261 URI comparison',
    { timeout: 30_000 },
    async () => {
      await withPeers({ kind: 'contact', upperTransport: true }, async (caller, device) => {
        const r = await answeredThenReconnected(caller, device);
        assert.match((await devicesOf101())[0]?.contact ?? '', /;transport=TCP$/);
        r.a.cseq += 1;
        caller.send(callerRequest(caller, r.a, 'BYE', r.a.cseq), server.ports.sip);
        const byeOk = await caller.inbox.nextFinal(r.a.callId, r.a.cseq, 'BYE');
        assert.equal(statusOfText(byeOk), 200, `the caller's BYE: ${byeOk.startLine}`);
        await byeDeliveredOverConnection2(r);
      });
    },
  );
});
