/** The audio loader: every audio file the app takes in, as 16 kHz mono float. */
export type { AudioFormat, AudioInfo } from './types.js';
export { TARGET_RATE } from './types.js';
export { probeAudio } from './probe.js';
export { readAudio, decodeAudioFile, type ReadAudioOptions } from './read-audio.js';
export { Resampler, resamplerReady } from './resampler.js';
export { encodeWav16 } from './wav-writer.js';
