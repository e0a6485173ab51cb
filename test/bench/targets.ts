/**
 * The runtime targets the benchmark checks. Each is reported as met or MISSED with its figure;
 * none is ever skipped quietly.
 */
export const TARGETS = {
  /** Teacher + LM: RTF wall on one thread (features, acoustic model and LM beam search), pooled over the dev sets. */
  teacherRtf: 0.1,
  /** Student + LM: the same, on a budget that leaves a laptop's core free for the meeting. */
  studentRtf: 0.02,
  /** Student + LM WER at most this many times teacher + LM's, on each dev set: what distillation may cost. */
  studentTeacherWerRatio: 1.5,
  /** Student ONNX on disk (external data included), in bytes: 4 MB, in the decimal MB every size in the report uses. */
  studentOnnxBytes: 4_000_000,
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
  /** Adaptation (issue 5): relative WER reduction of student + LM against ground truth after adapting to a reverberant room… */
  adaptRoomRelWerReduction: 0.1,
  /** …and to a single speaker. */
  adaptSpeakerRelWerReduction: 0.05,
  /** Adaptation: `hushscribe adapt` on this many minutes of audio… */
  adaptAudioMinutes: 10,
  /** …finishes within this many minutes on the benchmark machine (one thread). */
  adaptWallMinutes: 5,
  /** …with the app still responsive: a contract request's round trip at the 95th percentile while the job runs (and the renderer at appFps). */
  adaptResponsiveP95Ms: 100,
} as const;
