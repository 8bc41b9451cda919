import { afterEach, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { FakeClock, InvalidStateError } from '../../lib/index.js';
import { g711Decode, g711Encode, generateTone, readNarrowbandWav, readWav, renderTone, toneLevel } from '../codec/index.js';
import { TelephoneEvent } from '../dtmf/index.js';
import { MediaEngine } from '../engine.js';
import { RtpPacket, seqAdd, timestampDiff } from '../rtp/index.js';
import { UdpPeer } from '../../../test/support/udp-peer.js';
import type { MediaEndpoint, ReceivedDigit } from './media-endpoint.js';

const PROMPT = new URL('../../../prompts/en/echo-test.wav', import.meta.url).pathname;

function offerSdp(port: number, formats = '8 0 101', direction = 'sendrecv'): string {
  const rtpmaps = formats
    .split(' ')
    .map((f) => ({ '0': 'a=rtpmap:0 PCMU/8000', '8': 'a=rtpmap:8 PCMA/8000', '101': 'a=rtpmap:101 telephone-event/8000', '111': 'a=rtpmap:111 opus/48000/2' })[f] ?? '');
  return ['v=0', 'o=- 42 1 IN IP4 127.0.0.1', 's=-', 'c=IN IP4 127.0.0.1', 't=0 0', `m=audio ${port} RTP/AVP ${formats}`, ...rtpmaps, `a=${direction}`, ''].join('\r\n');
}

/** The audio of a WAV prompt, 8 kHz. */
function promptSamples(path: string): Int16Array {
  const audio = readNarrowbandWav(readFileSync(path));
  assert.ok(audio.ok);
  return audio.value;
}

/** 20 ms RTP packets of `samples` in `law` (payload type 8 or 0), seq from `seq0`. */
function packetsOf(samples: Int16Array, law: 'PCMU' | 'PCMA', seq0 = 1000, ssrc = 0x5eed): RtpPacket[] {
  const out: RtpPacket[] = [];
  for (let i = 0; i * 160 < samples.length; i++) {
    const frame = new Int16Array(160);
    frame.set(samples.subarray(i * 160, i * 160 + 160));
    out.push(
      RtpPacket.create({
        marker: i === 0,
        payloadType: law === 'PCMA' ? 8 : 0,
        sequenceNumber: (seq0 + i) & 0xffff,
        timestamp: 4000 + i * 160,
        ssrc,
        payload: g711Encode(law, frame),
      }),
    );
  }
  return out;
}

/** What G.711 makes of `samples`, padded to whole 20 ms frames as the packets carry them. */
function throughG711(samples: Int16Array, law: 'PCMU' | 'PCMA'): Int16Array {
  const padded = new Int16Array(Math.ceil(samples.length / 160) * 160);
  padded.set(samples);
  return g711Decode(law, g711Encode(law, padded));
}

/** Normalised cross-correlation at lag 0 (1 = identical shape). */
function correlation(a: Int16Array, b: Int16Array): number {
  let ab = 0;
  let aa = 0;
  let bb = 0;
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    ab += (a[i] ?? 0) * (b[i] ?? 0);
    aa += (a[i] ?? 0) ** 2;
    bb += (b[i] ?? 0) ** 2;
  }
  return ab / Math.sqrt(aa * bb);
}

describe('MediaEndpoint over real UDP on 127.0.0.1', { timeout: 10_000 }, () => {
  let clock: FakeClock;
  let engine: MediaEngine;
  let ep: MediaEndpoint;
  let phone: UdpPeer;
  let eventSeq = 0;

  beforeEach(async () => {
    clock = new FakeClock();
    engine = new MediaEngine({ portRange: { min: 42600, max: 42799 }, clock: new FakeClock(), endpointClock: clock });
    ep = await engine.createEndpoint('call-1');
    phone = await UdpPeer.open();
  });

  afterEach(() => {
    engine.close();
    phone.close();
  });

  function answer(formats = '8 0 101', direction = 'sendrecv'): string {
    const result = ep.answer(offerSdp(phone.port, formats, direction));
    assert.ok(result.ok, result.ok ? '' : result.detail);
    return result.sdp;
  }

  async function send(packets: readonly RtpPacket[]): Promise<void> {
    for (const p of packets) await phone.send(p.serialize(), ep.rtpPort);
  }

  /** One DTMF digit as RFC 4733 packets (a start packet, then the end packet three times, §2.5.1.4). */
  async function sendDigit(digit: string): Promise<void> {
    const timestamp = 900_000 + eventSeq * 1000;
    const make = (end: boolean, duration: number): Buffer =>
      RtpPacket.create({
        marker: !end,
        payloadType: 101,
        sequenceNumber: 30_000 + eventSeq++,
        timestamp,
        ssrc: 0x5eed,
        payload: TelephoneEvent.fromDigit(digit, { end, duration }).serialize(),
      }).serialize();
    await phone.send(make(false, 160), ep.rtpPort);
    for (let i = 0; i < 3; i++) await phone.send(make(true, 800), ep.rtpPort);
  }

  /** Resolves with the next digit the endpoint reports (2 s guard). */
  function nextDigit(): Promise<ReceivedDigit> {
    return new Promise((resolve, reject) => {
      const guard = setTimeout(() => reject(new Error('no digit within 2 s')), 2000);
      const off = ep.on('dtmf', (d) => {
        clearTimeout(guard);
        off();
        resolve(d);
      });
    });
  }

  /**
   * Receives `count` RTP packets, advancing the endpoint's clock 20 ms before each after the first
   * (the first of a talkspurt goes out at once), or before every one when the stream is running.
   */
  async function receive(count: number, running = false): Promise<{ packet: RtpPacket; port: number }[]> {
    const out: { packet: RtpPacket; port: number }[] = [];
    for (let i = 0; i < count; i++) {
      if (i > 0 || running) clock.advance(20);
      const { data, port } = await phone.next();
      const parsed = RtpPacket.parse(data);
      assert.ok(parsed.ok);
      out.push({ packet: parsed.value, port });
    }
    return out;
  }

  describe('SDP', () => {
    it('answers with the offerer\'s first G.711 codec, telephone-event and its own port', () => {
      const sdp = answer('8 0 101');
      assert.match(sdp, new RegExp(`m=audio ${ep.rtpPort} RTP/AVP 8 0 101\\r\\n`));
      assert.match(sdp, /a=rtpmap:101 telephone-event\/8000\r\na=fmtp:101 0-15\r\n/);
      assert.match(sdp, /c=IN IP4 127\.0\.0\.1\r\n/);
      assert.equal(ep.codec, 'PCMA');
    });

    it('refuses an offer without G.711 (488) and one that is not SDP (400)', () => {
      const noCodec = ep.answer(offerSdp(phone.port, '111'));
      assert.equal(noCodec.ok, false);
      assert.equal(!noCodec.ok && noCodec.reason, 'noCommonCodec');
      const garbage = ep.answer('hello');
      assert.equal(!garbage.ok && garbage.reason, 'invalidSdp');
    });

    it('makes an offer and takes the answer: sends with the answered codec', async () => {
      const offer = ep.createOffer();
      assert.match(offer, new RegExp(`m=audio ${ep.rtpPort} RTP/AVP 0 8 101\\r\\n`));
      assert.match(offer, /a=rtpmap:0 PCMU\/8000\r\na=rtpmap:8 PCMA\/8000\r\na=rtpmap:101 telephone-event\/8000\r\na=fmtp:101 0-15\r\na=ptime:20\r\na=sendrecv\r\n/);
      assert.throws(() => ep.answer(offerSdp(phone.port)), InvalidStateError, 'glare while our offer is pending');
      const accepted = ep.acceptAnswer(offerSdp(phone.port, '8 101'));
      assert.ok(accepted.ok);
      assert.equal(ep.codec, 'PCMA');
      const playing = ep.play({ silenceMs: 20 });
      const [first] = await receive(1);
      assert.equal(first?.packet.payloadType, 8);
      clock.advance(20);
      assert.deepEqual(await playing, { reason: 'done' });
    });
  });

  describe('playing', () => {
    it('plays a prompt file and a beep as one stream: 20 ms packets, +1 sequence, +160 timestamp, one marker', async () => {
      answer('0 8 101');
      const prompt = promptSamples(PROMPT);
      const expected = throughG711(Int16Array.from([...prompt, ...renderTone('beep')]), 'PCMU');
      const frames = expected.length / 160;
      const playing = ep.play([{ file: PROMPT }, { tone: 'beep' }]);
      const got = await receive(frames);
      clock.advance(20);
      assert.deepEqual(await playing, { reason: 'done' });
      assert.equal(phone.queued, 0, 'nothing after the last frame');
      const first = got[0]!.packet;
      got.forEach(({ packet, port }, i) => {
        assert.equal(port, ep.rtpPort, 'symmetric RTP: sent from the port we receive on');
        assert.equal(packet.payloadType, 0);
        assert.equal(packet.ssrc, ep.ssrc);
        assert.equal(packet.marker, i === 0, `marker of packet ${i}`);
        assert.equal(packet.sequenceNumber, seqAdd(first.sequenceNumber, i));
        assert.equal(timestampDiff(first.timestamp, packet.timestamp), 160 * i);
      });
      const heard = Int16Array.from(got.flatMap(({ packet }) => [...g711Decode('PCMU', packet.payload)]));
      assert.deepEqual(heard, expected, 'the audio sent is the prompt then the beep, sample for sample');
      assert.ok(toneLevel(heard, 1000, 8000, heard.length - 2000) > 0.95, 'the beep is 1 kHz');
    });

    it('continues timestamps across plays started back to back and marks the next talkspurt after a pause', async () => {
      answer();
      const one = ep.play({ silenceMs: 40 });
      const a = await receive(2);
      clock.advance(20);
      await one;
      const two = ep.play({ tone: 'busy', durationMs: 40 });
      const b = await receive(2);
      clock.advance(20);
      await two;
      clock.advance(200);
      const three = ep.play({ silenceMs: 20 });
      const c = await receive(1);
      clock.advance(20);
      await three;
      const all = [...a, ...b, ...c].map((x) => x.packet);
      assert.deepEqual(all.map((p) => p.marker), [true, false, false, false, true]);
      assert.deepEqual(all.map((p) => timestampDiff(all[0]!.timestamp, p.timestamp)), [0, 160, 320, 480, 160 * 14]);
      assert.deepEqual(all.map((p) => seqAdd(p.sequenceNumber, -all[0]!.sequenceNumber)), [0, 1, 2, 3, 4]);
    });

    it('sends nothing while the phone holds the call (a=sendonly), and again after it resumes', async () => {
      answer('0 101', 'sendonly');
      const held = ep.play({ silenceMs: 100 });
      await new Promise((resolve) => setImmediate(resolve)); // play() has rendered its items and started
      clock.advance(100);
      assert.deepEqual(await held, { reason: 'done' });
      answer('0 101', 'sendrecv');
      const resumed = ep.play({ silenceMs: 20 });
      const [p] = await receive(1);
      assert.equal(p?.packet.marker, true);
      clock.advance(20);
      await resumed;
      assert.equal(phone.queued, 0);
    });

    it('rejects an unplayable item before sending anything, naming it', async () => {
      answer();
      await assert.rejects(ep.play([{ silenceMs: 20 }, { file: '/nonexistent/prompt.wav' }]), /cannot play \/nonexistent\/prompt\.wav: ENOENT/);
      await assert.rejects(ep.play({ wav: Buffer.from('RIFF') }), /cannot play item 1: not a WAV file/);
      assert.equal(phone.queued, 0);
    });

    it('stops at abort and at close, leaving no timer behind; methods after close throw', async () => {
      answer();
      const controller = new AbortController();
      const playing = ep.play({ tone: 'ringback', durationMs: 60_000 }, { signal: controller.signal });
      await receive(3);
      controller.abort();
      assert.deepEqual(await playing, { reason: 'aborted' });
      const again = ep.play({ tone: 'ringback', durationMs: 60_000 });
      const collecting = ep.collect();
      const recording = ep.record();
      await new Promise((resolve) => setImmediate(resolve)); // play() has rendered its items and started
      await receive(1, true);
      ep.close();
      assert.deepEqual(await again, { reason: 'closed' });
      assert.deepEqual(await collecting, { digits: '', reason: 'closed' });
      assert.equal((await recording).reason, 'closed');
      assert.equal(clock.pending, 0, 'no timer left');
      assert.throws(() => ep.collect(), InvalidStateError);
      await assert.rejects(ep.play({ silenceMs: 20 }), InvalidStateError);
      assert.equal(engine.endpoints.size, 0);
      assert.equal(engine.ports.inUse, 0, 'ports released');
    });
  });

  describe('recording', () => {
    it('records a WAV played into it over RTP sample for sample (PCMA), ended by # as RFC 4733', async () => {
      answer('8 101');
      const prompt = promptSamples(PROMPT);
      const recording = ep.record({ trimSilence: false });
      await send(packetsOf(prompt, 'PCMA'));
      await sendDigit('#');
      const result = await recording;
      assert.equal(result.reason, 'digit');
      assert.equal(result.digit, '#');
      assert.deepEqual(result.samples, throughG711(prompt, 'PCMA'));
      const wav = readWav(result.wav);
      assert.ok(wav.ok);
      assert.deepEqual([wav.value.encoding, wav.value.sampleRate, wav.value.channels], ['pcm16', 8000, 1]);
      assert.deepEqual(wav.value.samples, result.samples);
    });

    it('trims the silence around speech and matches the original by correlation', async () => {
      answer('0 101');
      const prompt = promptSamples(PROMPT);
      const padded = Int16Array.from([...new Int16Array(8000), ...prompt, ...new Int16Array(8000)]);
      const recording = ep.record();
      await send(packetsOf(padded, 'PCMU'));
      await sendDigit('#');
      const result = await recording;
      // The prompt's own 50 ms lead-in and 100 ms tail, and its quietest edges, are trimmed too.
      assert.ok(result.durationMs <= prompt.length / 8 && result.durationMs > prompt.length / 8 - 400, `duration ${result.durationMs} ms`);
      const start = padded.findIndex((s) => Math.abs(s) >= 250) - ((padded.findIndex((s) => Math.abs(s) >= 250)) % 160);
      const original = throughG711(padded, 'PCMU').subarray(start, start + result.samples.length);
      assert.ok(correlation(original, result.samples) > 0.99);
    });

    it('keeps length and order through loss, reordering and duplicates', async () => {
      answer('0 101');
      const tone = generateTone({ frequencies: [1000], durationMs: 1000, amplitude: 0.3 });
      const packets = packetsOf(tone, 'PCMU');
      const sent = [...packets];
      sent.splice(20, 1); // packet 20 lost
      [sent[5], sent[6]] = [sent[6]!, sent[5]!]; // reordered
      [sent[30], sent[32]] = [sent[32]!, sent[30]!];
      sent.splice(10, 0, packets[9]!); // a duplicate of 9 after it
      sent.splice(40, 0, packets[3]!); // a very late duplicate
      const recording = ep.record({ trimSilence: false });
      await send(sent);
      await sendDigit('#');
      const result = await recording;
      assert.equal(result.samples.length, 50 * 160, 'the lost packet became 20 ms of silence');
      const expected = throughG711(tone, 'PCMU');
      expected.fill(0, 20 * 160, 21 * 160);
      assert.deepEqual(result.samples, expected);
    });

    it('stops after the silence limit, then at the maximum length', async () => {
      answer('0 101');
      const tone = generateTone({ frequencies: [440], durationMs: 1000, amplitude: 0.3 });
      const quiet = ep.record({ maxSilenceMs: 300 });
      await send(packetsOf(Int16Array.from([...tone.subarray(0, 1600), ...new Int16Array(8000)]), 'PCMU'));
      const stopped = await quiet;
      assert.equal(stopped.reason, 'silence');
      assert.equal(stopped.durationMs, 200, 'the trailing silence is trimmed');
      // Silence still arriving from the first send is leading silence here, and trimmed.
      const capped = ep.record({ maxDurationMs: 500 });
      await send(packetsOf(tone, 'PCMU', 2000, 0xbee));
      const result = await capped;
      assert.equal(result.reason, 'maxDuration');
      assert.equal(result.durationMs, 500);
    });
  });

  describe('digits', () => {
    it('collects up to maxDigits, typed-ahead digits first', async () => {
      answer();
      await sendDigit('1');
      await nextDigit();
      const collecting = ep.collect({ maxDigits: 3 });
      await sendDigit('2');
      await sendDigit('3');
      await sendDigit('4');
      assert.deepEqual(await collecting, { digits: '123', reason: 'maxDigits' });
      assert.deepEqual(await ep.collect({ maxDigits: 1 }), { digits: '4', reason: 'maxDigits' });
    });

    it('ends at the terminator, which is not part of the digits', async () => {
      answer();
      const collecting = ep.collect({ maxDigits: 8 });
      for (const d of '4711#') await sendDigit(d);
      assert.deepEqual(await collecting, { digits: '4711', reason: 'terminator', terminator: '#' });
    });

    it('times out waiting for the first digit, then between digits', async () => {
      answer();
      let settled = false;
      const first = ep.collect({ firstDigitTimeoutMs: 5000, interDigitTimeoutMs: 2000 });
      void first.then(() => (settled = true));
      clock.advance(4999);
      await Promise.resolve();
      assert.equal(settled, false);
      clock.advance(1);
      assert.deepEqual(await first, { digits: '', reason: 'timeout' });

      const second = ep.collect({ firstDigitTimeoutMs: 5000, interDigitTimeoutMs: 2000 });
      clock.advance(3000);
      await sendDigit('5');
      await nextDigit();
      clock.advance(1999);
      await sendDigit('6');
      await nextDigit();
      clock.advance(1999);
      clock.advance(1);
      assert.deepEqual(await second, { digits: '56', reason: 'timeout' });
    });

    it('barge-in: a digit stops the prompt and is the first digit collected', async () => {
      answer();
      const playing = ep.play({ tone: 'ringback', durationMs: 30_000 }, { bargeIn: true });
      await receive(2);
      await sendDigit('7');
      assert.deepEqual(await playing, { reason: 'digit' });
      assert.deepEqual(await ep.collect({ maxDigits: 1 }), { digits: '7', reason: 'maxDigits' });
      // A digit typed ahead skips a barge-in prompt at once.
      await sendDigit('8');
      await nextDigit();
      assert.deepEqual(await ep.play({ tone: 'ringback', durationMs: 30_000 }, { bargeIn: true }), { reason: 'digit' });
    });

    it('without barge-in the prompt plays on over a digit', async () => {
      answer();
      const playing = ep.play({ silenceMs: 60 });
      await receive(1);
      await sendDigit('3');
      await nextDigit();
      await receive(2, true);
      clock.advance(20);
      assert.deepEqual(await playing, { reason: 'done' });
      assert.deepEqual(await ep.collect({ maxDigits: 1 }), { digits: '3', reason: 'maxDigits' });
    });

    it('takes digits from SIP INFO bodies the call engine passes in, and names a bad body', async () => {
      answer();
      const collecting = ep.collect({ maxDigits: 2 });
      assert.deepEqual(ep.receiveInfoDtmf('application/dtmf-relay', 'Signal=9\r\nDuration=160\r\n'), { ok: true, value: { digit: '9', durationMs: 160 } });
      assert.equal(ep.receiveInfoDtmf('application/dtmf', 'x').ok, false);
      ep.receiveInfoDtmf('application/dtmf', '*');
      assert.deepEqual(await collecting, { digits: '9*', reason: 'maxDigits' });
    });

    it('ignores INFO digits once the phone sends RFC 4733 (phones set to both send each key twice)', async () => {
      answer();
      const collecting = ep.collect({ maxDigits: 2 });
      await sendDigit('1');
      await nextDigit();
      assert.equal(ep.receiveInfoDtmf('application/dtmf-relay', 'Signal=1\r\nDuration=160').ok, true);
      await sendDigit('2');
      assert.deepEqual(await collecting, { digits: '12', reason: 'maxDigits' });
    });

    it('an aborted collect resolves with what it had', async () => {
      answer();
      const controller = new AbortController();
      const collecting = ep.collect({ signal: controller.signal });
      await sendDigit('2');
      await nextDigit();
      controller.abort();
      assert.deepEqual(await collecting, { digits: '2', reason: 'aborted' });
      assert.equal(clock.pending, 0);
    });
  });

  it('ignores malformed datagrams, foreign payload types and other sources', async () => {
    answer('0 101');
    const stranger = await UdpPeer.open();
    try {
      const collecting = ep.collect({ maxDigits: 1 });
      await phone.send(Buffer.from('not rtp at all'), ep.rtpPort);
      await phone.send(Buffer.alloc(12), ep.rtpPort); // version 0
      const truncatedEvent = RtpPacket.create({ payloadType: 101, sequenceNumber: 1, timestamp: 1, ssrc: 9, payload: Buffer.from([1, 0x80]) });
      await phone.send(truncatedEvent.serialize(), ep.rtpPort);
      const foreign = RtpPacket.create({ payloadType: 18, sequenceNumber: 2, timestamp: 1, ssrc: 9, payload: Buffer.alloc(20) });
      await phone.send(foreign.serialize(), ep.rtpPort);
      await sendDigit('5'); // latches onto the phone
      assert.deepEqual(await collecting, { digits: '5', reason: 'maxDigits' });
      const fromStranger = RtpPacket.create({ payloadType: 101, sequenceNumber: 3, timestamp: 77, ssrc: 10, payload: TelephoneEvent.fromDigit('9', { end: true, duration: 800 }).serialize() });
      await stranger.send(fromStranger.serialize(), ep.rtpPort);
      await sendDigit('6');
      await nextDigit();
      // Had the stranger's 9 been taken, it would be the first digit typed ahead.
      assert.deepEqual(await ep.collect({ maxDigits: 1 }), { digits: '6', reason: 'maxDigits' });
    } finally {
      stranger.close();
    }
  });

  it('closes with the engine: operations end with reason closed, ports are released', async () => {
    answer();
    const closed = new Promise<string>((resolve) => ep.on('closed', resolve));
    const playing = ep.play({ tone: 'dial', durationMs: 10_000 });
    await receive(1);
    engine.close();
    assert.deepEqual(await playing, { reason: 'closed' });
    assert.equal(await closed, 'engineClosed');
    assert.equal(ep.closed, true);
    assert.equal(engine.ports.inUse, 0);
    await assert.rejects(engine.createEndpoint('call-2'), InvalidStateError);
  });

  it('echoes what it receives back to the phone', async () => {
    answer('0 101');
    const controller = new AbortController();
    const echoing = ep.echo({ signal: controller.signal });
    const tone = generateTone({ frequencies: [1000], durationMs: 200, amplitude: 0.3 });
    await send(packetsOf(tone, 'PCMU'));
    // Let the jitter buffer release what it holds, then take 20 packets of echo.
    const got = await receive(20);
    controller.abort();
    assert.deepEqual(await echoing, { reason: 'aborted' });
    const frames = got.map(({ packet }) => g711Decode('PCMU', packet.payload)).filter((f) => f.some((s) => s !== 0));
    assert.equal(frames.length, 10, 'the 200 ms sent come back as 10 frames (silence around them)');
    const heard = Int16Array.from(frames.flatMap((f) => [...f]));
    assert.ok(toneLevel(heard, 1000, 8000) > 0.99, 'the echo holds the 1 kHz tone');
  });
});
