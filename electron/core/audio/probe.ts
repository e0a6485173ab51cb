/** What a file holds, from its headers alone: the first step of every read. */
import { AudioError } from '../errors.js';
import { AudioFile } from './audio-file.js';
import { detectFormat } from './detect-format.js';
import { readFlacInfo } from './flac-info.js';
import { readMp3Info } from './mp3-info.js';
import { OPUS_RATE, readOpusInfo } from './opus-info.js';
import { MAX_SAMPLE_RATE, type AudioInfo } from './types.js';
import { readWavLayout, type WavLayout } from './wav-reader.js';

export interface InspectedAudio {
  info: AudioInfo;
  /** Byte offset where the codec stream starts (past any ID3v2 tag). */
  start: number;
  /** Set for WAV: where the samples are and how they are stored. */
  wav: WavLayout | null;
  /** Samples per channel a complete stream decodes to, when the header says; fewer means it was cut short. */
  expectedSamples: number | null;
  /** How many fewer samples than expected still count as complete (an MP3 frame of slack). */
  expectedSlack: number;
}

export async function inspectAudio(file: AudioFile): Promise<InspectedAudio> {
  const { format, start } = await detectFormat(file);
  let inspected: InspectedAudio;
  switch (format) {
    case 'wav': {
      const wav = await readWavLayout(file);
      const frames = wav.dataBytes / wav.blockAlign;
      inspected = {
        info: { format, sampleRate: wav.sampleRate, channels: wav.channels, durationSeconds: frames / wav.sampleRate },
        start: wav.dataOffset,
        wav,
        expectedSamples: null,
        expectedSlack: 0,
      };
      break;
    }
    case 'flac': {
      const { sampleRate, channels, totalSamples } = await readFlacInfo(file, start);
      const durationSeconds = totalSamples === null ? null : totalSamples / sampleRate;
      inspected = { info: { format, sampleRate, channels, durationSeconds }, start, wav: null, expectedSamples: totalSamples, expectedSlack: 0 };
      break;
    }
    case 'opus': {
      // readOpusInfo already refuses a stream without its final page; the granule count also
      // catches pages lost in the middle. Slack: one maximal (120 ms) Opus packet.
      const { channels, durationSeconds } = await readOpusInfo(file, start);
      const expectedSamples = durationSeconds === null ? null : Math.round(durationSeconds * OPUS_RATE);
      inspected = { info: { format, sampleRate: OPUS_RATE, channels, durationSeconds }, start, wav: null, expectedSamples, expectedSlack: 5760 };
      break;
    }
    case 'mp3': {
      const { sampleRate, channels, durationSeconds, expectedSamples } = await readMp3Info(file, start);
      const slack = sampleRate > 24_000 ? 1152 : 576;
      inspected = { info: { format, sampleRate, channels, durationSeconds }, start, wav: null, expectedSamples, expectedSlack: slack };
      break;
    }
  }
  if (inspected.info.sampleRate > MAX_SAMPLE_RATE) {
    throw new AudioError(file.path, `unsupported sample rate ${inspected.info.sampleRate} Hz (at most ${MAX_SAMPLE_RATE})`);
  }
  return inspected;
}

/** Format, rate, channels and length of an audio file, without decoding it. */
export async function probeAudio(path: string): Promise<AudioInfo> {
  const file = await AudioFile.open(path);
  try {
    return (await inspectAudio(file)).info;
  } finally {
    await file.close();
  }
}
