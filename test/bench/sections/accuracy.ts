/**
 * Section 1: WER per dev set for each system, with speed (RTF on one thread), peak RSS and size
 * on disk. Sets run one after another, each system in its own child process, so nothing runs
 * alongside a measurement but what the machine's other users run.
 */
import { relative } from 'node:path';
import { decoderParamsSource } from '../../../electron/core/transcribe/decoder-factory.js';
import { loadDevSet, type DevSet } from '../dev-sets.js';
import { REPO } from '../paths.js';
import { HAS_GNU_TIME } from '../measure.js';
import { available, modelTargets, unavailable, type Available, type BySet } from '../model-targets.js';
import type { SystemName } from '../options.js';
import { lmSizeBytes, onnxSizeBytes, ourModelPath, runOurModel } from '../our-model.js';
import { pocketsphinxMissing, pocketsphinxSizeBytes, runPocketsphinx } from '../pocketsphinx.js';
import { rowTotals, type SetResult } from '../results.js';
import { fmtMb, fmtPct, fmtRssKb, fmtRtf, fmtSeconds, mdTable, NA } from '../table.js';
import { trainingSubsection } from '../training-record.js';
import type { BenchContext, SectionResult, TargetCheck } from './types.js';

const TITLE = '1. Accuracy and speed on the dev sets';

interface SystemSpec {
  system: SystemName;
  /** Decoded with an LM (pocketsphinx always is). */
  lm: boolean;
  label: string;
  decoding: string;
  size: string;
  /** Sets it is meant for (the digits fixture knows only digits); undefined: all. */
  onlySets?: string[];
  run: (set: DevSet, tmp: string) => Promise<SetResult>;
}

function systemsFor(ctx: BenchContext, notes: string[]): SystemSpec[] {
  const specs: SystemSpec[] = [];
  for (const model of ctx.opts.models) {
    if (model === 'pocketsphinx') {
      const why = pocketsphinxMissing();
      if (why) { notes.push(`pocketsphinx: ${why}, so it is skipped`); continue; }
      specs.push({
        system: model,
        lm: true,
        label: 'pocketsphinx en-us',
        decoding: 'its 3-gram LM (en-us.lm.bin), default beams',
        size: `${fmtMb(pocketsphinxSizeBytes())} (acoustic model + LM + dictionary)`,
        run: (set, tmp) => runPocketsphinx(set, tmp),
      });
      continue;
    }
    const { path, why } = ourModelPath(model);
    if (!path) { notes.push(`${model}: ${why}, so it is skipped`); continue; }
    const onlySets = model === 'fixture' ? ['fsdd'] : undefined;
    const size = onnxSizeBytes(path);
    for (const lm of [false, true]) {
      specs.push({
        system: model,
        lm,
        label: model,
        decoding: lm ? `LM beam search (models/lm/hushscribe-3gram.bin, ${relative(REPO, decoderParamsSource(path))})` : 'greedy (--no-lm)',
        size: lm ? `${fmtMb(size + lmSizeBytes())} (model ${fmtMb(size)} + LM ${fmtMb(lmSizeBytes())})` : fmtMb(size),
        onlySets,
        run: (set, tmp) => runOurModel(model, lm, set, tmp),
      });
    }
  }
  return specs;
}

/**
 * The model targets from the LM rows. A system without one says why: not built (or installed)
 * comes first, since choosing it in --models would not help. The student's size is checked
 * whenever it is built, even if --models left it out of this run.
 */
function checkTargets(ctx: BenchContext, systems: SystemSpec[], results: BySet[], setNames: string[]): TargetCheck[] {
  const lmRuns = (system: 'teacher' | 'student' | 'pocketsphinx'): Available<BySet> => {
    const k = systems.findIndex((s) => s.system === system && s.lm);
    if (k >= 0) return available(results[k]);
    const why = system === 'pocketsphinx' ? pocketsphinxMissing() : ourModelPath(system).why;
    return unavailable(why || `not run (--models ${ctx.opts.models.join(',')})`);
  };
  const student = ourModelPath('student');
  return modelTargets({
    sets: setNames,
    teacherLm: lmRuns('teacher'),
    studentLm: lmRuns('student'),
    pocketsphinx: lmRuns('pocketsphinx'),
    studentOnnxBytes: student.path ? available(onnxSizeBytes(student.path)) : unavailable(student.why),
  });
}

export async function accuracySection(ctx: BenchContext, setNames: string[]): Promise<SectionResult> {
  const notes: string[] = [];
  const systems = systemsFor(ctx, notes);
  if (systems.length === 0) return { title: TITLE, body: `_Skipped: no system to run._\n\n${notes.map((n) => `- ${n}`).join('\n')}`, targets: checkTargets(ctx, systems, [], setNames) };
  for (const s of systems) {
    if (s.onlySets && !s.onlySets.some((n) => setNames.includes(n))) notes.push(`${s.label} (${s.decoding}) runs only on ${s.onlySets.join(', ')}, which is not among the sets chosen`);
  }

  const sets: DevSet[] = [];
  const results = systems.map(() => new Map<string, SetResult>());
  for (const name of setNames) {
    const set = await loadDevSet(name, ctx.opts.limit, ctx.tmp);
    sets.push(set);
    for (let k = 0; k < systems.length; k++) {
      const s = systems[k];
      if (s.onlySets && !s.onlySets.includes(name)) continue;
      const t0 = performance.now();
      const r = await s.run(set, ctx.tmp);
      results[k].set(name, r);
      const took = ((performance.now() - t0) / 1000).toFixed(0);
      ctx.log(`[accuracy] ${s.label} ${s.decoding.split(' (')[0]} on ${name}: ${r.ok ? `WER ${fmtPct(r.wer)} %, RTF ${fmtRtf(r.decodeWallS / Math.max(r.audioS, 1e-9))}` : `FAILED (${r.error})`} (${took} s)`);
      if (!r.ok) notes.push(`${s.label}, ${s.decoding}, on ${name} failed: ${r.error}`);
    }
  }

  // Dev sets.
  const setTable = mdTable(
    ['set', 'utterances', 'audio', 'speakers', 'reference words', 'source'],
    sets.map((set) => [
      set.name,
      set.rows.length === set.available ? String(set.available) : `${set.rows.length} of ${set.available}`,
      fmtSeconds(set.rows.reduce((s, r) => s + r.durationSeconds, 0)),
      String(new Set(set.rows.map((r) => r.speaker)).size),
      String(set.rows.reduce((n, r) => n + r.text.split(' ').filter(Boolean).length, 0)),
      set.source.replace(/^.*\/data\/corpora\//, '../shared/data/corpora/'),
    ]),
    [false, true, true, true, true, false],
  );

  // Main table: WER per set, then per-row speed, memory and size.
  const main = mdTable(
    ['system', 'decoding', ...sets.map((s) => `${s.name} WER %`), 'RTF wall (1 thread)', 'CPU RTF (whole process)', 'peak RSS', 'size on disk'],
    systems.map((s, k) => {
      const got = [...results[k].values()];
      const t = rowTotals(got);
      return [
        s.label,
        s.decoding,
        ...sets.map((set) => {
          const r = results[k].get(set.name);
          return r === undefined ? '—' : r.ok ? fmtPct(r.wer) : 'error';
        }),
        fmtRtf(t?.rtfWall),
        fmtRtf(t?.rtfProcessCpu),
        fmtRssKb(t?.peakRssKb),
        s.size,
      ];
    }),
    [false, false, ...sets.map(() => true), true, true, true, false],
  );

  // Per set detail.
  const detailRows: string[][] = [];
  systems.forEach((s, k) => {
    for (const r of results[k].values()) {
      if (!r.ok) { detailRows.push([s.label, s.decoding.split(' (')[0], r.set, 'error', '', '', '', '', '', '', '', '']); continue; }
      const c = r.counts;
      detailRows.push([
        s.label,
        s.decoding.split(' (')[0],
        r.set,
        String(r.utterances),
        String(c.referenceWords),
        `${c.substitutions} / ${c.deletions} / ${c.insertions}`,
        fmtPct(r.wer),
        fmtSeconds(r.audioS),
        fmtRtf(r.decodeWallS / Math.max(r.audioS, 1e-9)),
        r.decodeCpuS === null ? NA : fmtRtf(r.decodeCpuS / Math.max(r.audioS, 1e-9)),
        r.processCpuS === null ? NA : fmtRtf(r.processCpuS / Math.max(r.audioS, 1e-9)),
        fmtRssKb(r.peakRssKb),
      ]);
    }
  });
  const detail = mdTable(
    ['system', 'decoding', 'set', 'utts', 'ref words', 'S / D / I', 'WER %', 'audio', 'RTF wall', 'RTF decoding CPU', 'CPU RTF (whole process)', 'peak RSS'],
    detailRows,
    [false, false, false, true, true, true, true, true, true, true, true, true],
  );

  const how = [
    '**How it is measured.**',
    '- WER: word errors (substitutions + deletions + insertions) over reference words, pooled over each set\'s utterances, from the eval harness\'s alignment (`electron/core/eval/wer.ts`, one Levenshtein alignment for every system). References are the manifests\' normalised text; the LibriVox references and pocketsphinx\'s output are normalised the same way (lowercase a–z and apostrophe, numbers spelled out; `<s>`, `</s>`, `<sil>`, `[noise]`-style fillers and `(2)` pronunciation markers removed).',
    '- Our models: `hushscribe eval MANIFEST --model M --provider cpu --threads 1 [--no-lm] --out results.json`, one child process per set. **RTF wall** is the harness\'s own timer: features + acoustic model + decoder (LM beam search or greedy), per utterance, fed in 1 s pushes; reading and decoding the audio file is left out.',
    '- pocketsphinx: `pocketsphinx_batch` with the Debian en-us acoustic model, `en-us.lm.bin` and `cmudict-en-us.dict` on the same utterances, converted to 16 kHz 16-bit WAV by our own audio loader beforehand. **RTF wall** is its own decoding time (batch log `TOTAL … seconds wall`: features + search, model loading left out); **RTF decoding CPU** its `TOTAL … seconds CPU`. It is single-threaded.',
    '- **CPU RTF (whole process)**: user + system CPU time of the child process (GNU time `%U + %S`) over the audio: start-up, model and LM loading and (ours) FLAC/Opus decoding included, so it is an upper bound that other load on the machine does not inflate; on small sets start-up weighs a lot.',
    `- **Peak RSS**: the child process's maximum resident set size, ${HAS_GNU_TIME ? 'from GNU time (`/usr/bin/time -f %M`, getrusage ru_maxrss)' : 'not measured (GNU time /usr/bin/time is missing)'}; per row, the largest over its sets. Ours includes Node, tsx, onnxruntime and, with the LM, the loaded LM.`,
    '- **Size on disk**: the ONNX file (plus the compiled LM for LM rows); for pocketsphinx the en-us acoustic model folder, `en-us.lm.bin` and the dictionary.',
    '- Row figures (RTF, CPU RTF) are totals over the sets the row ran, divided by their audio. A `—` cell was not run (the digits fixture runs only on fsdd).',
    '- **Model targets** (listed under Targets at the top) are checked on the LM rows: teacher and student against pocketsphinx per set, the student against the teacher per set, RTF wall pooled over the sets, and the student\'s ONNX size. A model or baseline that did not run makes its targets MISSED, with the reason.',
  ].join('\n');

  const body = [
    how,
    '### Dev sets',
    setTable,
    '### WER per dev set, with speed, memory and size',
    main,
    '### Hours seen in training',
    trainingSubsection(),
    '### Per set',
    detail,
    notes.length ? `**Notes.**\n${notes.map((n) => `- ${n}`).join('\n')}` : '',
  ].filter(Boolean).join('\n\n');
  return { title: TITLE, body, targets: checkTargets(ctx, systems, results, setNames) };
}
