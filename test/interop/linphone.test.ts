/**
 * Linphone (linphonec 5.1, Debian's linphone-cli) against a RUNNING Centrala, with baresip on the other end:
 * Linphone registers with a SHA-256 digest (it takes the first challenge) and shows in the API; it calls baresip
 * and baresip calls it, each phone plays its own tone from a WAV file and records what it hears, and the Goertzel
 * analysis proves both directions carried the other phone's tone. Each call is hung up from a different side.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { analyseRecording, assertHeardOther, writeToneWav } from '../support/audio-tones.js';
import { baresipRecording, startBaresip, type BaresipProcess } from '../support/baresip.js';
import { freePort, operatorToken, seedTenant, startCentrala, tempDataDir, type CentralaProcess, type SeededTenant } from '../support/centrala-process.js';
import { startLinphone, type LinphoneProcess } from '../support/linphone.js';

const DOMAIN = 'linphone.test';
const PASSWORD = 'Linphone4Interop9';
/** Linphone is 100 and plays 440 Hz; baresip is 101 and plays 1000 Hz. */
const LINPHONE = { number: '100', tone: 440 } as const;
const BARESIP = { number: '101', tone: 1000 } as const;
const TALK_MS = 4000;
/**
 * Linphone plays its file with a clock a little off (440 Hz arrives as about 438 Hz), which a whole-recording
 * Goertzel bin 0.2 Hz wide penalises; the 100 ms block ratios and the heard/own ratio stay strict.
 */
const MIN_LEVEL_OF_LINPHONE_TONE = 0.3;

describe('Linphone through Centrala (with baresip on the other end)', () => {
  let server: CentralaProcess;
  let tenant: SeededTenant;
  let apiToken: string;
  let workDir: string;
  let linphone: LinphoneProcess | undefined;
  let baresip: BaresipProcess | undefined;

  before(async () => {
    const dataDir = tempDataDir();
    tenant = await seedTenant(dataDir, DOMAIN, [
      { number: LINPHONE.number, password: PASSWORD, name: 'Lena Linphone' },
      { number: BARESIP.number, password: PASSWORD, name: 'Bartek Baresip' },
    ]);
    apiToken = await operatorToken(dataDir);
    server = await startCentrala({ dataDir });
    workDir = mkdtempSync(join(tmpdir(), 'centrala-linphone-test-'));
    writeToneWav(join(workDir, 'linphone.wav'), LINPHONE.tone, 30_000);
    writeToneWav(join(workDir, 'baresip.wav'), BARESIP.tone, 30_000);
    mkdirSync(join(workDir, 'baresip-heard'));

    linphone = startLinphone({
      user: LINPHONE.number,
      domain: DOMAIN,
      password: PASSWORD,
      proxyPort: server.ports.sip,
      sipPort: await freePort(),
      rtpPort: await freePort(),
      autoAnswer: true,
    });
    baresip = startBaresip({
      user: BARESIP.number,
      domain: DOMAIN,
      password: PASSWORD,
      transport: 'udp',
      proxyPort: server.ports.sip,
      audio: { sourceWav: join(workDir, 'baresip.wav'), recordDir: join(workDir, 'baresip-heard') },
      audioCodecs: ['PCMU'],
      autoAnswer: true,
      controlPort: await freePort(),
      quitAfterSec: 120,
    });
    await baresip.ready();
    await baresip.waitFor(/200 OK \(Centrala\) \[1 binding\]/, 10_000);
    await linphone.registered();
  });

  after(async () => {
    await linphone?.stop();
    await baresip?.stop();
    await server?.stop();
    if (workDir) rmSync(workDir, { recursive: true, force: true });
  });

  const diagnostics = (): string =>
    `--- linphone\n${linphone?.output.slice(-3000) ?? ''}\n--- baresip\n${baresip?.output.slice(-3000) ?? ''}\n--- centrala\n${server.output.slice(-3000)}`;

  /** Starts Linphone's audio for the call it is in: its tone out, what it hears into `recording`. */
  function linphoneTalks(recording: string): void {
    linphone?.send(`play ${join(workDir, 'linphone.wav')}`);
    linphone?.send(`record ${recording}`);
  }

  /** Asserts both recordings of a call (Linphone heard baresip's tone, baresip heard Linphone's); returns the figures. */
  function assertBothHeard(linphoneRecording: string): string {
    const heardByBaresip = baresipRecording(join(workDir, 'baresip-heard'), 'dec');
    assert.ok(heardByBaresip, 'baresip recorded nothing');
    const byLinphone = analyseRecording(linphoneRecording, BARESIP.tone, LINPHONE.tone);
    const byBaresip = analyseRecording(heardByBaresip, LINPHONE.tone, BARESIP.tone);
    assertHeardOther(byLinphone, 'Linphone');
    assertHeardOther(byBaresip, 'baresip', MIN_LEVEL_OF_LINPHONE_TONE);
    return JSON.stringify({ heardByLinphone: byLinphone, heardByBaresip: byBaresip });
  }

  it('registers with digest and shows in the API with its user agent and instance id', async () => {
    const [device] = await server.devices(tenant, LINPHONE.number, apiToken);
    assert.match(device?.userAgent ?? '', /^Linphonec?\//);
    assert.equal(device?.transport, 'udp');
    assert.match(device?.instanceId ?? '', /^<urn:uuid:/);
  });

  it('Linphone calls baresip: each hears the other; Linphone hangs up and baresip is released', { timeout: 40_000 }, async (t) => {
    try {
      const phone = linphone as LinphoneProcess;
      const bare = baresip as BaresipProcess;
      const mark = phone.mark;
      phone.send(`call sip:${BARESIP.number}@${DOMAIN}`);
      await phone.waitFor(/Media streams established/, 10_000, mark);
      await bare.waitForEvent('CALL_ESTABLISHED', 5000, ['CALL_CLOSED']);
      const recording = join(workDir, 'linphone-heard-1.wav');
      linphoneTalks(recording);
      await new Promise((r) => setTimeout(r, TALK_MS));
      phone.send('terminate');
      await phone.waitFor(/Call \d+ with [^\n]* ended/, 5000, mark);
      // baresip learns of the end only from the BYE Centrala relays to it.
      await bare.waitForEvent('CALL_CLOSED', 5000);
      t.diagnostic(assertBothHeard(recording));
    } catch (err) {
      if (err instanceof Error) err.message += `\n${diagnostics()}`;
      throw err;
    }
  });

  it('baresip calls Linphone, which answers by itself: each hears the other; baresip hangs up', { timeout: 40_000 }, async (t) => {
    try {
      const phone = linphone as LinphoneProcess;
      const bare = baresip as BaresipProcess;
      const mark = phone.mark;
      const dial = await bare.command('dial', `sip:${LINPHONE.number}@${DOMAIN}`);
      assert.ok(dial.ok, `dial refused: ${dial.data}`);
      await phone.waitFor(/Media streams established/, 10_000, mark);
      // The caller ID Centrala gives the callee: the caller's account name and number.
      await phone.waitFor(/Receiving new incoming call from "Bartek Baresip" <sip:101@linphone\.test>/, 1000, mark);
      await bare.waitForEvent('CALL_ESTABLISHED', 5000, ['CALL_CLOSED']);
      const recording = join(workDir, 'linphone-heard-2.wav');
      linphoneTalks(recording);
      await new Promise((r) => setTimeout(r, TALK_MS));
      const hangup = await bare.command('hangup');
      assert.ok(hangup.ok, `hangup refused: ${hangup.data}`);
      await bare.waitForEvent('CALL_CLOSED', 5000);
      await phone.waitFor(/Call \d+ with [^\n]* ended/, 5000, mark);
      t.diagnostic(assertBothHeard(recording));
    } catch (err) {
      if (err instanceof Error) err.message += `\n${diagnostics()}`;
      throw err;
    }
  });
});
