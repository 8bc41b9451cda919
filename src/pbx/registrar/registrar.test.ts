import { describe, it, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { FakeClock, silentLogger } from '../../lib/index.js';
import { parseMessage, SipRequest, type SipResponse } from '../../sip/index.js';
import type { IncomingRequest, ReplyOptions } from '../../sip/index.js';
import type { AuthExtension, BindingRecord, ExtensionDirectory, LocationStore } from '../ports.js';
import { LocationService } from './location-service.js';
import { Registrar } from './registrar.js';
import type { AuthCheckInput, AuthDecision, RegistrarAuthenticator } from './registrar-authenticator.js';
import { DEFAULT_REGISTRAR_POLICY } from './registrar-policy.js';
import { FlowTracker } from './flow-tracker.js';

const EXT: AuthExtension = {
  tenantId: 't1',
  extensionId: 'e100',
  number: '100',
  sipDomain: 'acme.test',
  ha1Md5: 'x',
  ha1Sha256: 'y',
};

/** In-memory LocationStore that records writes. */
class MemoryStore implements LocationStore {
  rows = new Map<string, BindingRecord[]>();
  writes = 0;
  async loadActive(now: number): Promise<BindingRecord[]> {
    return [...this.rows.values()].flat().filter((b) => b.expiresAt > now);
  }
  async replaceAor(aor: string, bindings: readonly BindingRecord[]): Promise<void> {
    this.writes++;
    if (bindings.length) this.rows.set(aor, [...bindings]);
    else this.rows.delete(aor);
  }
  async deleteExpired(now: number): Promise<number> {
    let n = 0;
    for (const [aor, list] of this.rows) {
      const live = list.filter((b) => b.expiresAt > now);
      n += list.length - live.length;
      if (live.length) this.rows.set(aor, live);
      else this.rows.delete(aor);
    }
    return n;
  }
}

/** Accepts `Authorization: Test <number>` for extension 100 only; everything else is challenged. */
class FakeAuthenticator implements RegistrarAuthenticator {
  blocked = false;
  lastRealm = '';
  async check(input: AuthCheckInput): Promise<AuthDecision> {
    this.lastRealm = input.realm;
    if (this.blocked) return { kind: 'blocked' };
    const user = input.authorizations.map((a) => /^Test (\S+)/.exec(a)?.[1]).find((u) => u !== undefined);
    if (user === undefined) return { kind: 'challenge', stale: false };
    const ext = await input.lookup(user);
    if (!ext) return { kind: 'challenge', stale: false };
    return { kind: 'authenticated', extension: ext, username: user };
  }
  challenge(realm: string, _source: string, stale: boolean, algorithms: readonly string[]): string[] {
    return algorithms.map((a) => `Digest realm="${realm}", nonce="n", algorithm=${a}${stale ? ', stale=true' : ''}`);
  }
}

const directory: ExtensionDirectory = {
  async findForAuth(domain, number) {
    return domain === 'acme.test' && number === '100' ? EXT : undefined;
  },
  async hasDomain(domain) {
    return domain === 'acme.test';
  },
};

interface Sent {
  status: number;
  reason: string | undefined;
  headers: [string, string][];
}

function request(lines: string[], connectionId?: string, transport: 'tcp' | 'ws' = 'tcp'): { ctx: IncomingRequest; sent: Sent[] } {
  const text = [...lines, 'Content-Length: 0', '', ''].join('\r\n');
  const parsed = parseMessage(Buffer.from(text));
  assert.ok(parsed.ok && parsed.message instanceof SipRequest, 'test request must parse');
  const req = parsed.message;
  const sent: Sent[] = [];
  const ctx: IncomingRequest = {
    request: req,
    source: { transport: connectionId ? transport : 'udp', address: '192.0.2.7', port: 40000, family: 4 },
    local: { transport: 'udp', address: '127.0.0.1', port: 5060, family: 4 },
    connectionId,
    async reply(status: number, options: ReplyOptions = {}) {
      sent.push({ status, reason: options.reason, headers: (options.headers ?? []).map(([n, v]) => [n, v]) });
    },
    async send(_response: SipResponse) {
      throw new Error('not used');
    },
    onCancel() {
      throw new Error('not used');
    },
  };
  return { ctx, sent };
}

let cseq = 0;
function register(opts: {
  contact?: string;
  expires?: number;
  auth?: string | null;
  callId?: string;
  cseq?: number;
  to?: string;
  ruri?: string;
  extra?: string[];
  connectionId?: string;
  transport?: 'tcp' | 'ws';
}): { ctx: IncomingRequest; sent: Sent[] } {
  const to = opts.to ?? 'sip:100@acme.test';
  const lines = [
    `REGISTER ${opts.ruri ?? 'sip:acme.test'} SIP/2.0`,
    'Via: SIP/2.0/UDP 192.0.2.7:40000;branch=z9hG4bK' + String(++cseq),
    `From: <${to}>;tag=f1`,
    `To: <${to}>`,
    `Call-ID: ${opts.callId ?? 'call-1'}`,
    `CSeq: ${opts.cseq ?? cseq} REGISTER`,
    'Max-Forwards: 70',
  ];
  if (opts.contact !== undefined) lines.push(`Contact: ${opts.contact}`);
  if (opts.expires !== undefined) lines.push(`Expires: ${opts.expires}`);
  if (opts.auth !== null) lines.push(`Authorization: ${opts.auth ?? 'Test 100'}`);
  lines.push(...(opts.extra ?? []));
  return request(lines, opts.connectionId, opts.transport);
}

function headers(s: Sent | undefined, name: string): string[] {
  return (s?.headers ?? []).filter(([n]) => n.toLowerCase() === name.toLowerCase()).map(([, v]) => v);
}

describe('Registrar', () => {
  let clock: FakeClock;
  let store: MemoryStore;
  let location: LocationService;
  let auth: FakeAuthenticator;
  let registrar: Registrar;

  beforeEach(async () => {
    clock = new FakeClock();
    store = new MemoryStore();
    auth = new FakeAuthenticator();
    location = new LocationService({ store, clock, logger: silentLogger(), policy: DEFAULT_REGISTRAR_POLICY });
    await location.start();
    registrar = new Registrar({
      directory,
      authenticator: auth,
      location,
      policy: DEFAULT_REGISTRAR_POLICY,
      clock,
      logger: silentLogger(),
    });
  });

  it('challenges a REGISTER without credentials with 401 and the To domain as realm, SHA-256 first', async () => {
    const { ctx, sent } = register({ contact: '<sip:100@192.0.2.7:40000>', auth: null });
    await registrar.handle(ctx);
    assert.equal(sent[0]?.status, 401);
    const values = headers(sent[0], 'WWW-Authenticate');
    assert.equal(values.length, 2);
    assert.match(values[0] ?? '', /realm="acme\.test".*SHA-256/);
    assert.match(values[1] ?? '', /MD5/);
  });

  it('offers only MD5 to user agents known to fail on SHA-256 challenges (baresip 1.x, sipp)', async () => {
    for (const ua of ['baresip v1.0.0 (x86_64/linux)', 'sipp']) {
      const { ctx, sent } = register({ auth: null, extra: [`User-Agent: ${ua}`] });
      await registrar.handle(ctx);
      assert.deepEqual(headers(sent[0], 'WWW-Authenticate').length, 1, ua);
      assert.match(headers(sent[0], 'WWW-Authenticate')[0] ?? '', /MD5/);
    }
  });

  it('an unknown user and a known user get the same challenge (no enumeration)', async () => {
    const a = register({ to: 'sip:100@acme.test', auth: null });
    const b = register({ to: 'sip:999@acme.test', auth: null });
    await registrar.handle(a.ctx);
    await registrar.handle(b.ctx);
    assert.deepEqual(a.sent, b.sent);
  });

  it('selects the realm from the Request-URI when the To domain is no tenant domain', async () => {
    const { ctx } = register({ to: 'sip:100@127.0.0.1', ruri: 'sip:acme.test', auth: null });
    await registrar.handle(ctx);
    assert.equal(auth.lastRealm, 'acme.test');
  });

  it('answers 403 while the failure tracker blocks the source', async () => {
    auth.blocked = true;
    const { ctx, sent } = register({ contact: '<sip:100@h>' });
    await registrar.handle(ctx);
    assert.equal(sent[0]?.status, 403);
  });

  it('registers a contact and lists it with its expiry in the 200, with a Date header', async () => {
    const { ctx, sent } = register({ contact: '<sip:100@192.0.2.7:40000>', expires: 600 });
    await registrar.handle(ctx);
    assert.equal(sent[0]?.status, 200);
    assert.deepEqual(headers(sent[0], 'Contact'), ['<sip:100@192.0.2.7:40000>;expires=600']);
    assert.equal(headers(sent[0], 'Date').length, 1);
    const [b] = location.lookup('sip:100@acme.test');
    assert.equal(b?.sourceAddress, '192.0.2.7');
    assert.equal(b?.tenantId, 't1');
    assert.equal(store.writes, 1);
  });

  it('refuses to let one extension register another AOR (403)', async () => {
    const { ctx, sent } = register({ to: 'sip:101@acme.test', contact: '<sip:101@h>', auth: 'Test 100' });
    await registrar.handle(ctx);
    assert.equal(sent[0]?.status, 403);
  });

  it('answers 423 with Min-Expires for a 30 s registration', async () => {
    const { ctx, sent } = register({ contact: '<sip:100@h>', expires: 30 });
    await registrar.handle(ctx);
    assert.equal(sent[0]?.status, 423);
    assert.deepEqual(headers(sent[0], 'Min-Expires'), ['60']);
  });

  it('lists every contact with q, instance and reg-id; a fetch (no Contact) changes nothing', async () => {
    await registrar.handle(register({ contact: '<sip:100@a>;q=0.5', callId: 'c1' }).ctx);
    await registrar.handle(
      register({ contact: '<sip:100@b>;+sip.instance="<urn:uuid:1>";reg-id=1', callId: 'c2' }).ctx,
    );
    const fetch = register({ callId: 'c3' });
    await registrar.handle(fetch.ctx);
    assert.equal(fetch.sent[0]?.status, 200);
    const contacts = headers(fetch.sent[0], 'Contact');
    assert.equal(contacts.length, 2);
    assert.match(contacts[0] ?? '', /^<sip:100@b>;expires=3600;\+sip\.instance="<urn:uuid:1>";reg-id=1$/);
    assert.match(contacts[1] ?? '', /^<sip:100@a>;expires=3600;q=0\.5$/);
    assert.equal(store.writes, 2);
  });

  it('rejects a bad q-value with 400', async () => {
    const { ctx, sent } = register({ contact: '<sip:100@a>;q=1.5' });
    await registrar.handle(ctx);
    assert.equal(sent[0]?.status, 400);
  });

  it('"*" with Expires: 0 removes every contact; "*" without Expires: 0 is a 400', async () => {
    await registrar.handle(register({ contact: '<sip:100@a>', callId: 'c1' }).ctx);
    await registrar.handle(register({ contact: '<sip:100@b>', callId: 'c2' }).ctx);
    const bad = register({ contact: '*', expires: 60, callId: 'c3' });
    await registrar.handle(bad.ctx);
    assert.equal(bad.sent[0]?.status, 400);
    const all = register({ contact: '*', expires: 0, callId: 'c3' });
    await registrar.handle(all.ctx);
    assert.equal(all.sent[0]?.status, 200);
    assert.deepEqual(headers(all.sent[0], 'Contact'), []);
    assert.deepEqual(location.lookup('sip:100@acme.test'), []);
  });

  it('stores Path and echoes it only when the UA supports path (RFC 3327)', async () => {
    const withSupport = register({
      contact: '<sip:100@a>',
      callId: 'p1',
      extra: ['Path: <sip:edge.example;lr>', 'Supported: path'],
    });
    await registrar.handle(withSupport.ctx);
    assert.deepEqual(headers(withSupport.sent[0], 'Path'), ['<sip:edge.example;lr>']);
    assert.deepEqual(location.lookup('sip:100@acme.test')[0]?.path, ['<sip:edge.example;lr>']);
    const without = register({ contact: '<sip:100@b>', callId: 'p2', extra: ['Path: <sip:edge.example;lr>'] });
    await registrar.handle(without.ctx);
    assert.deepEqual(headers(without.sent[0], 'Path'), []);
  });

  it('a 6th contact gets 503 with Retry-After', async () => {
    for (let i = 0; i < 5; i++) await registrar.handle(register({ contact: `<sip:100@d${i}>`, callId: `c${i}` }).ctx);
    const sixth = register({ contact: '<sip:100@d5>', callId: 'c5' });
    await registrar.handle(sixth.ctx);
    assert.equal(sixth.sent[0]?.status, 503);
    assert.deepEqual(headers(sixth.sent[0], 'Retry-After'), ['3600']);
  });

  it('bindings expire: the sweep drops them from memory and store (FakeClock, no sleeping)', async () => {
    await registrar.handle(register({ contact: '<sip:100@a>', expires: 60 }).ctx);
    assert.equal(location.lookup('sip:100@acme.test').length, 1);
    clock.advance(59_999);
    assert.equal(location.lookup('sip:100@acme.test').length, 1);
    clock.advance(1);
    assert.equal(location.lookup('sip:100@acme.test').length, 0);
    // The periodic sweep (every 30 s) has run at 60 s and removed the row from the store.
    await location.close();
    assert.equal(store.rows.size, 0);
  });

  it('a restart (new service over the same store) keeps unexpired bindings', async () => {
    await registrar.handle(register({ contact: '<sip:100@a>', expires: 600, callId: 'r1' }).ctx);
    await registrar.handle(register({ contact: '<sip:100@b>', expires: 60, callId: 'r2' }).ctx);
    await location.close();
    clock.advance(120_000);
    const again = new LocationService({ store, clock, logger: silentLogger(), policy: DEFAULT_REGISTRAR_POLICY });
    await again.start();
    assert.deepEqual(again.lookup('sip:100@acme.test').map((b) => b.contactUri), ['sip:100@a']);
    await again.close();
  });

  it('binds a TCP flow once while registrations use it and releases it after unregister', async () => {
    const calls: string[] = [];
    const tracker = new FlowTracker(location, {
      bindConnection: (id) => {
        calls.push(`bind ${id}`);
        return true;
      },
      unbindConnection: (id) => calls.push(`unbind ${id}`),
    });
    await registrar.handle(register({ contact: '<sip:100@a;transport=tcp>', connectionId: 'k1', callId: 'f' }).ctx);
    await registrar.handle(register({ contact: '<sip:100@a;transport=tcp>', connectionId: 'k1', callId: 'f' }).ctx);
    await registrar.handle(
      register({ contact: '<sip:100@a;transport=tcp>', connectionId: 'k1', callId: 'f', expires: 0 }).ctx,
    );
    assert.deepEqual(calls, ['bind k1', 'unbind k1']);
    tracker.close();
  });

  it('drops the bindings of a closed WebSocket connection at once, and keeps those of a closed TCP connection', async () => {
    const keeper = { bindConnection: () => true, unbindConnection: () => undefined };
    const tracker = new FlowTracker(location, keeper);
    await registrar.handle(register({ contact: '<sip:100@browser.invalid;transport=ws>', connectionId: 'w1', transport: 'ws', callId: 'w' }).ctx);
    await registrar.handle(register({ contact: '<sip:100@desk;transport=tcp>', connectionId: 't1', callId: 't' }).ctx);
    assert.equal(location.lookup('sip:100@acme.test').length, 2);

    await tracker.connectionClosed('w1');
    assert.deepEqual(location.lookup('sip:100@acme.test').map((b) => b.contactUri), ['sip:100@desk;transport=tcp']);
    assert.equal((await store.loadActive(clock.now())).length, 1, 'removed from the store too');
    await tracker.connectionClosed('t1');
    assert.equal(location.lookup('sip:100@acme.test').length, 1, 'a TCP device stays until it re-registers or expires');
    tracker.close();
  });
});
