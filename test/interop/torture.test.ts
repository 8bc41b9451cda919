/**
 * RFC 4475 torture messages against a RUNNING Centrala (a child process): each message is sent as
 * its exact bytes over UDP, then over TCP and over TLS (each on a fresh connection, to the same
 * server), the answer must be one the expectations allow, and the server must then answer an
 * OPTIONS with 200 as if nothing happened.
 *
 * The stream copies of a message reach the server after its UDP copy: where the message creates
 * a transaction, they are retransmissions of it from another flow, and RFC 3261 §18.2.2 wants the
 * answer on the connection each came in on (RFC 4475 `longreq` over TCP once got nothing: its
 * answer went to the UDP source of the first copy).
 *
 * On streams, expectations.tsv's datagram reading does not hold for a few messages; see
 * {@link STREAM_SKIPS} and {@link STREAM_ACCEPT}.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startCentrala, type CentralaProcess } from '../support/centrala-process.js';
import { statusOf, tcpExchange, token, udpExchange } from '../support/sip-udp-client.js';

const TORTURE_DIR = fileURLToPath(new URL('../fixtures/sip/torture/', import.meta.url));

type Transport = 'udp' | 'tcp' | 'tls';

interface Expectation {
  readonly name: string;
  readonly section: string;
  readonly accept: readonly string[];
  readonly says: string;
}

/**
 * Messages not sent over TCP/TLS, and why. RFC 3261 §18.3 frames a stream by Content-Length, so
 * on a stream a message's body is what Content-Length says, not what the datagram holds.
 */
const STREAM_SKIPS: Readonly<Record<string, string>> = {
  // Content-Length larger than the body: on a stream the message is merely incomplete, the rest of
  // its body is still to come (the message timeout ends the connection); there is nothing to answer.
  clerr: 'a datagram whose Content-Length exceeds it; a stream just waits for the rest',
  // The trailing INVITE-like octets are a second message on a stream, not ignored trailing bytes.
  dblreq: 'octets after Content-Length are ignored in a datagram; a stream frames them as the next message',
};

/**
 * Outcomes that differ on streams. A message without Content-Length cannot be framed on a stream
 * (RFC 3261 §18.3: it MUST be present): 400 and the connection closes, where a datagram's body is
 * simply the rest of the datagram.
 */
const STREAM_ACCEPT: Readonly<Record<string, readonly string[]>> = {
  inv2543: ['400'],
};

function loadExpectations(): Expectation[] {
  return readFileSync(join(TORTURE_DIR, 'expectations.tsv'), 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '' && !l.startsWith('#'))
    .map((l) => {
      const [name = '', section = '', , , accept = '', says = ''] = l.split('\t');
      return { name, section, accept: accept.split(',').map((a) => a.trim()), says };
    });
}

/** True when `status` (undefined = no final response) is one of the accepted outcomes. */
function acceptable(status: number | undefined, accept: readonly string[]): boolean {
  return accept.some((a) => {
    if (a === 'none') return status === undefined;
    if (status === undefined) return false;
    if (a === 'ok') return status !== 400 && status !== 500;
    if (/^\dxx$/.test(a)) return Math.floor(status / 100) === Number(a[0]);
    return status === Number(a);
  });
}

/** Splits a TCP byte stream of responses into messages by Content-Length. */
function splitStream(text: string): string[] {
  const out: string[] = [];
  let rest = text;
  for (;;) {
    const end = rest.indexOf('\r\n\r\n');
    if (end < 0) break;
    const head = rest.slice(0, end);
    const len = Number(/\r\n(?:Content-Length|l)\s*:\s*(\d+)/i.exec(head)?.[1] ?? 0);
    out.push(rest.slice(0, end + 4 + len));
    rest = rest.slice(end + 4 + len);
  }
  return out;
}

function firstFinal(messages: readonly string[]): number | undefined {
  for (const m of messages) {
    const s = statusOf(m);
    if (s !== undefined && s >= 200) return s;
  }
  return undefined;
}

function options(port: number, transport: 'UDP' | 'TCP' | 'TLS'): string {
  return [
    `OPTIONS sip:127.0.0.1:${port} SIP/2.0`,
    `Via: SIP/2.0/${transport} 192.0.2.99:5060;branch=z9hG4bK${token()};rport`,
    `From: <sip:probe@example.com>;tag=${token()}`,
    `To: <sip:127.0.0.1:${port}>`,
    `Call-ID: ${token()}`,
    'CSeq: 1 OPTIONS',
    'Max-Forwards: 70',
    'Content-Length: 0',
    '',
    '',
  ].join('\r\n');
}

/**
 * The server-transaction key of a raw request (RFC 3261 §17.2.3: branch, sent-by, method; ACK counts
 * as INVITE). Several torture messages share a key (e.g. `branch=z9hG4bKkdjuw` from
 * `saturn.example.com:5060`): to a running server the later ones ARE retransmissions, answered to
 * the first sender. Such messages go to a fresh server instead (see the partitions below).
 */
function transactionKey(bytes: Buffer): string | undefined {
  const text = bytes.toString('latin1');
  const method = /^(\S+) /.exec(text)?.[1];
  if (!method || method.startsWith('SIP/')) return undefined;
  const via = /\r\n(?:Via|v)\s*:\s*SIP\s*\/\s*2\.0\s*\/\s*\S+\s+([^;,\r\n]+)([^,\r\n]*)/i.exec(text);
  const sentBy = (via?.[1] ?? '').trim().toLowerCase();
  const branch = /;\s*branch\s*=\s*([^;,\s]+)/i.exec(via?.[2] ?? '')?.[1] ?? '';
  const callId = /\r\n(?:Call-ID|i)\s*:\s*(\S+)/i.exec(text)?.[1] ?? '';
  return `${method === 'ACK' ? 'INVITE' : method}|${sentBy}|${branch || callId}`;
}

/**
 * Splits the runs into partitions in which no two different messages share a transaction key (the
 * copies of one message over several transports do share one: that is the point).
 */
function partition(runs: readonly { e: Expectation; transport: Transport }[]): number[] {
  const seen: Map<string, string>[] = [];
  return runs.map(({ e }) => {
    const key = transactionKey(readFileSync(join(TORTURE_DIR, `${e.name}.sip`)));
    let i = 0;
    while (key !== undefined && (seen[i]?.get(key) ?? e.name) !== e.name) i++;
    (seen[i] ??= new Map()).set(key ?? `none-${Math.random()}`, e.name);
    return i;
  });
}

const TRANSPORTS: readonly Transport[] = ['udp', 'tcp', 'tls'];
const RUNS = loadExpectations().flatMap((e) =>
  TRANSPORTS.filter((t) => t === 'udp' || STREAM_SKIPS[e.name] === undefined).map((transport) => ({ e, transport })),
);
const PARTS = partition(RUNS);

describe('RFC 4475 torture messages against a running server', () => {
  const servers: CentralaProcess[] = [];

  /** The server for partition `i` (started on first use; partition 0 for almost every message). */
  async function serverFor(i: number): Promise<CentralaProcess> {
    const existing = servers[i];
    if (existing) return existing;
    const started = await startCentrala({ devTls: true });
    servers[i] = started;
    return started;
  }

  before(async () => {
    await serverFor(0);
  });

  after(async () => {
    for (const s of servers) await s?.stop();
  });

  for (const [index, { e, transport }] of RUNS.entries()) {
    {
      const accept = transport === 'udp' ? e.accept : (STREAM_ACCEPT[e.name] ?? e.accept);
      it(`${e.name} (§${e.section}) over ${transport}: ${accept.join('/')} — ${e.says}`, async () => {
        const server = await serverFor(PARTS[index] ?? 0);
        const bytes = readFileSync(join(TORTURE_DIR, `${e.name}.sip`));
        const onlyNone = e.accept.length === 1 && e.accept[0] === 'none';
        const waitMs = onlyNone ? 400 : 1500;
        let responses: string[];
        if (transport === 'udp') {
          responses = await udpExchange(server.ports.sip, bytes, {
            waitMs,
            until: (r) => firstFinal(r) !== undefined,
          });
        } else {
          const text = await tcpExchange(transport === 'tls' ? server.ports.tls : server.ports.sip, bytes, {
            waitMs,
            until: (r) => firstFinal(splitStream(r)) !== undefined,
            tls: transport === 'tls',
          });
          responses = splitStream(text);
        }
        const status = firstFinal(responses);
        assert.ok(
          acceptable(status, accept),
          `got ${status ?? 'no response'}, accepted ${accept.join(',')}\n${responses[0] ?? ''}`,
        );
        // The server must answer the next request as if nothing happened.
        const next =
          transport === 'udp'
            ? firstFinal(await udpExchange(server.ports.sip, options(server.ports.sip, 'UDP'), { waitMs: 2000, until: (r) => firstFinal(r) !== undefined }))
            : firstFinal(
                splitStream(
                  await tcpExchange(transport === 'tls' ? server.ports.tls : server.ports.sip, options(server.ports.sip, transport === 'tls' ? 'TLS' : 'TCP'), {
                    waitMs: 2000,
                    until: (r) => firstFinal(splitStream(r)) !== undefined,
                    tls: transport === 'tls',
                  }),
                ),
              );
        assert.equal(next, 200, `OPTIONS after ${e.name} got ${next ?? 'nothing'}\n${server.output.slice(-2000)}`);
      });
    }
  }
});
