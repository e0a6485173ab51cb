// Tunes the beam search's LM weight (α) and word bonus (β) on dev sets with a real acoustic model
// and writes the result down (models/lm/tuning.json; with --write also the model's own <model>.decoder.json).
//   node --import tsx models/lm/tune-decoder.ts --model student --sets arctic_native,speechocean762 [--limit 60] [--write]
//     [--weights 0.2,0.4] [--bonuses 0,1] [--unks -20,-10] [--beam 16]   (grids; --write keeps the best point's α, β, unk and beam)
//     [--half tune|report]  (rows 1, 3, 5… or 2, 4, 6… of each set: tune on one half, report on the other)
//     [--out record.json]   (default models/lm/tuning.json; another path scores the report half without touching the record)
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { evaluate } from '../../electron/core/eval/evaluate.js';
import { readManifest, type ManifestRow } from '../../electron/core/eval/manifest.js';
import { addCounts, wordErrorRate, ZERO_COUNTS } from '../../electron/core/eval/wer.js';
import { DEFAULT_DECODER_PARAMS, decoderParamsPathFor } from '../../electron/core/decode/params.js';
import { resolveModelPath } from '../../electron/core/transcribe/model-paths.js';
import { userMessageOf } from '../../electron/core/errors.js';

const here = (rel: string): string => fileURLToPath(new URL(rel, import.meta.url));
const argv = process.argv.slice(2);
const opt = (name: string, fallback: string): string => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? argv[i + 1] : fallback;
};
const model = opt('model', 'student');
const sets = opt('sets', 'arctic_native,speechocean762').split(',');
const limit = Number(opt('limit', '0'));
const weights = opt('weights', '0.2,0.4,0.6,0.8,1.0').split(',').map(Number);
const bonuses = opt('bonuses', '0,1,2,3').split(',').map(Number);
const unks = opt('unks', String(DEFAULT_DECODER_PARAMS.unkLogProb ?? -20)).split(',').map(Number);
const beam = Number(opt('beam', String(DEFAULT_DECODER_PARAMS.beam)));

interface Point { lmWeight: number; wordBonus: number | null; unkLogProb: number | null; beam: number; wer: Record<string, number>; mean: number }

async function tune(): Promise<void> {
  const manifests: Record<string, ManifestRow[]> = {};
  for (const set of sets) {
    // A set is a corpus name under ../shared/data/corpora or a manifest path.
    const rows = await readManifest(set.includes('/') ? set : here(`../../../shared/data/corpora/${set}/dev.tsv`));
    const half = opt('half', 'all');
    const picked = half === 'tune' ? rows.filter((_, i) => i % 2 === 0) : half === 'report' ? rows.filter((_, i) => i % 2 === 1) : rows;
    manifests[set] = limit > 0 ? picked.slice(0, limit) : picked;
  }

  const results: Point[] = [];
  async function score(lm: boolean, lmWeight: number, wordBonus: number, unkLogProb: number): Promise<Point> {
    const wer: Record<string, number> = {};
    for (const set of sets) {
      const report = await evaluate(manifests[set], { model, lm, provider: 'cpu', threads: 1, decoder: { lmWeight, wordBonus, unkLogProb, beam } });
      wer[set] = Number(wordErrorRate([report.totals].reduce(addCounts, ZERO_COUNTS)).toFixed(2));
    }
    const mean = Number((Object.values(wer).reduce((a, b) => a + b, 0) / sets.length).toFixed(2));
    return { lmWeight: lm ? lmWeight : 0, wordBonus: lm ? wordBonus : null, unkLogProb: lm ? unkLogProb : null, beam, wer, mean };
  }

  const greedy = await score(false, 0, 0, 0);
  console.log(`greedy: ${JSON.stringify(greedy.wer)} mean ${greedy.mean}`);
  for (const w of weights) {
    for (const b of bonuses) {
      for (const u of unks) {
        const p = await score(true, w, b, u);
        results.push(p);
        console.log(`α ${w} β ${b} unk ${u} beam ${beam}: ${JSON.stringify(p.wer)} mean ${p.mean}`);
      }
    }
  }
  const best = results.reduce((a, b) => (b.mean < a.mean ? b : a));
  const record = { model, sets, half: opt('half', 'all'), utterancesPerSet: Object.fromEntries(sets.map((s) => [s, manifests[s].length])), date: new Date().toISOString(), greedy, grid: results, best };
  writeFileSync(opt('out', here('tuning.json')), `${JSON.stringify(record, null, 2)}\n`);
  console.log(`best: α ${best.lmWeight} β ${best.wordBonus} unk ${best.unkLogProb} beam ${beam} mean WER ${best.mean} (greedy ${greedy.mean})`);
  if (argv.includes('--write')) {
    // The tuning belongs to this model: it goes beside the model file, not into the global defaults.
    const path = decoderParamsPathFor(resolveModelPath(model));
    const notes = `Tuned on the ${record.half} rows of the ${sets.join(', ')} dev sets with ${model} (${record.date.slice(0, 10)}): greedy ${greedy.mean}, best mean ${best.mean} % WER; the grid is in ${opt('out', 'models/lm/tuning.json')}. Natural-log units.`;
    const params = { notes, lmWeight: best.lmWeight, wordBonus: best.wordBonus, unkLogProb: best.unkLogProb, beam };
    writeFileSync(path, `${JSON.stringify(params, null, 2)}\n`);
    console.log(`wrote ${path}`);
  }
}

// A developer tool, but bad input still gets one line that names it, not a stack trace.
tune().catch((err: unknown) => {
  process.stderr.write(`tune-decoder: ${userMessageOf(err)}\n`);
  process.exitCode = 1;
});
