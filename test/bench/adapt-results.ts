/**
 * The adaptation section's pure parts: reading `hushscribe adapt`'s report off its stdout, the
 * relative WER change, and the issue 5 target checks, so each has its own test
 * (adaptation.test.ts). A check whose input is missing is MISSED with the reason, never absent.
 */
import type { Available } from './model-targets.js';
import type { TargetCheck } from './sections/types.js';
import { fmtPct, fmtSeconds } from './table.js';
import { TARGETS } from './targets.js';

/** What `hushscribe adapt` prints on stdout (electron/cli/commands/adapt.ts). */
export interface AdaptOutput {
  name: string;
  baseModelVersion: string;
  audioS: number;
  speechS: number;
  trainS: number;
  holdoutS: number;
  holdoutWords: number;
  /** Held-out WER of the student against the teacher's transcript, percent. */
  werBefore: number;
  werAfter: number;
  /** The same on the teacher's words it is sure of, and whether that check decided (else all words did). */
  sure: { words: number; werBefore: number; werAfter: number; decided: boolean };
  /** Held-out WER against the manifest's own transcripts (never used to decide); null when it had none. */
  truth: { words: number; werBefore: number; werAfter: number } | null;
  epochs: number;
  steps: number;
  stoppedByBudget: boolean;
  /** Where the profile went, or null with the job's reason when it kept none. */
  profilePath: string | null;
  notSavedReason: string | null;
  /** Why the app would have kept no profile, when the bench kept it anyway (`--keep`) to score it; null: it helped. */
  keptOnlyForBench: string | null;
  /** The student's spike lag behind the teacher on this audio, ms (negative: earlier), and whether the targets were moved by it. */
  spike: { lagMs: number; aligned: boolean };
  /** The job's own clock (whole seconds), not counting Node's start-up. */
  seconds: { total: number; reading: number; training: number; measuring: number };
}

const NUM = String.raw`(-?[\d.]+)`;
const CLOCK = String.raw`(\d+m\d{2}s|\d+s)`;
const HEAD = new RegExp(String.raw`^adapted '(.+)' \(base (.+)\) on ${NUM} s of audio, ${NUM} s of speech: ${NUM} s trained, ${NUM} s held out \((\d+) words\)$`);
const WER = new RegExp(String.raw`^held-out WER against the teacher: before ${NUM}%, after ${NUM}%`);
const SURE = new RegExp(String.raw`^held-out WER on the (\d+) words the teacher is sure of \(confidence ≥ [\d.]+\): before ${NUM}%, after ${NUM}% \((the keep check|too few)`);
const TRUTH = new RegExp(String.raw`^held-out WER against the manifest's transcripts \((\d+) words; not used to decide\): before ${NUM}%, after ${NUM}%$`);
const TRAINING = /^training: (\d+) epoch\(s\), (\d+) steps( \(stopped by the time budget\))?/;
const SPIKE = /^spike timing: the student fires (\d+) ms (before|after) the teacher here(; the targets were moved onto its timing)?$/;
const TIME = new RegExp(String.raw`^time ${CLOCK} \(reading ${CLOCK}, training ${CLOCK}, measuring ${CLOCK}\)$`);

/** "1m05s" or "42s" → seconds. */
export function parseClock(text: string): number {
  const m = /^(?:(\d+)m)?(\d+)s$/.exec(text);
  if (!m) throw new Error(`not a clock: '${text}'`);
  return Number(m[1] ?? 0) * 60 + Number(m[2]);
}

/** The report `hushscribe adapt` printed, or null when a line it always prints is not there. */
export function parseAdaptOutput(stdout: string): AdaptOutput | null {
  const lines = stdout.split('\n').map((l) => l.trim());
  const find = (re: RegExp): RegExpExecArray | null => {
    for (const l of lines) {
      const m = re.exec(l);
      if (m) return m;
    }
    return null;
  };
  const head = find(HEAD);
  const wer = find(WER);
  const training = find(TRAINING);
  const time = find(TIME);
  const spike = find(SPIKE);
  const sure = find(SURE);
  const truth = find(TRUTH);
  const saved = find(/^saved profile (.+?)(?: \(kept because of --keep: (.+)\))?$/);
  const notSaved = find(/^nothing saved: (.+)$/);
  if (!head || !wer || !sure || !training || !time || !spike || (!saved && !notSaved)) return null;
  return {
    name: head[1],
    baseModelVersion: head[2],
    audioS: Number(head[3]),
    speechS: Number(head[4]),
    trainS: Number(head[5]),
    holdoutS: Number(head[6]),
    holdoutWords: Number(head[7]),
    werBefore: Number(wer[1]),
    werAfter: Number(wer[2]),
    sure: { words: Number(sure[1]), werBefore: Number(sure[2]), werAfter: Number(sure[3]), decided: sure[4] === 'the keep check' },
    truth: truth ? { words: Number(truth[1]), werBefore: Number(truth[2]), werAfter: Number(truth[3]) } : null,
    epochs: Number(training[1]),
    steps: Number(training[2]),
    stoppedByBudget: training[3] !== undefined,
    profilePath: saved ? saved[1] : null,
    notSavedReason: saved ? null : notSaved![1],
    keptOnlyForBench: saved?.[2] ?? null,
    spike: { lagMs: Number(spike[1]) * (spike[2] === 'before' ? -1 : 1), aligned: spike[3] !== undefined },
    seconds: { total: parseClock(time[1]), reading: parseClock(time[2]), training: parseClock(time[3]), measuring: parseClock(time[4]) },
  };
}

/** (after − before) / before; null when there is no base error to be relative to. */
export function relativeChange(before: number, after: number): number | null {
  if (!Number.isFinite(before) || !Number.isFinite(after) || before <= 0) return null;
  return (after - before) / before;
}

/** "−12.5 %" with a real minus sign, or n/a. */
export function fmtRelative(rel: number | null): string {
  if (rel === null) return 'n/a';
  const pct = 100 * rel;
  return `${pct < 0 ? '−' : pct > 0 ? '+' : '±'}${Math.abs(pct).toFixed(1)} %`;
}

/** Student + LM against ground truth on a scenario's test set, before and after adapting. */
export interface WerPair {
  before: number;
  after: number;
  /** Why `after` is the base model's figure (the job kept no profile), else null. */
  notKept: string | null;
  /** The WER with the profile the app would not keep, scored anyway (`--keep`); null when it was kept or not scored. */
  scoredAnyway: number | null;
}

/** The note on a pair whose profile the app would not keep. */
export function notKeptNote(pair: WerPair): string {
  if (!pair.notKept) return '';
  const anyway = pair.scoredAnyway === null ? '' : `; the profile scored anyway (\`--keep\`): ${fmtPct(pair.scoredAnyway)} % (${fmtRelative(relativeChange(pair.before, pair.scoredAnyway))})`;
  return `no profile kept (${pair.notKept}): the base model stays${anyway}`;
}

/** Issue 5: at least `minReduction` (a fraction) relative WER reduction on a scenario. */
export function werReductionCheck(what: string, minReduction: number, pair: Available<WerPair>): TargetCheck {
  const target = `adaptation: ≥ ${(100 * minReduction).toFixed(0)} % relative WER reduction for ${what} (student + LM, ground truth, test audio not adapted on)`;
  if (!pair.ok) return { target, figure: `not measured: ${pair.why}`, met: false };
  const { before, after } = pair.value;
  const rel = relativeChange(before, after);
  const note = notKeptNote(pair.value);
  const figure = `WER ${fmtPct(before)} % → ${fmtPct(after)} % (${fmtRelative(rel)} relative)${note ? `; ${note}` : ''}`;
  // A 10 % reduction computed from word counts can land a rounding error short of the line.
  return { target, figure, met: rel !== null && rel <= -minReduction + 1e-9 };
}

/** One measured adaptation job, for the timing target. */
export interface AdaptTiming {
  /** The scenario's name (speaker, tts_voice, room). */
  scenario: string;
  /** Audio the job read (its own report). */
  audioS: number;
  /** Whole command, Node's start-up and loading included. */
  wallS: number;
  /** The job's training phase, which its time budget caps. */
  trainingS: number;
}

/**
 * Seconds the job would take on `minutes` of audio. Measured on at least 98 % of it, the figure
 * stands as measured. Otherwise reading the audio (features, teacher and student passes) and
 * measuring the held-out part grow linearly with audio, while training stops after the step that
 * passes the job's time budget: it grows linearly up to the budget (or stays where it already was).
 */
export function adaptSecondsFor(t: AdaptTiming, minutes: number, trainingBudgetS: number): { seconds: number; extrapolated: boolean } {
  const want = minutes * 60;
  if (t.audioS >= 0.98 * want) return { seconds: t.wallS, extrapolated: false };
  const k = want / Math.max(t.audioS, 1e-9);
  const rest = Math.max(0, t.wallS - t.trainingS);
  return { seconds: rest * k + Math.max(t.trainingS, Math.min(t.trainingS * k, trainingBudgetS)), extrapolated: true };
}

/** Issue 5: adapting on 10 minutes of audio finishes within 5 minutes on this machine. */
export function adaptTimeCheck(timing: Available<AdaptTiming>, trainingBudgetS: number): TargetCheck {
  const minutes = TARGETS.adaptAudioMinutes;
  const limit = TARGETS.adaptWallMinutes;
  const target = `adaptation: \`hushscribe adapt\` on ${minutes} min of audio finishes within ${limit} min (one thread, this machine)`;
  if (!timing.ok) return { target, figure: `not measured: ${timing.why}`, met: false };
  const t = timing.value;
  const { seconds, extrapolated } = adaptSecondsFor(t, minutes, trainingBudgetS);
  const figure = extrapolated
    ? `${fmtSeconds(seconds)}, **extrapolated** from ${fmtSeconds(t.wallS)} on ${fmtSeconds(t.audioS)} of audio (scenario ${t.scenario}; reading and measuring scaled linearly, training capped by the job's ${trainingBudgetS} s budget)`
    : `${fmtSeconds(seconds)} measured on ${fmtSeconds(t.audioS)} of audio (scenario ${t.scenario})`;
  return { target, figure, met: seconds <= limit * 60 };
}
