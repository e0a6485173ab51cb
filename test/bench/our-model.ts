/**
 * Our models on one dev set: `hushscribe eval` as a child process (one thread, CPU provider),
 * its --out JSON read back for per-utterance counts and timings.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { EvalReport } from '../../electron/core/eval/evaluate.js';
import { LM_PATH, NAMED_MODELS } from '../../electron/core/transcribe/model-paths.js';
import type { DevSet } from './dev-sets.js';
import { failureOf, runMeasured } from './measure.js';
import { CLI, REPO } from './paths.js';
import { failed, type SetResult } from './results.js';

export type OurModel = 'student' | 'teacher' | 'fixture';

/** The model file, or null with the reason when it is not built. */
export function ourModelPath(model: OurModel): { path: string | null; why: string } {
  const named = NAMED_MODELS[model];
  if (existsSync(named.path)) return { path: named.path, why: '' };
  return { path: null, why: `not built (${named.path.replace(REPO, '')} is missing; it is made by ${named.builtBy})` };
}

/** The ONNX file plus any external-data files beside it that share its name. */
export function onnxSizeBytes(path: string): number {
  const stem = basename(path);
  return readdirSync(dirname(path))
    .filter((f) => f === stem || (f.startsWith(stem) && /\.(data|onnx_data|bin)$/.test(f)))
    .reduce((s, f) => s + statSync(join(dirname(path), f)).size, 0);
}

export const lmSizeBytes = (): number => (existsSync(LM_PATH) ? statSync(LM_PATH).size : 0);

export async function runOurModel(model: OurModel, lm: boolean, set: DevSet, tmp: string): Promise<SetResult> {
  const out = join(tmp, `${model}-${lm ? 'lm' : 'greedy'}-${set.name}.json`);
  const args = [CLI, 'eval', set.manifest, '--model', model, '--provider', 'cpu', '--threads', '1', '--quiet', '--out', out];
  if (!lm) args.push('--no-lm');
  const m = await runMeasured(process.execPath, args, { cwd: REPO });
  if (m.code !== 0) return failed(set.name, failureOf(m));
  const report = JSON.parse(await readFile(out, 'utf8')) as EvalReport;
  if (report.provider !== 'cpu') return failed(set.name, `ran on ${report.provider}, not cpu`);
  return {
    set: set.name,
    ok: true,
    utterances: report.utterances.length,
    counts: report.totals,
    wer: report.wer,
    audioS: report.audioSeconds,
    decodeWallS: report.processingSeconds,
    decodeCpuS: null,
    processCpuS: m.cpuS,
    peakRssKb: m.peakRssKb,
  };
}
