/**
 * How often the teacher's LM-decoded words are right, by their confidence: the calibration behind
 * adaptation's keep check (SURE_CONFIDENCE in electron/core/adapt/adapt-job.ts). Rows used by the
 * bench's adaptation scenarios are left out, so the threshold is not chosen on their audio.
 *
 *   node --import tsx test/bench/teacher-confidence.ts [--out FILE.json] SET...   (SET: a dev list name, e.g. arctic_native)
 */
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runWhole } from '../../electron/core/adapt/passes.js';
import { decodeAudioFile } from '../../electron/core/audio/index.js';
import { readManifest } from '../../electron/core/eval/manifest.js';
import { alignWords } from '../../electron/core/eval/wer.js';
import { extractLogMel } from '../../electron/core/features/logmel.js';
import { loadModel } from '../../electron/core/inference/index.js';
import { NUM_CLASSES } from '../../electron/core/symbols.js';
import { createDecoder } from '../../electron/core/transcribe/decoder-factory.js';
import { NAMED_MODELS } from '../../electron/core/transcribe/model-paths.js';
import { REPO } from './paths.js';

const DATA = join(REPO, 'models/training/data');
const THRESHOLDS = [0, 0.5, 0.7, 0.8, 0.9, 0.95];

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const outAt = args.indexOf('--out');
  const out = outAt >= 0 ? args.splice(outAt, 2)[1] : null;
  const sets = args;
  if (sets.length === 0) throw new Error('name at least one dev list, e.g. arctic_native');
  const scenarioRows = new Set<string>();
  const scenarios = join(DATA, 'adapt_sets');
  for (const sc of existsSync(scenarios) ? readdirSync(scenarios) : []) {
    for (const part of ['adapt.tsv', 'test.tsv']) for (const row of await readManifest(join(scenarios, sc, part))) scenarioRows.add(row.id);
  }
  const teacher = await loadModel(NAMED_MODELS.teacher.path, { provider: 'cpu', threads: 1 });
  const decode = createDecoder({ lm: true, modelPath: NAMED_MODELS.teacher.path });
  const bins = THRESHOLDS.map((minConfidence) => ({ minConfidence, words: 0, right: 0 }));
  let utterances = 0;
  for (const set of sets) {
    for (const row of await readManifest(join(DATA, 'lists', `dev_${set}.tsv`))) {
      if (scenarioRows.has(row.id)) continue;
      const logprobs = await runWhole(teacher, extractLogMel(await decodeAudioFile(row.audio)));
      decode.reset(0);
      decode.push(logprobs, logprobs.length / NUM_CLASSES);
      const words = decode.finalize();
      const hypothesis = words.map((w) => w.text).join(' ');
      for (const bin of bins) {
        // The teacher's words as the reference: its flagged words that the transcript does not match are its errors.
        const counted = words.map((w) => w.confidence >= bin.minConfidence);
        const c = alignWords(hypothesis, row.text, counted);
        bin.words += c.referenceWords;
        bin.right += c.referenceWords - c.substitutions - c.deletions;
      }
      utterances++;
    }
  }
  await teacher.session.release();
  const report = { sets, utterances, leftOut: 'rows of the adaptation scenarios', bins: bins.map((b) => ({ ...b, precision: b.words ? b.right / b.words : null })) };
  for (const b of report.bins) console.log(`confidence ≥ ${b.minConfidence}: ${b.words} teacher words, ${b.precision === null ? 'n/a' : (100 * b.precision).toFixed(1)} % right`);
  if (out) writeFileSync(out, `${JSON.stringify(report, null, 2)}\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`teacher-confidence: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
