import { constants, setPriority } from 'node:os';
import { adaptToProfile, SURE_CONFIDENCE, type AdaptProgress, type TrainSettings } from '../../core/adapt/adapt-job.js';
import { AdaptCancelled } from '../../core/adapt/errors.js';
import { HushError } from '../../core/errors.js';
import { readManifest } from '../../core/eval/manifest.js';
import type { ErrorCounts } from '../../core/eval/wer.js';
import { parseArgs, stringFlag, type ParsedArgs } from '../args.js';

const USAGE = 'usage: hushscribe adapt MANIFEST.tsv --name NAME [--holdout 0.2] [--student PATH] [--teacher PATH] [--no-lm] [--epochs N] [--lr RATE] [--seq-weight W] [--frame-weight W] [--time-budget SECONDS] [--no-align] [--keep] [--quiet]';

function numberFlag(args: ParsedArgs, name: string, check: (n: number) => boolean): number | undefined {
  const v = stringFlag(args, name);
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isFinite(n) || !check(n)) throw new HushError('usage', `--${name} got '${v}'`);
  return n;
}

function clock(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  return s >= 60 ? `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s` : `${s}s`;
}

function sdi(c: ErrorCounts): string {
  return `${c.substitutions}/${c.deletions}/${c.insertions}`;
}

/** hushscribe adapt MANIFEST.tsv --name NAME [--holdout 0.2]: adapt the student's gates to a speaker or room. */
export async function run(argv: string[]): Promise<number> {
  const args = parseArgs(argv, ['name', 'holdout', 'student', 'teacher', 'epochs', 'lr', 'seq-weight', 'frame-weight', 'time-budget', 'threads'], ['no-lm', 'no-align', 'keep', 'quiet']);
  const [manifest, ...extra] = args.positional;
  const name = stringFlag(args, 'name');
  if (!manifest || extra.length || !name) throw new HushError('usage', USAGE);
  const rows = await readManifest(manifest);
  const training: Partial<TrainSettings> = {};
  const epochs = numberFlag(args, 'epochs', (n) => Number.isInteger(n) && n > 0);
  if (epochs !== undefined) training.epochs = epochs;
  const budget = numberFlag(args, 'time-budget', (n) => n > 0);
  if (budget !== undefined) training.timeBudgetSeconds = budget;
  const lr = numberFlag(args, 'lr', (n) => n > 0 && n < 1);
  if (lr !== undefined) training.lr = lr;
  // The two distillation terms' weights (0 turns one off), for measuring what each buys.
  const seqWeight = numberFlag(args, 'seq-weight', (n) => n >= 0);
  if (seqWeight !== undefined) training.seqWeight = seqWeight;
  const frameWeight = numberFlag(args, 'frame-weight', (n) => n >= 0);
  if (frameWeight !== undefined) training.frameWeight = frameWeight;
  // For measuring what the spike alignment buys; the app always aligns.
  if (args.flags.has('no-align')) training.alignSpikes = false;
  const quiet = args.flags.has('quiet');

  // A background job: leave the cores to whatever the user is doing.
  try { setPriority(constants.priority.PRIORITY_BELOW_NORMAL); } catch { /* not permitted: run at normal priority */ }

  const controller = new AbortController();
  const onSigint = (): void => {
    process.stderr.write('\ncancelling…\n');
    controller.abort();
  };
  process.once('SIGINT', onSigint);
  const t0 = performance.now();
  let shown = false;
  const show = (p: AdaptProgress): void => {
    if (quiet) return;
    shown = true;
    const eta = p.etaSeconds === null ? '' : `, about ${clock(p.etaSeconds)} left`;
    process.stderr.write(`\r[${(100 * p.fraction).toFixed(0).padStart(3)}%] ${p.phase}: ${p.detail}${eta}`.padEnd(100));
  };
  try {
    const r = await adaptToProfile({
      rows,
      name,
      holdout: numberFlag(args, 'holdout', (n) => n > 0 && n < 1),
      studentPath: stringFlag(args, 'student'),
      teacherPath: stringFlag(args, 'teacher'),
      lm: !args.flags.has('no-lm'),
      threads: numberFlag(args, 'threads', (n) => Number.isInteger(n) && n > 0),
      training,
      // Benchmarks: keep the profile whatever the held-out check says, to score it on ground truth.
      keepRegardless: args.flags.has('keep'),
      signal: controller.signal,
      onProgress: show,
    });
    if (shown) process.stderr.write('\n');
    const delta = r.werAfter - r.werBefore;
    process.stdout.write([
      `adapted '${r.name}' (base ${r.baseModelVersion}) on ${r.audioSeconds.toFixed(1)} s of audio, ${r.speechSeconds.toFixed(1)} s of speech: ${r.trainSeconds.toFixed(1)} s trained, ${r.holdoutSeconds.toFixed(1)} s held out (${r.holdoutWords} words)`,
      `held-out WER against the teacher: before ${r.werBefore.toFixed(2)}%, after ${r.werAfter.toFixed(2)}% (${delta <= 0 ? '' : '+'}${delta.toFixed(2)} points)${r.splits > 1 ? `, pooled over ${r.splits} splits that each held out a different ${Math.round(100 / r.splits)} % (short audio)` : ''}`,
      `held-out errors (substitutions/deletions/insertions): before ${sdi(r.errors.before)}, after ${sdi(r.errors.after)}`,
      `held-out WER on the ${r.sure.words} words the teacher is sure of (confidence ≥ ${SURE_CONFIDENCE}): before ${r.sure.werBefore.toFixed(2)}%, after ${r.sure.werAfter.toFixed(2)}%${r.judgedOn === 'sure' ? ' (the keep check)' : ` (too few: the keep check used all ${r.holdoutWords} words)`}`,
      ...(r.truth ? [`held-out WER against the manifest's transcripts (${r.truth.words} words; not used to decide): before ${r.truth.werBefore.toFixed(2)}%, after ${r.truth.werAfter.toFixed(2)}%`] : []),
      `training: ${r.training.epochsRun} epoch(s), ${r.training.steps} steps${r.training.stoppedByBudget ? ' (stopped by the time budget)' : ''}, KL ${r.training.klByEpoch.map((k) => k.toFixed(4)).join(' → ')}${r.training.ctcByEpoch.length ? `; CTC on the teacher's words ${r.training.ctcByEpoch.map((k) => k.toFixed(4)).join(' → ')}` : ''}`,
      `spike timing: the student fires ${Math.abs(r.spikeLag.frames) * 20} ms ${r.spikeLag.frames < 0 ? 'before' : 'after'} the teacher here${r.spikeLag.aligned && r.spikeLag.frames !== 0 ? '; the targets were moved onto its timing' : ''}`,
      r.profilePath ? `saved profile ${r.profilePath}${r.notHelpedReason ? ` (kept because of --keep: ${r.notHelpedReason})` : ''}` : `nothing saved: ${r.notSavedReason}`,
      `time ${clock((performance.now() - t0) / 1000)} (reading ${clock(r.seconds.reading)}, training ${clock(r.seconds.training)}, measuring ${clock(r.seconds.measuring)})`,
    ].join('\n') + '\n');
    return r.profilePath ? 0 : 3;
  } catch (err) {
    if (shown) process.stderr.write('\n');
    if (err instanceof AdaptCancelled) {
      process.stderr.write(`hushscribe adapt: ${err.userMessage}\n`);
      return 130;
    }
    throw err;
  } finally {
    process.removeListener('SIGINT', onSigint);
  }
}
