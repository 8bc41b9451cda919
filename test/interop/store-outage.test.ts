/**
 * A PostgreSQL outage while a call is up and phones register (SPEC 4, faults). Centrala runs on PostgreSQL through
 * a TCP proxy written here (node:net), so the database can be made to refuse connections. Two outages:
 *
 * (a) a restart: the database terminates the server's backends (`pg_terminate_backend`, only those with this run's
 *     own `application_name`: the server is shared) — one while it runs a REGISTER's write, held up by a lock this
 *     test takes on its own schema — and refuses new connections (the proxy stops accepting) until it is back;
 * (b) a network cut: the proxy stops, resetting every connection and refusing new ones, then starts again.
 *
 * In both the process stays up, the call stays up on both phones, REGISTER, a new INVITE and the API get 503 with
 * Retry-After (never 500), /healthz says the store is down and then up again, Centrala reconnects by itself, and
 * the record of the call — which ends during the outage — is written once the database is back. On SQLite, a
 * database locked past the busy timeout answers a REGISTER with the same temporary failure.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import net from 'node:net';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import pg from 'pg';
import { startSipp, registerSippDevice, type RunningSipp } from '../support/sipp.js';
import { operatorToken, seedTenant, startCentrala, tempDataDir, type CentralaProcess, type SeededTenant } from '../support/centrala-process.js';
import { SQLITE_FILE_NAME } from '../../src/store/index.js';
import { TEST_PG_URL, TestDatabase, dialectsUnderTest, terminateBackends } from '../support/databases.js';
import { headerOf, headersOf, requestText, statusOfText, uriOf, UdpSipPeer, type SipText } from '../support/sip-tcp-device.js';
import { md5Challenge, placeCall } from '../support/udp-caller.js';
import { digestAuthorization, registerText, token } from '../support/sip-udp-client.js';

const DOMAIN = 'outage.test';
const PASSWORD = 'Outage4Interop8x';
const CALLER = '401';
const CALLEE = '402';
const REGISTERING = '403';

/** A TCP proxy in front of PostgreSQL that can stop accepting, stop altogether, and start again on its port. */
class TcpProxy {
  readonly #target: { host: string; port: number };
  readonly #sockets = new Set<net.Socket>();
  #server: net.Server | undefined;
  port = 0;

  constructor(target: { host: string; port: number }) {
    this.#target = target;
  }

  /** Listens (on a free port the first time, on the same port afterwards). */
  async start(): Promise<void> {
    const server = net.createServer((client) => {
      const upstream = net.connect(this.#target);
      for (const s of [client, upstream]) {
        this.#sockets.add(s);
        s.on('close', () => this.#sockets.delete(s));
        s.on('error', () => undefined);
      }
      client.pipe(upstream).pipe(client);
      client.on('close', () => upstream.destroy());
      upstream.on('close', () => client.destroy());
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, '127.0.0.1', () => resolve());
    });
    this.#server = server;
    this.port = (server.address() as net.AddressInfo).port;
  }

  /**
   * New connections are refused at once; those made stay up (a database that is shutting down or starting up).
   */
  refuseNew(): void {
    this.#server?.close();
    this.#server = undefined;
  }

  /** Refuses new connections and resets every open one (the network to the database is cut). */
  stop(): void {
    this.refuseNew();
    for (const s of this.#sockets) s.resetAndDestroy();
  }
}

/** Polls `check` every 50 ms until it returns a value, for at most `timeoutMs`. */
async function until<T>(what: string, check: () => Promise<T | undefined>, timeoutMs = 10_000): Promise<T> {
  for (const deadline = Date.now() + timeoutMs; ; ) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** REGISTER of 403 from `peer`: the final response of the authenticated request (or the first, if not 401). */
async function registerOnce(peer: UdpSipPeer, serverPort: number): Promise<SipText> {
  const callId = `reg-${token()}@127.0.0.1`;
  const base = { user: REGISTERING, domain: DOMAIN, localPort: peer.port, callId, expires: 600 };
  peer.send(registerText({ ...base, cseq: 1 }), serverPort);
  const first = await peer.inbox.nextFinal(callId, 1, 'REGISTER');
  if (statusOfText(first) !== 401) return first;
  const authorization = digestAuthorization({
    challenge: md5Challenge(headersOf(first, 'WWW-Authenticate')),
    username: REGISTERING,
    password: PASSWORD,
    method: 'REGISTER',
    uri: `sip:${DOMAIN}`,
  });
  peer.send(registerText({ ...base, cseq: 2, authorization }), serverPort);
  return peer.inbox.nextFinal(callId, 2, 'REGISTER', 15_000);
}

/** `response` is a temporary failure: 503 with a Retry-After of at least 5 s. */
function assertRetryLater(response: SipText, what: string, server: CentralaProcess): void {
  assert.equal(statusOfText(response), 503, `${what}: ${response.startLine}\n${server.output.slice(-3000)}`);
  assert.match(headerOf(response, 'Retry-After'), /^\d+$/, `${what}: Retry-After`);
  assert.ok(Number(headerOf(response, 'Retry-After')) >= 5);
}

interface Health {
  readonly status: number;
  readonly body: { status: string; ready: boolean; store: string };
}

describe('a PostgreSQL outage during a call and registrations', { skip: !dialectsUnderTest().includes('postgres') && 'CENTRALA_SKIP_PG=1' }, () => {
  const pgTarget = new URL(TEST_PG_URL);

  for (const outage of ['restart', 'network cut'] as const) {
    describe(`a database ${outage}`, () => {
      // Only this run's connections carry this name: the only ones the test may terminate.
      const applicationName = `centrala-outage-${process.pid}-${randomBytes(4).toString('hex')}`;
      let testDb: TestDatabase;
      let schema: string;
      let proxy: TcpProxy;
      let admin: pg.Client;
      let server: CentralaProcess;
      let tenant: SeededTenant;
      let apiToken: string;
      let callee: RunningSipp | undefined;
      let caller: UdpSipPeer;
      let registering: UdpSipPeer;
      let exited = false;

      before(async () => {
        testDb = await TestDatabase.create('postgres');
        await testDb.close();
        schema = /search_path=(\S+)/.exec(new URL(testDb.options.url ?? '').searchParams.get('options') ?? '')?.[1] ?? '';
        proxy = new TcpProxy({ host: pgTarget.hostname, port: Number(pgTarget.port || 5432) });
        await proxy.start();
        const viaProxy = new URL(testDb.options.url ?? '');
        viaProxy.port = String(proxy.port);
        const dataDir = tempDataDir();
        const store = { dataDir, url: viaProxy.toString() };
        tenant = await seedTenant(store, DOMAIN, [CALLER, CALLEE, REGISTERING].map((number) => ({ number, password: PASSWORD })));
        apiToken = await operatorToken(store);
        server = await startCentrala({
          dataDir,
          extraArgs: ['--database-url', store.url, '--database-application-name', applicationName, '--rtp-timeout', '300'],
          env: { CENTRALA_DATABASE_ACQUIRE_TIMEOUT: '2000' },
        });
        void server.exitedCode().then(() => (exited = true));
        admin = new pg.Client({ connectionString: TEST_PG_URL });
        await admin.connect();
        caller = new UdpSipPeer('caller');
        await caller.open();
        registering = new UdpSipPeer(REGISTERING);
        await registering.open();
      });

      after(async () => {
        caller?.close();
        registering?.close();
        await admin?.end();
        await server?.stop();
        proxy?.stop();
        await callee?.result;
        await testDb?.destroy();
      });

      const health = async (): Promise<Health> => {
        const res = await fetch(`${server.baseUrl}/healthz`);
        return { status: res.status, body: (await res.json()) as Health['body'] };
      };

      const register = (): Promise<SipText> => registerOnce(registering, server.ports.sip);
      const assertTemporaryFailure = (response: SipText, what: string): void => assertRetryLater(response, what, server);

      it('keeps SIP up, answers 503 with Retry-After, reports the store down and up, reconnects and writes the CDR', { timeout: 90_000 }, async () => {
        assert.deepEqual((await health()).body, { status: 'ok', ready: true, store: 'up' });
        assert.equal(statusOfText(await register()), 200, 'registers before the outage');

        // A call is up: 401 (the scripted caller) → 402 (sipp, answers and waits for the BYE).
        const port = await registerSippDevice({ serverPort: server.ports.sip, user: { user: CALLEE, domain: DOMAIN, password: PASSWORD } });
        callee = await startSipp({ scenario: 'call-uas-answer.xml', users: [], localPort: port, calls: 1, timeoutMs: 80_000, traceMessages: true });
        const call = await placeCall(caller, { user: CALLER, domain: DOMAIN, password: PASSWORD, serverPort: server.ports.sip }, CALLEE);
        assert.equal(statusOfText(call.final), 200, call.final.startLine);

        if (outage === 'restart') {
          // A REGISTER whose write waits on a lock of this test's own schema while the backends are terminated.
          await admin.query('begin');
          await admin.query(`lock table "${schema}".registrations in access exclusive mode`);
          const inFlight = register();
          await until('the REGISTER write waits on the lock', async () => {
            const { rows } = await admin.query("select 1 from pg_stat_activity where application_name = $1 and wait_event_type = 'Lock'", [
              applicationName,
            ]);
            return rows.length > 0 ? true : undefined;
          });
          proxy.refuseNew();
          assert.ok((await terminateBackends(admin, applicationName)) >= 1, 'terminated the server backends');
          assertTemporaryFailure(await inFlight, 'the REGISTER whose backend was terminated');
          await admin.query('rollback');
        } else {
          proxy.stop();
        }

        const down = await until('/healthz says the store is down', async () => {
          const h = await health();
          return h.body.store === 'down' ? h : undefined;
        });
        assert.deepEqual(down, { status: 503, body: { status: 'unavailable', ready: true, store: 'down' } });
        assertTemporaryFailure(await register(), 'a REGISTER during the outage');
        const refused = await placeCall(caller, { user: CALLER, domain: DOMAIN, password: PASSWORD, serverPort: server.ports.sip }, CALLEE);
        assertTemporaryFailure(refused.final, 'a new call during the outage');
        const api = await server.api('/api/v1/tenants', apiToken);
        assert.equal(api.status, 503);
        assert.equal((api.body as { error: { code: string } }).error.code, 'STORE_UNAVAILABLE');

        // The call is still up: the caller hangs up, the callee gets the BYE, the caller its 200.
        caller.send(
          requestText(`BYE ${uriOf(headerOf(call.final, 'Contact'))} SIP/2.0`, [
            `Via: SIP/2.0/UDP 127.0.0.1:${caller.port};branch=z9hG4bK${token()};rport`,
            'Max-Forwards: 70',
            `From: ${call.from}`,
            `To: ${headerOf(call.final, 'To')}`,
            `Call-ID: ${call.callId}`,
            'CSeq: 3 BYE',
          ]),
          server.ports.sip,
        );
        assert.equal(statusOfText(await caller.inbox.nextFinal(call.callId, 3, 'BYE')), 200);
        const calleeRun = await callee.result;
        assert.equal(calleeRun.exitCode, 0, `the callee's sipp got the BYE: ${calleeRun.errors}`);
        assert.equal(exited, false, `the process is still up:\n${server.output.slice(-3000)}`);

        // The database is back: Centrala notices by itself and writes the record of the call.
        await proxy.start();
        const up = await until('/healthz says the store is up', async () => {
          const h = await health();
          return h.status === 200 ? h : undefined;
        });
        assert.deepEqual(up.body, { status: 'ok', ready: true, store: 'up' });
        const cdr = await until('the CDR of the call is written', async () => {
          const { rows } = await admin.query<{ disposition: string; answered_by: string }>(
            `select disposition, answered_by from "${schema}".call_records where call_id = $1`,
            [call.callId],
          );
          return rows[0];
        });
        assert.deepEqual(cdr, { disposition: 'answered', answered_by: CALLEE });
        assert.equal(statusOfText(await register()), 200, 'registers again after the outage');
        assert.equal((await server.api('/api/v1/tenants', apiToken)).status, 200);
        assert.equal(exited, false);
        assert.ok(tenant.tenantId);
      });
    });
  }
});

describe('a SQLite store that stays locked past the busy timeout', () => {
  let server: CentralaProcess;
  let peer: UdpSipPeer;

  before(async () => {
    const dataDir = tempDataDir();
    await seedTenant(dataDir, DOMAIN, [{ number: REGISTERING, password: PASSWORD }]);
    server = await startCentrala({ dataDir });
    peer = new UdpSipPeer(REGISTERING);
    await peer.open();
  });

  after(async () => {
    peer?.close();
    await server?.stop();
  });

  it('answers a REGISTER that cannot be written with 503 and Retry-After (SQLITE_BUSY), then registers', { timeout: 60_000 }, async () => {
    // Another writer holds the database (a CLI command, a backup) longer than the server's 5 s busy timeout.
    const other = new SQLite(join(server.dataDir, SQLITE_FILE_NAME));
    try {
      other.exec('begin exclusive');
      assertRetryLater(await registerOnce(peer, server.ports.sip), 'a REGISTER while the database is locked', server);
    } finally {
      other.exec('rollback');
      other.close();
    }
    assert.equal(statusOfText(await registerOnce(peer, server.ports.sip)), 200);
  });
});
