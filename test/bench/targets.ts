/**
 * The runtime targets the benchmark checks. Each is reported as met or MISSED with its figure;
 * none is ever skipped quietly.
 */
export const TARGETS = {
  /** Features + LM beam search (beam 16), no acoustic model, one thread. */
  featuresBeamRtf: 0.01,
  /** Long audio: peak RSS of the 2-hour file at most this many times that of the 10-minute file (memory is bounded, not growing with length). */
  longAudioRssGrowth: 1.2,
  /** Long audio: faster than real time, whole command included. */
  longAudioRtf: 1,
} as const;
