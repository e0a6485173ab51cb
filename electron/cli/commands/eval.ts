import { writeFile } from 'node:fs/promises';
import { HushError } from '../../core/errors.js';
import { evaluate } from '../../core/eval/evaluate.js';
import { readManifest } from '../../core/eval/manifest.js';
import { parseArgs, stringFlag, transcriberFlags } from '../args.js';

/** hushscribe eval MANIFEST.tsv [--model …] [--no-lm] [--out results.json] [--provider …] [--threads N] [--lm-weight X] [--word-bonus Y] */
export async function run(argv: string[]): Promise<number> {
  const args = parseArgs(argv, ['model', 'out', 'provider', 'threads', 'profile', 'lm-weight', 'word-bonus', 'beam', 'limit'], ['no-lm', 'quiet']);
  const [manifest, ...extra] = args.positional;
  if (!manifest || extra.length) throw new HushError('usage', 'usage: hushscribe eval MANIFEST.tsv [--model student|teacher|PATH] [--no-lm] [--profile NAME] [--out results.json]');
  let rows = await readManifest(manifest);
  const limit = stringFlag(args, 'limit');
  if (limit) rows = rows.slice(0, Number(limit));
  if (rows.some((r) => r.text === '')) throw new HushError('usage', `${manifest}: has untranscribed rows; eval needs a reference text for every row`);
  const decoder: Record<string, number> = {};
  for (const [flag, key] of [['lm-weight', 'lmWeight'], ['word-bonus', 'wordBonus'], ['beam', 'beam']] as const) {
    const v = stringFlag(args, flag);
    if (v !== undefined) decoder[key] = Number(v);
  }
  const quiet = args.flags.has('quiet');
  const report = await evaluate(rows, {
    ...transcriberFlags(args),
    decoder,
  }, (u, done) => {
    if (!quiet) process.stderr.write(`\r${done}/${rows.length} ${u.id}`.padEnd(60));
  });
  if (!quiet) process.stderr.write('\n');
  for (const w of report.warnings) process.stderr.write(`hushscribe eval: warning: ${w}\n`);
  const out = stringFlag(args, 'out');
  if (out) await writeFile(out, `${JSON.stringify({ manifest, ...report }, null, 2)}\n`);
  const t = report.totals;
  process.stdout.write([
    `model ${report.model} on ${report.provider}, ${report.lm ? 'LM beam search' : 'greedy'}`,
    `utterances ${rows.length}, reference words ${t.referenceWords}`,
    `substitutions ${t.substitutions}, deletions ${t.deletions}, insertions ${t.insertions}`,
    `audio ${report.audioSeconds.toFixed(1)} s, processing ${report.processingSeconds.toFixed(2)} s`,
    `WER ${report.wer.toFixed(2)} RTF ${report.rtf.toFixed(4)}`,
  ].join('\n') + '\n');
  return 0;
}
