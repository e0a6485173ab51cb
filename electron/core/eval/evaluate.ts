import { decodeAudioFile } from '../audio/index.js';
import { Pipeline, type PipelineOptions } from '../transcribe/transcriber.js';
import type { ManifestRow } from './manifest.js';
import { addCounts, alignWords, wordErrorRate, ZERO_COUNTS, type ErrorCounts } from './wer.js';

export interface UtteranceResult {
  id: string;
  reference: string;
  hypothesis: string;
  counts: ErrorCounts;
  audioSeconds: number;
  processingSeconds: number;
}

export interface EvalReport {
  model: string;
  provider: string;
  lm: boolean;
  utterances: UtteranceResult[];
  totals: ErrorCounts;
  wer: number;
  audioSeconds: number;
  processingSeconds: number;
  rtf: number;
  /** Non-fatal load problems (an ignored adaptation profile). */
  warnings: readonly string[];
}

/**
 * Score a manifest with one loaded pipeline. Processing time covers features, the
 * acoustic model and decoding; reading the file from disk is left out, as it is not
 * part of what runs live.
 */
export async function evaluate(rows: ManifestRow[], opts: PipelineOptions, onUtterance?: (r: UtteranceResult, done: number) => void): Promise<EvalReport> {
  const pipeline = await Pipeline.create(opts);
  const utterances: UtteranceResult[] = [];
  let totals = ZERO_COUNTS;
  try {
    for (const row of rows) {
      const samples = await decodeAudioFile(row.audio);
      const t0 = performance.now();
      const words: string[] = [];
      for (let i = 0; i < samples.length; i += 16000) {
        for (const s of (await pipeline.push(samples.subarray(i, i + 16000))).finals) words.push(s.text);
      }
      for (const s of (await pipeline.finish()).finals) words.push(s.text);
      const processingSeconds = (performance.now() - t0) / 1000;
      const hypothesis = words.join(' ');
      const counts = alignWords(row.text, hypothesis);
      totals = addCounts(totals, counts);
      const result = { id: row.id, reference: row.text, hypothesis, counts, audioSeconds: samples.length / 16000, processingSeconds };
      utterances.push(result);
      onUtterance?.(result, utterances.length);
    }
  } finally {
    await pipeline.dispose();
  }
  const audioSeconds = utterances.reduce((s, u) => s + u.audioSeconds, 0);
  const processingSeconds = utterances.reduce((s, u) => s + u.processingSeconds, 0);
  return {
    model: pipeline.modelName,
    provider: pipeline.provider,
    lm: opts.lm ?? true,
    utterances,
    totals,
    wer: wordErrorRate(totals),
    audioSeconds,
    processingSeconds,
    rtf: processingSeconds / Math.max(audioSeconds, 1e-9),
    warnings: pipeline.warnings,
  };
}
