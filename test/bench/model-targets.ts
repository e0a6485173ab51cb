/**
 * The model targets section 1 checks, from the LM rows of the teacher and the student and from
 * pocketsphinx, per dev set. Pure, so that the comparisons have their own tests
 * (model-targets.test.ts). Every target yields at least one check: an input that is missing
 * (a model not built, pocketsphinx not installed, a set that failed) makes a check that is not
 * met and says why, never an absent row.
 */
import { rowTotals, type SetResult } from './results.js';
import type { TargetCheck } from './sections/types.js';
import { fmtPct, fmtRtf, fmtSeconds } from './table.js';
import { TARGETS } from './targets.js';

/** An input of a target, or why it is not there. */
export type Available<T> = { ok: true; value: T } | { ok: false; why: string };

export const available = <T>(value: T): Available<T> => ({ ok: true, value });
export const unavailable = <T>(why: string): Available<T> => ({ ok: false, why });

/** One system's results by dev set name; a set it did not run is absent. */
export type BySet = ReadonlyMap<string, SetResult>;

export interface ModelTargetInputs {
  /** The dev sets of this run, in report order: each gets its own check. */
  sets: readonly string[];
  teacherLm: Available<BySet>;
  studentLm: Available<BySet>;
  pocketsphinx: Available<BySet>;
  /** The student's ONNX on disk, external data included. */
  studentOnnxBytes: Available<number>;
}

interface System {
  label: string;
  runs: Available<BySet>;
}

/** WER on one set, or why there is none. */
function werOn(system: System, set: string): Available<number> {
  if (!system.runs.ok) return unavailable(`${system.label}: ${system.runs.why}`);
  const r = system.runs.value.get(set);
  if (r === undefined) return unavailable(`${system.label} did not run on it`);
  if (!r.ok) return unavailable(`${system.label} failed (${r.error ?? 'no reason given'})`);
  return available(r.wer);
}

/** Two WERs that round alike at one decimal get a second one, so a MISSED never reads "12.3 % vs 12.3 %". */
function werPair(a: number, b: number): string {
  const digits = fmtPct(a) === fmtPct(b) ? 2 : 1;
  return `${a.toFixed(digits)} % vs ${b.toFixed(digits)} %`;
}

/**
 * One check per set comparing two systems' WER. A system missing altogether makes one check
 * instead of a row per set repeating the same reason.
 */
function perSet(target: string, a: System, b: System, sets: readonly string[], judge: (a: number, b: number) => { met: boolean; figure: string }): TargetCheck[] {
  const gone = [a, b].flatMap((s) => (s.runs.ok ? [] : [`${s.label}: ${s.runs.why}`]));
  if (gone.length) return [{ target, figure: gone.join('; '), met: false }];
  if (sets.length === 0) return [{ target, figure: 'no dev set was run', met: false }];
  return sets.map((set) => {
    const wa = werOn(a, set);
    const wb = werOn(b, set);
    if (!wa.ok || !wb.ok) return { target, figure: `${set}: ${[wa, wb].flatMap((w) => (w.ok ? [] : [w.why])).join('; ')}`, met: false };
    const j = judge(wa.value, wb.value);
    return { target, figure: `${set}: ${j.figure}`, met: j.met };
  });
}

function beatsBaseline(model: System, baseline: System, sets: readonly string[]): TargetCheck[] {
  return perSet(`${model.label} beats ${baseline.label} (lower WER) on every dev set`, model, baseline, sets, (m, b) => ({ met: m < b, figure: werPair(m, b) }));
}

function withinRatio(student: System, teacher: System, sets: readonly string[], ratio: number): TargetCheck[] {
  return perSet(`${student.label} WER ≤ ${ratio}× ${teacher.label} WER on every dev set`, student, teacher, sets, (s, t) => ({
    // WERs are ratios of word counts: an exact 1.5× can land a rounding error above the line.
    met: s <= t * ratio + 1e-9,
    figure: `${werPair(s, t)}${t > 0 ? ` (${(s / t).toFixed(2)}×)` : ''}`,
  }));
}

/** RTF wall pooled over the sets: Σ decoding wall time / Σ audio, as the main table's row figure. */
function rtfCheck(who: string, system: System, sets: readonly string[], max: number): TargetCheck {
  const target = `${who} RTF ≤ ${max} (${system.label}: wall, one thread, features + acoustic model + LM beam search, pooled over the dev sets)`;
  if (!system.runs.ok) return { target, figure: system.runs.why, met: false };
  const runs = system.runs.value;
  const decoded = sets.flatMap((s) => {
    const r = runs.get(s);
    return r?.ok ? [r] : [];
  });
  const left = sets.flatMap((s) => {
    const r = runs.get(s);
    return r === undefined ? [`${s} (not run)`] : r.ok ? [] : [`${s} (failed)`];
  });
  const t = rowTotals(decoded);
  if (t === null) return { target, figure: `no dev set decoded${left.length ? `: ${left.join(', ')}` : ''}`, met: false };
  const leftOut = left.length ? `; left out: ${left.join(', ')}` : '';
  return { target, figure: `RTF ${fmtRtf(t.rtfWall)} over ${decoded.length} set${decoded.length === 1 ? '' : 's'}, ${fmtSeconds(t.audioS)} of audio${leftOut}`, met: t.rtfWall <= max };
}

function sizeCheck(bytes: Available<number>, max: number): TargetCheck {
  const target = `student model size on disk ≤ ${max / 1e6} MB (the ONNX, external data included)`;
  if (!bytes.ok) return { target, figure: bytes.why, met: false };
  // Two decimals: at one, 4.04 MB would read "4.0 MB" beside MISSED.
  return { target, figure: `${(bytes.value / 1e6).toFixed(2)} MB (${bytes.value} bytes)`, met: bytes.value <= max };
}

export function modelTargets(input: ModelTargetInputs): TargetCheck[] {
  const teacher: System = { label: 'teacher + LM', runs: input.teacherLm };
  const student: System = { label: 'student + LM', runs: input.studentLm };
  const baseline: System = { label: 'pocketsphinx-en-us', runs: input.pocketsphinx };
  return [
    ...beatsBaseline(teacher, baseline, input.sets),
    rtfCheck('teacher', teacher, input.sets, TARGETS.teacherRtf),
    ...beatsBaseline(student, baseline, input.sets),
    ...withinRatio(student, teacher, input.sets, TARGETS.studentTeacherWerRatio),
    rtfCheck('student', student, input.sets, TARGETS.studentRtf),
    sizeCheck(input.studentOnnxBytes, TARGETS.studentOnnxBytes),
  ];
}
