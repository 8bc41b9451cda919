/**
 * A dual-stack Centrala (`--sip-host 127.0.0.1,::1`) driven by sipp 3.6.1 over IPv6 and IPv4 at once:
 * devices register over UDP and TCP from ::1 and the API shows them with their IPv6 source; calls between an
 * IPv6 device and an IPv6 or IPv4 device get relay ports on the address family of each device (`c=IN IP6` for
 * the IPv6 leg), and RTP crosses the relay over IPv6 both ways.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import dgram from 'node:dgram';
import { randomBytes } from 'node:crypto';
import { registerSippDevice, startSipp, tracedWith, type SippResult } from '../support/sipp.js';
import {
  freePort,
  operatorToken,
  seedTenant,
  startCentrala,
  tempDataDir,
  type CentralaProcess,
  type SeededTenant, type DeviceJson,
} from '../support/centrala-process.js';

const DOMAIN = 'six.test';
const PASSWORD = 'Ipv6Interop4Calls';

let server: CentralaProcess;
let tenant: SeededTenant;
let apiToken: string;

const devices = (number: string): Promise<DeviceJson[]> => server.devices(tenant, number, apiToken);

function explain(...runs: SippResult[]): string {
  return `${runs.map((r) => `--- sipp exit ${String(r.exitCode)}\n${r.stderr}${r.errors}\n${r.messages.slice(-3000)}`).join('\n')}\n--- centrala\n${server.output.slice(-2000)}`;
}

/** Registers `number` from `host` (::1 or 127.0.0.1) over `transport`; returns the local port. */
function register(number: string, host: '::1' | '127.0.0.1', transport: 'udp' | 'tcp' = 'udp'): Promise<number> {
  return registerSippDevice({ serverPort: server.ports.sip, host, transport, user: { user: number, domain: DOMAIN, password: PASSWORD } });
}

/** The audio connection of an SDP: address type, address and port. */
function connection(message: string): { type: string; address: string; port: number } {
  const c = /^c=IN (IP[46]) (\S+)/m.exec(message);
  return { type: c?.[1] ?? '', address: c?.[2] ?? '', port: Number(/^m=audio (\d+)/m.exec(message)?.[1] ?? NaN) };
}

describe('dual-stack SIP and media (sipp over IPv6 and IPv4)', () => {
  before(async () => {
    const dataDir = tempDataDir();
    tenant = await seedTenant(
      dataDir,
      DOMAIN,
      ['600', '601', '602', '610', '611', '620', '621'].map((number) => ({ number, password: PASSWORD })),
    );
    apiToken = await operatorToken(dataDir);
    server = await startCentrala({ dataDir, extraArgs: ['--sip-host', '127.0.0.1,::1'] });
  });

  after(async () => {
    await server?.stop();
  });

  it('devices register over UDP and TCP from ::1 and over UDP from 127.0.0.1; the API shows each source', async () => {
    await register('600', '::1', 'udp');
    await register('601', '::1', 'tcp');
    await register('602', '127.0.0.1', 'udp');
    const [udp6] = await devices('600');
    const [tcp6] = await devices('601');
    const [udp4] = await devices('602');
    assert.deepEqual([udp6?.sourceAddress, udp6?.transport], ['::1', 'udp']);
    assert.match(udp6?.contact ?? '', /^sip:600@\[::1\]:\d+/);
    assert.deepEqual([tcp6?.sourceAddress, tcp6?.transport], ['::1', 'tcp']);
    assert.deepEqual([udp4?.sourceAddress, udp4?.transport], ['127.0.0.1', 'udp']);
  });

  for (const callerHost of ['::1', '127.0.0.1'] as const) {
    const [caller, callee] = callerHost === '::1' ? ['610', '611'] : ['620', '621'];
    it(`a call from ${callerHost} to an IPv6 device: each leg's SDP is on its device's family, and RTP crosses over IPv6`, { timeout: 40_000 }, async () => {
      const devicePort = await register(callee, '::1');
      const echoPort = await freePort();
      // The callee answers and echoes every RTP packet it gets (sipp -rtp_echo on its media port).
      const device = await startSipp({
        scenario: 'call-uas-answer.xml',
        users: [],
        ipv6: true,
        localPort: devicePort,
        timeoutMs: 20_000,
        traceMessages: true,
        extraArgs: ['-rtp_echo', '-mp', String(echoPort)],
      });
      const tag = randomBytes(6).toString('hex');
      const calling = await startSipp({
        scenario: 'call-uac-caller-hangs-up.xml',
        host: callerHost,
        port: server.ports.sip,
        users: [{ user: caller, domain: DOMAIN, password: PASSWORD }],
        keys: { callee },
        authUri: `${callee}@${DOMAIN}`,
        callIdFormat: `six-${tag}-%u@%s`,
        pauseMs: 3000,
        timeoutMs: 20_000,
        traceMessages: true,
      });

      // The answer the caller got (it talks for 3 s after it).
      let answer: string | undefined;
      for (let i = 0; answer === undefined && i < 100; i++) {
        await new Promise((r) => setTimeout(r, 50));
        answer = tracedWith(calling.trace(), 'received', 200).find((m) => /^CSeq: *2 INVITE/im.test(m.text))?.text;
      }
      assert.ok(answer !== undefined, `the caller got no 200
${calling.trace().slice(-3000)}
${server.output.slice(-2000)}`);
      const toCaller = connection(answer);
      assert.deepEqual([toCaller.type, toCaller.address], callerHost === '::1' ? ['IP6', '::1'] : ['IP4', '127.0.0.1'], answer);
      const invite = tracedWith(device.trace(), 'received', 'INVITE')[0]?.text ?? '';
      const toCallee = connection(invite);
      assert.deepEqual([toCallee.type, toCallee.address], ['IP6', '::1'], invite);

      // RTP from the caller's side reaches the callee over IPv6 and its echo comes back through the relay.
      const media = dgram.createSocket(callerHost === '::1' ? 'udp6' : 'udp4');
      const echoed: number[] = [];
      media.on('message', (m) => echoed.push(m[12] ?? -1));
      await new Promise<void>((resolve) => media.bind(0, callerHost, resolve));
      try {
        for (let seq = 0; seq < 10 && echoed.length === 0; seq++) {
          const packet = Buffer.alloc(172, 0x5a);
          packet[0] = 0x80;
          packet[1] = 0; // PCMU
          packet.writeUInt16BE(seq, 2);
          packet.writeUInt32BE(seq * 160, 4);
          packet.writeUInt32BE(0x00c0ffee, 8);
          media.send(packet, toCaller.port, callerHost);
          await new Promise((r) => setTimeout(r, 100));
        }
      } finally {
        media.close();
      }
      assert.ok(echoed.includes(0x5a), `no RTP came back through the relay (got ${echoed.length} packets)`);

      const [r, dev] = await Promise.all([calling.result, device.result]);
      assert.equal(r.exitCode, 0, `caller: ${explain(r)}`);
      assert.equal(dev.exitCode, 0, `callee: ${explain(dev)}`);
    });
  }
});
