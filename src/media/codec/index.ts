export {
  type G711Law,
  g711Encode,
  g711Decode,
  linearToMulaw,
  mulawToLinear,
  linearToAlaw,
  alawToLinear,
  G711_PAYLOAD_TYPE,
  G711_SILENCE,
} from './g711.js';
export { readWav, writeWav, type WavAudio, type WavEncoding, type WavInput } from './wav.js';
export { ToneGenerator, generateTone, type ToneOptions } from './tone-generator.js';
export { goertzelPower, toneLevel, detectTone, type DetectToneOptions, type ToneDetection } from './goertzel.js';
export { resampleToNarrowband, readNarrowbandWav, NARROWBAND_RATE } from './resample.js';
export { type ToneName, type ToneStep, TONE_CADENCES, toneCycleMs, renderTone } from './tones.js';
