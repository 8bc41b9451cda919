/**
 * Real audio through a running Centrala: two baresip 1.0.0 phones register to extensions 100 and 101
 * over UDP; 100 dials 101, which answers by itself. Each phone plays its own tone from a WAV file
 * (100: 440 Hz, 101: 1000 Hz — far apart and not harmonics of each other) and records what it hears
 * (baresip's sndfile filter). The Goertzel filter of the media engine then proves from each recording
 * that the phone heard the other's tone and not its own, for about as long as the call lasted.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { analyseRecording, assertHeardOther, HEARING, writeToneWav, type ToneAnalysis } from '../support/audio-tones.js';
import { baresipRecording, startBaresip, type BaresipProcess } from '../support/baresip.js';
import {
  freePort,
  seedTenant,
  startCentrala,
  tempDataDir,
  type CentralaProcess,
} from '../support/centrala-process.js';

const DOMAIN = 'acme.test';
const PASSWORD = 'AudioInterop4Calls';
const CALLER = { number: '100', tone: 440 } as const;
const CALLEE = { number: '101', tone: 1000 } as const;
/** How long the phones talk before the caller hangs up. */
const TALK_MS = 4000;
/** The tone files outlast the call, so aufile never runs dry. */
const TONE_FILE_MS = 30_000;
/**
 * RTP port ranges below the ephemeral ports (32768+): Centrala's relay (`--rtp-ports`) and each phone's
 * own, apart from each other, so the source of the audio a phone receives shows it came through the relay.
 */
const RTP_BASE = 30_000 + 300 * Math.floor(Math.random() * 9);
const RELAY_PORTS = [RTP_BASE, RTP_BASE + 199] as const;
const PHONE_RTP_PORTS = {
  [CALLER.number]: [RTP_BASE + 200, RTP_BASE + 249],
  [CALLEE.number]: [RTP_BASE + 250, RTP_BASE + 299],
} as const satisfies Record<string, readonly [number, number]>;


describe('a call through Centrala carries audio both ways', () => {
  let server: CentralaProcess;
  let workDir: string;

  before(async () => {
    const dataDir = tempDataDir();
    await seedTenant(dataDir, DOMAIN, [
      { number: CALLER.number, password: PASSWORD },
      { number: CALLEE.number, password: PASSWORD },
    ]);
    server = await startCentrala({ dataDir, extraArgs: ['--rtp-ports', `${RELAY_PORTS[0]}-${RELAY_PORTS[1]}`] });
    workDir = mkdtempSync(join(tmpdir(), 'centrala-audio-'));
  });

  after(async () => {
    await server?.stop();
    if (workDir) rmSync(workDir, { recursive: true, force: true });
  });

  async function phone(party: typeof CALLER | typeof CALLEE, autoAnswer: boolean): Promise<BaresipProcess> {
    const source = join(workDir, `tone-${party.tone}.wav`);
    const recordDir = join(workDir, `heard-by-${party.number}`);
    writeToneWav(source, party.tone, TONE_FILE_MS);
    mkdirSync(recordDir);
    return startBaresip({
      user: party.number,
      domain: DOMAIN,
      password: PASSWORD,
      transport: 'udp',
      proxyPort: server.ports.sip,
      audio: { sourceWav: source, recordDir },
      audioCodecs: ['PCMU'],
      autoAnswer,
      rtpPorts: PHONE_RTP_PORTS[party.number],
      controlPort: await freePort(),
      quitAfterSec: 40,
    });
  }

  it('each side hears the other side’s tone and not its own; hanging up ends both legs', async (t) => {
    const phones: BaresipProcess[] = [];
    const diagnostics = (): string =>
      [`--- centrala\n${server.output}`, ...phones.map((p, i) => `--- baresip ${i === 0 ? CALLEE.number : CALLER.number}\n${p.output}`)].join('\n');
    try {
      const callee = await phone(CALLEE, true);
      phones.push(callee);
      const caller = await phone(CALLER, false);
      phones.push(caller);
      await Promise.all([callee.ready(), caller.ready()]);
      await callee.waitFor(/200 OK \(Centrala\) \[1 binding\]/, 10_000);
      await caller.waitFor(/200 OK \(Centrala\) \[1 binding\]/, 10_000);

      const dial = await caller.command('dial', `sip:${CALLEE.number}@${DOMAIN}`);
      assert.ok(dial.ok, `dial refused: ${dial.data}`);
      const established = await caller.waitForEvent('CALL_ESTABLISHED', 10_000, ['CALL_CLOSED']);
      await callee.waitForEvent('CALL_ESTABLISHED', 5000, ['CALL_CLOSED']);
      await new Promise((r) => setTimeout(r, TALK_MS));
      const hangup = await caller.command('hangup');
      assert.ok(hangup.ok, `hangup refused: ${hangup.data}`);
      const closed = await caller.waitForEvent('CALL_CLOSED', 5000);
      // The callee only learns of the end through the BYE Centrala sends it.
      await callee.waitForEvent('CALL_CLOSED', 5000);
      const callSeconds = (closed.at - established.at) / 1000;

      const heard = (party: typeof CALLER | typeof CALLEE, other: number): ToneAnalysis => {
        const file = baresipRecording(join(workDir, `heard-by-${party.number}`), 'dec');
        assert.ok(file, `${party.number} recorded nothing`);
        return analyseRecording(file, other, party.tone);
      };
      const sent = (party: typeof CALLER | typeof CALLEE, other: number): ToneAnalysis => {
        const file = baresipRecording(join(workDir, `heard-by-${party.number}`), 'enc');
        assert.ok(file, `${party.number} recorded nothing it sent`);
        return analyseRecording(file, party.tone, other);
      };
      const results = [
        { party: CALLER, heard: heard(CALLER, CALLEE.tone), sent: sent(CALLER, CALLEE.tone) },
        { party: CALLEE, heard: heard(CALLEE, CALLER.tone), sent: sent(CALLEE, CALLER.tone) },
      ];
      t.diagnostic(
        `call ${callSeconds.toFixed(2)} s; RTP to ${CALLER.number} from ${JSON.stringify(caller.rtpSource())}, ` +
          `to ${CALLEE.number} from ${JSON.stringify(callee.rtpSource())}; ${JSON.stringify(results)}`,
      );

      for (const { party, heard: h, sent: s } of results) {
        const who = `extension ${party.number}`;
        // Centrala relays the media: audio comes from its relay ports, not from the other phone.
        const source = phones[party === CALLEE ? 0 : 1]?.rtpSource();
        assert.equal(source?.address, '127.0.0.1', `${who}: no RTP, or not from 127.0.0.1`);
        const port = source?.port ?? 0;
        assert.ok(
          port >= RELAY_PORTS[0] && port <= RELAY_PORTS[1],
          `${who} received RTP from port ${port}, outside the relay's ${RELAY_PORTS.join('-')}`,
        );
        // The phone really played its tone (so a failure below is the path, not the source).
        assert.ok(s.heardLevel > HEARING.minHeardLevel, `${who} did not send its ${party.tone} Hz tone: ${JSON.stringify(s)}`);
        assertHeardOther(h, who);
        // Sensible length: most of the talk time, never more than the call lasted.
        assert.ok(h.seconds >= (TALK_MS / 1000) * 0.75, `${who} heard only ${h.seconds} s of a ${callSeconds} s call`);
        assert.ok(h.seconds <= callSeconds + 1, `${who} recorded ${h.seconds} s of a ${callSeconds} s call`);
      }
    } catch (err) {
      if (err instanceof Error) err.message += `\n${diagnostics()}`;
      throw err;
    } finally {
      for (const p of phones) await p.stop();
    }
  });
});
