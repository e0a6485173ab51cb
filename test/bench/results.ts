/** What one system gives for one dev set, and how rows of the accuracy table are summed. */
import { addCounts, wordErrorRate, ZERO_COUNTS, type ErrorCounts } from '../../electron/core/eval/wer.js';

export interface SetResult {
  set: string;
  ok: boolean;
  /** Why it failed, when it did. */
  error?: string;
  utterances: number;
  counts: ErrorCounts;
  /** WER in percent. */
  wer: number;
  audioS: number;
  /**
   * Decoding wall time. Ours: the eval harness's per-utterance timer (features + acoustic model
   * + search; reading and decoding the file left out). Pocketsphinx: its batch TOTAL wall time
   * (features + search on raw 16-bit PCM).
   */
  decodeWallS: number;
  /** Decoding CPU time where the system reports it (pocketsphinx), else null. */
  decodeCpuS: number | null;
  /** User + system CPU of the whole child process: start-up, model and LM loading and file decoding included. */
  processCpuS: number | null;
  peakRssKb: number | null;
}

export function failed(set: string, error: string): SetResult {
  return { set, ok: false, error, utterances: 0, counts: ZERO_COUNTS, wer: NaN, audioS: 0, decodeWallS: 0, decodeCpuS: null, processCpuS: null, peakRssKb: null };
}

export interface RowTotals {
  counts: ErrorCounts;
  wer: number;
  audioS: number;
  /** Σ decoding wall / Σ audio. */
  rtfWall: number;
  /** Σ process CPU / Σ audio (null if any set lacks it). */
  rtfProcessCpu: number | null;
  /** Σ decoding CPU / Σ audio where the system reports it. */
  rtfDecodeCpu: number | null;
  /** The largest peak RSS of the row's processes. */
  peakRssKb: number | null;
}

export function rowTotals(results: SetResult[]): RowTotals | null {
  const ok = results.filter((r) => r.ok);
  if (ok.length === 0) return null;
  const counts = ok.reduce((c, r) => addCounts(c, r.counts), ZERO_COUNTS);
  const audioS = ok.reduce((s, r) => s + r.audioS, 0);
  const sum = (f: (r: SetResult) => number | null): number | null => (ok.some((r) => f(r) === null) ? null : ok.reduce((s, r) => s + (f(r) ?? 0), 0));
  const per = (x: number | null): number | null => (x === null ? null : x / Math.max(audioS, 1e-9));
  const rss = ok.map((r) => r.peakRssKb).filter((x): x is number => x !== null);
  return {
    counts,
    wer: wordErrorRate(counts),
    audioS,
    rtfWall: (sum((r) => r.decodeWallS) ?? 0) / Math.max(audioS, 1e-9),
    rtfProcessCpu: per(sum((r) => r.processCpuS)),
    rtfDecodeCpu: per(sum((r) => r.decodeCpuS)),
    peakRssKb: rss.length === ok.length ? Math.max(...rss) : null,
  };
}
