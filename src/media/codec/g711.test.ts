import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  alawToLinear,
  g711Decode,
  g711Encode,
  linearToAlaw,
  linearToMulaw,
  mulawToLinear,
  G711_SILENCE,
} from './g711.js';
import { toneLevel } from './goertzel.js';

/** ITU-T G.711 Table 5: the µ-law "digital milliwatt", a 1 kHz sine at 0 dBm0 (as 8 repeating codes). */
const MULAW_MILLIWATT = [0x1e, 0x0b, 0x0b, 0x1e, 0x9e, 0x8b, 0x8b, 0x9e];
/** ITU-T G.711 Table 6: the A-law digital milliwatt. */
const ALAW_MILLIWATT = [0x34, 0x21, 0x21, 0x34, 0xb4, 0xa1, 0xa1, 0xb4];

/** 8 samples of a 1 kHz sine at 8 kHz, phase π/8, the phase the milliwatt tables are taken at. */
function milliwattSine(peak: number): Int16Array {
  return Int16Array.from({ length: 8 }, (_, k) => Math.round(peak * Math.sin(Math.PI / 8 + (k * Math.PI) / 4)));
}

describe('G.711 µ-law (PCMU)', () => {
  it('decodes the end points and zero of the ITU table', () => {
    assert.equal(mulawToLinear(0x00), -32124);
    assert.equal(mulawToLinear(0x80), 32124);
    assert.equal(mulawToLinear(0xff), 0);
    assert.equal(mulawToLinear(0x7f), 0);
    assert.equal(mulawToLinear(0xf0), 120);
    assert.equal(mulawToLinear(0x70), -120);
    assert.equal(mulawToLinear(0xfe), 8);
    assert.equal(mulawToLinear(0x7e), -8);
  });

  it('encodes zero as 0xFF, −1 as 0x7F (G.191 one\'s complement) and clips full scale to 0x80 / 0x00', () => {
    assert.equal(linearToMulaw(0), 0xff);
    assert.equal(linearToMulaw(-1), 0x7f);
    assert.equal(linearToMulaw(32767), 0x80);
    assert.equal(linearToMulaw(-32768), 0x00);
    assert.equal(G711_SILENCE.PCMU, linearToMulaw(0));
  });

  it('every code except negative zero survives decode → encode', () => {
    for (let code = 0; code < 256; code++) {
      if (code === 0x7f) continue;
      assert.equal(linearToMulaw(mulawToLinear(code)), code, `code 0x${code.toString(16)}`);
    }
  });

  it('is sign-symmetric: encode(~x) differs from encode(x) only in the sign bit', () => {
    for (let x = 0; x < 32768; x += 7) assert.equal(linearToMulaw(~x), linearToMulaw(x) ^ 0x80);
  });

  it('decoding is monotonic over the code space', () => {
    const positive = [...Array(128).keys()].map((i) => mulawToLinear(0xff - i));
    for (let i = 1; i < positive.length; i++) assert.ok((positive[i] ?? 0) > (positive[i - 1] ?? 0));
  });

  it('encodes a 0 dBm0 1 kHz sine to the digital milliwatt sequence and decodes it back to a 1 kHz tone', () => {
    assert.deepEqual([...g711Encode('PCMU', milliwattSine(22656))], [...MULAW_MILLIWATT.slice(4), ...MULAW_MILLIWATT.slice(0, 4)]);
    const decoded = g711Decode('PCMU', Buffer.from(Array.from({ length: 100 }, () => MULAW_MILLIWATT).flat()));
    assert.ok(toneLevel(decoded, 1000, 8000) > 0.99);
  });
});

describe('G.711 A-law (PCMA)', () => {
  it('decodes the end points and the smallest steps of the ITU table', () => {
    assert.equal(alawToLinear(0xd5), 8);
    assert.equal(alawToLinear(0x55), -8);
    assert.equal(alawToLinear(0xaa), 32256);
    assert.equal(alawToLinear(0x2a), -32256);
    assert.equal(alawToLinear(0xd4), 24);
  });

  it('encodes zero as 0xD5, −1 as 0x55 and clips full scale to 0xAA / 0x2A', () => {
    assert.equal(linearToAlaw(0), 0xd5);
    assert.equal(linearToAlaw(-1), 0x55);
    assert.equal(linearToAlaw(32767), 0xaa);
    assert.equal(linearToAlaw(-32768), 0x2a);
    assert.equal(G711_SILENCE.PCMA, linearToAlaw(0));
  });

  it('every code survives decode → encode', () => {
    for (let code = 0; code < 256; code++) assert.equal(linearToAlaw(alawToLinear(code)), code);
  });

  it('is sign-symmetric: encode(~x) differs from encode(x) only in the sign bit', () => {
    for (let x = 0; x < 32768; x += 7) assert.equal(linearToAlaw(~x), linearToAlaw(x) ^ 0x80);
  });

  it('encodes a 0 dBm0 1 kHz sine to the digital milliwatt sequence and decodes it back to a 1 kHz tone', () => {
    assert.deepEqual([...g711Encode('PCMA', milliwattSine(22770))], [...ALAW_MILLIWATT.slice(4), ...ALAW_MILLIWATT.slice(0, 4)]);
    const decoded = g711Decode('PCMA', Buffer.from(Array.from({ length: 100 }, () => ALAW_MILLIWATT).flat()));
    assert.ok(toneLevel(decoded, 1000, 8000) > 0.99);
  });

  it('keeps the quantisation error within half a step (16 below 512, then doubling per segment)', () => {
    for (let x = -32256; x <= 32255; x++) {
      const magnitude = x < 0 ? ~x : x;
      const step = magnitude < 512 ? 16 : 2 ** (Math.floor(Math.log2(magnitude)) - 4);
      const error = Math.abs(alawToLinear(linearToAlaw(x)) - x);
      assert.ok(error <= step / 2 + 1, `x=${x} error=${error} step=${step}`);
    }
  });
});
