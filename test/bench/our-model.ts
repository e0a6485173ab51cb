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
import { failureOf, runMeasured, type Measured } from './measure.js';
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

/** One `hushscribe eval` run: its report, or why it failed. */
export type EvalRun = { ok: true; report: EvalReport; measured: Measured } | { ok: false; error: string };

/**
 * `hushscribe eval` as a measured child process (CPU provider, one thread), its --out JSON read
 * back. `model` is a named model or a path; `profile` an adaptation profile name, found in the
 * profiles dir that `env` names (HUSHSCRIBE_PROFILES).
 */
export async function runEvalCli(manifest: string, model: string, lm: boolean, out: string, opts: { profile?: string; env?: NodeJS.ProcessEnv } = {}): Promise<EvalRun> {
  const args = [CLI, 'eval', manifest, '--model', model, '--provider', 'cpu', '--threads', '1', '--quiet', '--out', out];
  if (!lm) args.push('--no-lm');
  if (opts.profile) args.push('--profile', opts.profile);
  const m = await runMeasured(process.execPath, args, { cwd: REPO, env: opts.env });
  if (m.code !== 0) return { ok: false, error: failureOf(m) };
  const report = JSON.parse(await readFile(out, 'utf8')) as EvalReport;
  if (report.provider !== 'cpu') return { ok: false, error: `ran on ${report.provider}, not cpu` };
  return { ok: true, report, measured: m };
}

export async function runOurModel(model: OurModel, lm: boolean, set: DevSet, tmp: string): Promise<SetResult> {
  const r = await runEvalCli(set.manifest, model, lm, join(tmp, `${model}-${lm ? 'lm' : 'greedy'}-${set.name}.json`));
  if (!r.ok) return failed(set.name, r.error);
  const { report, measured: m } = r;
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
