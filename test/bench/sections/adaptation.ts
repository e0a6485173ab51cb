/**
 * Section 5: speaker and room adaptation (issue 5, point 5). For each scenario set that recipe
 * stage 11 built (models/training/data/adapt_sets/<scenario>/adapt.tsv and test.tsv):
 * `hushscribe eval test.tsv` with the base student, `hushscribe adapt adapt.tsv` (the product's
 * job: teacher targets, gate-only training, its own held-out check, profile kept only if that
 * improved), then `hushscribe eval test.tsv --profile NAME`; greedy and with the LM, against
 * ground truth. The test audio is never adapted on. Every command is a child process on one
 * thread, one after another; profiles and teacher passes go to this run's temporary folder, so
 * nothing of the user's ~/.hushscribe is read or written and every job computes its teacher pass.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkAdaptModels, DEFAULT_TRAINING, MIN_SURE_WORDS, SURE_CONFIDENCE } from '../../../electron/core/adapt/adapt-job.js';
import { ROTATE_BELOW_SECONDS } from '../../../electron/core/adapt/holdout.js';
import { userMessageOf } from '../../../electron/core/errors.js';
import { readManifest, type ManifestRow } from '../../../electron/core/eval/manifest.js';
import { NAMED_MODELS } from '../../../electron/core/transcribe/model-paths.js';
import { adaptTimeCheck, fmtRelative, notKeptNote, parseAdaptOutput, relativeChange, werReductionCheck, type AdaptOutput, type AdaptTiming, type WerPair } from '../adapt-results.js';
import { writeManifest } from '../dev-sets.js';
import { failureOf, runMeasured, type Measured } from '../measure.js';
import { available, unavailable, type Available } from '../model-targets.js';
import { runEvalCli, type EvalRun } from '../our-model.js';
import { CLI, REPO, repoPath } from '../paths.js';
import { fmtPct, fmtRssKb, fmtSeconds, mdTable, NA, status } from '../table.js';
import { TARGETS } from '../targets.js';
import { adaptInApp, inAppPart, type InAppAdapt } from './adapt-in-app.js';
import type { BenchContext, SectionResult, TargetCheck } from './types.js';

export const ADAPT_TITLE = '5. Speaker and room adaptation (issue 5)';
export const ADAPT_SETS = repoPath('models/training/data/adapt_sets');
const BUILD_SETS = '`bash models/training/run.sh --stage 11 --stop-stage 11` (recipe stage 11, `stages/11_adaptation_sets.py`)';

interface Scenario {
  name: 'speaker' | 'tts_voice' | 'room';
  label: string;
  /** Issue 5's minimum relative WER reduction, as a fraction; null: reported, no target. */
  minReduction: number | null;
  /** How the target names it. */
  what: string;
}

const SCENARIOS: readonly Scenario[] = [
  { name: 'speaker', label: 'a) one dev speaker', minReduction: TARGETS.adaptSpeakerRelWerReduction, what: 'a single speaker' },
  { name: 'tts_voice', label: 'b) TTS voice left out of training', minReduction: null, what: 'a TTS voice left out of training' },
  { name: 'room', label: 'c) strongly reverberant room', minReduction: TARGETS.adaptRoomRelWerReduction, what: 'the reverberant room' },
];

/** The parts of stage 11's info.json the report quotes. */
interface SetInfo {
  what?: string;
  room?: { dims?: number[]; distance?: number; rt60_s?: number; drr_db?: number };
}

interface Part {
  rows: ManifestRow[];
  /** Rows in the set before --limit. */
  available: number;
  manifest: string;
}

interface AdaptJob {
  m: Measured;
  output: AdaptOutput | null;
  /** Why the job failed (not: why it kept no profile). */
  error: string | null;
}

interface ScenarioRun {
  scenario: Scenario;
  /** Why the scenario did not run. */
  error: string | null;
  info: SetInfo | null;
  adapt: Part | null;
  test: Part | null;
  base: Partial<Record<Decoding, EvalRun>>;
  adapted: Partial<Record<Decoding, EvalRun>>;
  job: AdaptJob | null;
}

type Decoding = 'greedy' | 'lm';
const DECODINGS: readonly Decoding[] = ['greedy', 'lm'];
const decodingLabel = (d: Decoding): string => (d === 'lm' ? 'LM beam search' : 'greedy');

const profileName = (s: Scenario): string => `bench-${s.name.replace(/_/g, '-')}`;
const minutes = (s: number): string => `${(s / 60).toFixed(1)} min`;
const words = (rows: readonly ManifestRow[]): number => rows.reduce((n, r) => n + r.text.split(' ').filter(Boolean).length, 0);
const audioOf = (rows: readonly ManifestRow[]): number => rows.reduce((s, r) => s + r.durationSeconds, 0);
const shortPath = (p: string): string => p.replace(REPO, '');

function readInfo(path: string): SetInfo | null {
  if (!existsSync(path)) return null;
  try {
    const json: unknown = JSON.parse(readFileSync(path, 'utf8'));
    return typeof json === 'object' && json !== null ? (json as SetInfo) : null;
  } catch {
    return null;
  }
}

async function loadPart(dir: string, part: 'adapt' | 'test', limit: number | null, tmp: string, scenario: Scenario): Promise<Part> {
  const all = await readManifest(join(dir, `${part}.tsv`));
  const rows = limit === null ? all : all.slice(0, limit);
  // The same form every other section hands the CLI: the five corpus columns, absolute paths.
  const manifest = join(tmp, `adapt-${scenario.name}-${part}.tsv`);
  await writeManifest(manifest, rows);
  return { rows, available: all.length, manifest };
}

/** The eval, and a check that the profile really was applied: an ignored one only warns. */
async function scoreTest(manifest: string, student: string, d: Decoding, out: string, env: NodeJS.ProcessEnv, profile?: string): Promise<EvalRun> {
  const r = await runEvalCli(manifest, student, d === 'lm', out, { profile, env });
  if (!r.ok || !profile) return r;
  if (r.report.warnings.length) return { ok: false, error: `the profile was not applied: ${r.report.warnings.join('; ')}` };
  if (!r.report.model.includes(`+profile:${profile}`)) return { ok: false, error: `the profile was not applied (model ${r.report.model})` };
  return r;
}

async function runScenario(ctx: BenchContext, scenario: Scenario, sets: string, student: string, teacher: string): Promise<ScenarioRun> {
  const run: ScenarioRun = { scenario, error: null, info: null, adapt: null, test: null, base: {}, adapted: {}, job: null };
  const dir = join(sets, scenario.name);
  if (!existsSync(join(dir, 'adapt.tsv')) || !existsSync(join(dir, 'test.tsv'))) {
    run.error = `not built (${shortPath(dir)}/adapt.tsv or test.tsv is missing; ${BUILD_SETS} makes it)`;
    return run;
  }
  try {
    run.adapt = await loadPart(dir, 'adapt', ctx.opts.limit, ctx.tmp, scenario);
    run.test = await loadPart(dir, 'test', ctx.opts.limit, ctx.tmp, scenario);
  } catch (err) {
    run.error = userMessageOf(err);
    return run;
  }
  run.info = readInfo(join(dir, 'info.json'));
  const profile = profileName(scenario);
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    HUSHSCRIBE_PROFILES: join(ctx.tmp, 'profiles'),
    // A fresh cache per scenario: the job computes its teacher pass, as for a new recording.
    HUSHSCRIBE_CACHE: join(ctx.tmp, `cache-${scenario.name}`),
  };
  const out = (what: string): string => join(ctx.tmp, `adapt-${scenario.name}-${what}.json`);

  for (const d of DECODINGS) {
    ctx.log(`[adapt] ${scenario.name}: base student, ${decodingLabel(d)}, on ${run.test.rows.length} test utterances`);
    run.base[d] = await scoreTest(run.test.manifest, student, d, out(`base-${d}`), env);
  }

  ctx.log(`[adapt] ${scenario.name}: hushscribe adapt on ${run.adapt.rows.length} utterances (${minutes(audioOf(run.adapt.rows))})`);
  // --keep: a profile the app would not keep is still saved, so its effect on ground truth is scored too.
  const args = [CLI, 'adapt', run.adapt.manifest, '--name', profile, '--student', student, '--teacher', teacher, '--threads', '1', '--keep', '--quiet'];
  if (ctx.opts.adaptNoLm) args.push('--no-lm');
  const m = await runMeasured(process.execPath, args, { cwd: REPO, env });
  // Exit 3: the job ran, but its held-out check did not improve, so it kept no profile.
  const output = m.code === 0 || m.code === 3 ? parseAdaptOutput(m.stdout) : null;
  const error = m.code !== 0 && m.code !== 3 ? failureOf(m) : output === null ? `cannot read its report: ${m.stdout.trim().split('\n').slice(-2).join(' / ')}` : null;
  run.job = { m, output, error };
  const verdict = output?.keptOnlyForBench ? `the app would keep no profile (${output.keptOnlyForBench}); scored anyway` : output?.profilePath ? 'profile kept' : `no profile kept (${output?.notSavedReason ?? ''})`;
  ctx.log(`[adapt] ${scenario.name}: ${error ?? `${verdict}, ${m.wallS.toFixed(1)} s wall`}`);

  if (output?.profilePath) {
    for (const d of DECODINGS) {
      ctx.log(`[adapt] ${scenario.name}: adapted student, ${decodingLabel(d)}`);
      run.adapted[d] = await scoreTest(run.test.manifest, student, d, out(`adapted-${d}`), env, profile);
    }
  }
  return run;
}

/** Base and adapted WER for one decoding; after = before when the job kept no profile (the product then keeps the base model). */
function werPair(run: ScenarioRun, d: Decoding): Available<WerPair> {
  if (run.error) return unavailable(run.error);
  const base = run.base[d];
  if (!base) return unavailable('not run');
  if (!base.ok) return unavailable(`base student eval failed (${base.error})`);
  const job = run.job;
  if (!job) return unavailable('hushscribe adapt did not run');
  if (job.error || !job.output) return unavailable(`hushscribe adapt failed (${job.error ?? 'no report'})`);
  if (!job.output.profilePath) return available({ before: base.report.wer, after: base.report.wer, notKept: job.output.notSavedReason ?? 'no reason given', scoredAnyway: null });
  const adapted = run.adapted[d];
  if (!adapted) return unavailable('adapted eval not run');
  if (!adapted.ok) return unavailable(`adapted student eval failed (${adapted.error})`);
  const notHelped = job.output.keptOnlyForBench;
  if (notHelped) return available({ before: base.report.wer, after: base.report.wer, notKept: notHelped, scoredAnyway: adapted.report.wer });
  return available({ before: base.report.wer, after: adapted.report.wer, notKept: null, scoredAnyway: null });
}

function scenarioTable(runs: readonly ScenarioRun[]): string {
  const part = (p: Part | null): string => (p === null ? '—' : `${p.rows.length === p.available ? p.rows.length : `${p.rows.length} of ${p.available}`} utts, ${minutes(audioOf(p.rows))}`);
  const speakers = (p: Part | null): string => (p === null ? '—' : String(new Set(p.rows.map((r) => r.speaker)).size));
  return mdTable(
    ['scenario', 'what', 'adapt on', 'test on (scored)', 'test words', 'speakers adapt / test'],
    runs.map((r) => {
      const room = r.info?.room;
      const roomText = room ? ` (room ${room.dims?.join(' × ') ?? '?'} m, talker ${room.distance ?? '?'} m from the microphone, RT60 ${room.rt60_s ?? '?'} s, DRR ${room.drr_db ?? '?'} dB)` : '';
      return [
        r.scenario.label,
        r.error ?? `${r.info?.what ?? r.scenario.what}${roomText}`,
        part(r.adapt),
        part(r.test),
        r.test ? String(words(r.test.rows)) : '—',
        `${speakers(r.adapt)} / ${speakers(r.test)}`,
      ];
    }),
    [false, false, true, true, true, true],
  );
}

function werTable(runs: readonly ScenarioRun[]): string {
  const rows: string[][] = [];
  for (const r of runs) {
    for (const d of DECODINGS) {
      const checked = d === 'lm' && r.scenario.minReduction !== null;
      const target = checked ? `≤ −${(100 * r.scenario.minReduction!).toFixed(0)} %` : '—';
      const pair = werPair(r, d);
      if (!pair.ok) {
        // The base figure still tells how the student does on the scenario when adapting failed.
        const base = r.base[d];
        rows.push([r.scenario.label, decodingLabel(d), base?.ok ? fmtPct(base.report.wer) : NA, NA, NA, target, checked ? status(false) : '', pair.why]);
        continue;
      }
      const rel = relativeChange(pair.value.before, pair.value.after);
      const met = rel !== null && r.scenario.minReduction !== null && rel <= -r.scenario.minReduction + 1e-9;
      rows.push([
        r.scenario.label,
        decodingLabel(d),
        fmtPct(pair.value.before),
        fmtPct(pair.value.after),
        fmtRelative(rel),
        target,
        checked ? status(met) : '',
        notKeptNote(pair.value),
      ]);
    }
  }
  return mdTable(['scenario', 'decoding', 'base student WER %', 'adapted WER %', 'relative change', 'target', 'status', 'note'], rows, [false, false, true, true, true, false, false, false]);
}

function jobTable(runs: readonly ScenarioRun[]): string {
  return mdTable(
    ['scenario', 'audio read', 'speech (teacher)', 'trained / held out', 'epochs, steps', 'student spike lag (targets moved by it)', 'held-out WER vs teacher', 'on its sure words (the keep check)', 'held-out WER vs transcripts (not used)', 'profile', 'wall (whole command)', 'reading / training / measuring', 'CPU', 'peak RSS'],
    runs.map((r) => {
      const j = r.job;
      if (!j) return [r.scenario.label, '—', '', '', '', '', '', '', '', r.error ?? 'not run', '', '', '', ''];
      const o = j.output;
      if (!o) return [r.scenario.label, NA, '', '', '', '', '', '', '', `failed: ${j.error ?? 'no report'}`, fmtSeconds(j.m.wallS), '', j.m.cpuS === null ? NA : fmtSeconds(j.m.cpuS), fmtRssKb(j.m.peakRssKb)];
      return [
        r.scenario.label,
        minutes(o.audioS),
        fmtSeconds(o.speechS),
        `${fmtSeconds(o.trainS)} / ${fmtSeconds(o.holdoutS)} (${o.holdoutWords} words)`,
        `${o.epochs}, ${o.steps}${o.stoppedByBudget ? ' (time budget)' : ''}`,
        `${o.spike.lagMs} ms${o.spike.aligned && o.spike.lagMs !== 0 ? ' (moved)' : ''}`,
        `${o.werBefore.toFixed(1)} % → ${o.werAfter.toFixed(1)} %${o.sure.decided ? '' : ' (the keep check: too few sure words)'}`,
        `${o.sure.werBefore.toFixed(1)} % → ${o.sure.werAfter.toFixed(1)} % (${o.sure.words} words)`,
        o.truth ? `${o.truth.werBefore.toFixed(1)} % → ${o.truth.werAfter.toFixed(1)} % (${o.truth.words} words)` : '—',
        o.keptOnlyForBench ? 'not kept by the app (saved with `--keep` to be scored)' : o.profilePath ? 'kept' : `not kept: ${o.notSavedReason ?? ''}`,
        fmtSeconds(j.m.wallS),
        `${o.seconds.reading} / ${o.seconds.training} / ${o.seconds.measuring} s`,
        j.m.cpuS === null ? NA : fmtSeconds(j.m.cpuS),
        fmtRssKb(j.m.peakRssKb),
      ];
    }),
    [false, true, true, true, true, true, true, true, true, false, true, true, true, true],
  );
}

/** The job with the most audio times the 10-minute target; fewer minutes are extrapolated by adaptTimeCheck. */
function timing(runs: readonly ScenarioRun[]): Available<AdaptTiming> {
  const done = runs.flatMap((r) => (r.job?.output && !r.job.error ? [{ r, o: r.job.output, m: r.job.m }] : []));
  if (done.length === 0) return unavailable(runs.map((r) => `${r.scenario.name}: ${r.error ?? r.job?.error ?? 'no adaptation job ran'}`).join('; '));
  const best = done.reduce((a, b) => (b.o.audioS > a.o.audioS ? b : a));
  return available({ scenario: best.r.scenario.name, audioS: best.o.audioS, wallS: best.m.wallS, trainingS: best.o.seconds.training });
}

function targetsOf(pair: (s: Scenario) => Available<WerPair>, time: Available<AdaptTiming>): TargetCheck[] {
  const checks = SCENARIOS.flatMap((s) => (s.minReduction === null ? [] : [werReductionCheck(s.what, s.minReduction, pair(s))]));
  return [...checks, adaptTimeCheck(time, DEFAULT_TRAINING.timeBudgetSeconds)];
}

/** Every target MISSED with the same reason: the section could not run at all. */
const notMeasured = (why: string): TargetCheck[] => targetsOf(() => unavailable(why), unavailable(why));

export async function adaptationSection(ctx: BenchContext): Promise<SectionResult> {
  const student = ctx.opts.adaptStudent ?? NAMED_MODELS.student.path;
  const teacher = ctx.opts.adaptTeacher ?? NAMED_MODELS.teacher.path;
  const sets = ctx.opts.adaptSets ?? ADAPT_SETS;
  try {
    await checkAdaptModels({ studentPath: student, teacherPath: teacher });
  } catch (err) {
    const why = userMessageOf(err).replace(REPO, '');
    return {
      title: ADAPT_TITLE,
      body: `_Skipped: ${why}. Adaptation needs the student (ONNX + .safetensors) and the teacher; \`--adapt-student PATH --adapt-teacher PATH\` points this section at other files._`,
      targets: notMeasured(why),
    };
  }
  if (!SCENARIOS.some((s) => existsSync(join(sets, s.name, 'adapt.tsv')))) {
    const why = `the scenario sets are not built (${shortPath(sets)} holds none; ${BUILD_SETS} builds them)`;
    return { title: ADAPT_TITLE, body: `_Skipped: ${why}._`, targets: notMeasured(why) };
  }

  const runs: ScenarioRun[] = [];
  for (const s of SCENARIOS) runs.push(await runScenario(ctx, s, sets, student, teacher));
  const inApp = inAppPart(await inAppRun(ctx, runs, custom(ctx)));

  const how = [
    '**How it is measured.**',
    `- Models: student \`${shortPath(student)}\` (gates from the .safetensors beside it), teacher \`${shortPath(teacher)}\`.${custom(ctx) ? ' **These are not the shipped models** (`--adapt-student` / `--adapt-teacher`): the figures check the harness, not adaptation.' : ''}`,
    `- Scenario sets: \`${shortPath(sets)}/<scenario>/{adapt,test}.tsv\`, built from ../shared by ${BUILD_SETS}; the audio scored was never adapted on.`,
    `- Per scenario: \`hushscribe eval test.tsv --model STUDENT [--no-lm]\` (the base student); \`hushscribe adapt adapt.tsv --name NAME --student STUDENT --teacher TEACHER --threads 1 --keep\` with the product's defaults (CTC on the teacher's LM transcript of the adapt audio, only the tied gates trained, 20 % of the adapt audio held out for the job's own check, rotating over ${Math.round(1 / 0.2)} splits when there is under ${(ROTATE_BELOW_SECONDS / 60).toFixed(1)} min of it, WER against the teacher's transcript with the LM, judged on the words the teacher is at least ${SURE_CONFIDENCE} sure of when there are ${MIN_SURE_WORDS} or more (else on all its words); the app keeps the profile only if that improved, and \`--keep\` saves it anyway so that the bench also scores what it would have done); then \`hushscribe eval test.tsv --model STUDENT --profile NAME [--no-lm]\`. All on the CPU provider, one thread, one process at a time.`,
    ctx.opts.adaptNoLm ? '- **`--adapt-no-lm`**: the job\'s own held-out check decoded greedily, not with the LM as the product does, so which profiles were kept is not what the app would keep.' : '',
    '- WER is against the manifests\' ground truth (`electron/core/eval/wer.ts`). When the job\'s check says the profile did not help, the app keeps the base model, so the adapted figure (and the target) is the base one; the note says why and gives the profile\'s own figure, scored anyway.',
    `- Wall time is the whole \`hushscribe adapt\` command (GNU time: Node start-up, model and LM loading, decoding the audio, teacher and student passes, training, the held-out check). Training stops after the step that passes the job\'s ${DEFAULT_TRAINING.timeBudgetSeconds} s budget. Teacher passes are computed, not reused (a fresh cache per scenario); the app reuses a stored one when the teacher already re-transcribed a recording. The timing target is taken from the job with the most audio; below ${TARGETS.adaptAudioMinutes} min it is extrapolated and says so. The app\'s responsiveness during a job is measured separately, in the app (below).`,
  ].filter(Boolean).join('\n');

  const notes = runs.flatMap((r) => {
    const out: string[] = [];
    for (const d of DECODINGS) {
      const b = r.base[d];
      if (b && !b.ok) out.push(`${r.scenario.label}, base ${decodingLabel(d)}: ${b.error}`);
      const a = r.adapted[d];
      if (a && !a.ok) out.push(`${r.scenario.label}, adapted ${decodingLabel(d)}: ${a.error}`);
    }
    return out;
  });

  const body = [
    how,
    '### Scenarios',
    scenarioTable(runs),
    '### WER before and after adapting (test audio, ground truth)',
    werTable(runs),
    '### The adaptation job',
    jobTable(runs),
    '### Adapting in the app',
    inApp.md,
    notes.length ? `**Notes.**\n${notes.map((n) => `- ${n}`).join('\n')}` : '',
  ].filter(Boolean).join('\n\n');
  const pairFor = (s: Scenario): Available<WerPair> => {
    const run = runs.find((r) => r.scenario.name === s.name);
    return run ? werPair(run, 'lm') : unavailable('scenario not run');
  };
  return { title: ADAPT_TITLE, body, targets: [...targetsOf(pairFor, timing(runs)), inApp.target] };
}

const custom = (ctx: BenchContext): boolean => ctx.opts.adaptStudent !== null || ctx.opts.adaptTeacher !== null;

/** The in-app run on the scenario with the most adapt audio (the room's 10 min), with the shipped models only: the app loads those. */
async function inAppRun(ctx: BenchContext, runs: readonly ScenarioRun[], customModels: boolean): Promise<Available<InAppAdapt>> {
  if (customModels) return unavailable('--adapt-student / --adapt-teacher name other models, and the app runs the shipped ones');
  const parts = runs.flatMap((r) => (r.adapt && r.adapt.rows.length > 0 ? [{ scenario: r.scenario, rows: r.adapt.rows }] : []));
  if (parts.length === 0) return unavailable('no scenario set has adapt audio');
  const most = parts.reduce((a, b) => (audioOf(b.rows) > audioOf(a.rows) ? b : a));
  try {
    return await adaptInApp(ctx, most.rows, `bench-app-${most.scenario.name.replace(/_/g, '-')}`);
  } catch (err) {
    return unavailable(userMessageOf(err).split('\n')[0]);
  }
}
