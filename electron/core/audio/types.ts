/** What the audio loader tells about a file without decoding it. */
export type AudioFormat = 'wav' | 'flac' | 'opus' | 'mp3';

export interface AudioInfo {
  format: AudioFormat;
  /** The rate the file's samples come out at (Ogg Opus always decodes at 48 kHz). */
  sampleRate: number;
  channels: number;
  /** From the header; for an MP3 without a Xing/VBRI header, an estimate from its bitrate. Null when the file does not say. */
  durationSeconds: number | null;
}

/** How formats are named in messages to the user. */
export const FORMAT_NAMES: Record<AudioFormat, string> = { wav: 'WAV', flac: 'FLAC', opus: 'Ogg Opus', mp3: 'MP3' };

/** The rate every consumer of the loader works at. */
export const TARGET_RATE = 16_000;

/** libsamplerate's limit; no real recording goes beyond it. */
export const MAX_SAMPLE_RATE = 192_000;
