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
  /** App (browser mode): median time from the end of a spoken word to a word for it in the live transcript. */
  appPartialLatencyS: 0.5,
  /** App: renderer frame rate while transcribing (requestAnimationFrame)… */
  appFps: 60,
  /** …counted as met at this share of it (rAF intervals jitter around 16.7 ms). */
  appFpsTolerance: 0.95,
  /** App: RSS of the host and of the transcriber worker at 2 h of recording at most this many times their RSS after warm-up. */
  appRssGrowth: 1.2,
} as const;
