/**
 * Section 2: features + LM beam search without the acoustic model, one thread, by running
 * models/lm/bench-decoder.ts (the decoder's own speed bench) as a child and reading its lines.
 * That script times with process CPU time, so load from others does not inflate it.
 */
import { existsSync } from 'node:fs';
import { TARGETS } from '../targets.js';
import { failureOf, runMeasured } from '../measure.js';
import { DECODER_BENCH, REPO } from '../paths.js';
import { fmtRssKb, fmtRtf, mdTable, status } from '../table.js';
import { skipped, type BenchContext, type SectionResult, type TargetCheck } from './types.js';

const TITLE = '2. Runtime: features + LM beam search, no acoustic model';

interface Condition {
  name: string;
  seconds: number;
  featuresMs: number;
  beamMs: number;
  rtf: number;
  werGreedy: number;
  werBeam: number;
  beam: number;
}

/** "typical: 388 s of frames; CPU ms per audio second: features 2.44, beam search 1.65, together 4.09 (RTF 0.0041); WER greedy 24.55 %, beam 16 + LM 0.34 %" */
const CONDITION = /^(\w[\w ]*): ([\d.]+) s of frames; CPU ms per audio second: features ([\d.]+), beam search ([\d.]+), together [\d.]+ \(RTF ([\d.]+)\); WER greedy ([\d.]+) %, beam (\d+) \+ LM ([\d.]+) %/;
/** "flat (worst case): 120 s of frames; beam search 3.94 CPU ms per audio second" */
const FLAT = /^([^:]+): ([\d.]+) s of frames; beam search ([\d.]+) CPU ms per audio second/;

export function parseDecoderBench(stdout: string): { conditions: Condition[]; beamOnly: { name: string; seconds: number; beamMs: number }[]; lmLoad: string | null } {
  const conditions: Condition[] = [];
  const beamOnly: { name: string; seconds: number; beamMs: number }[] = [];
  let lmLoad: string | null = null;
  for (const line of stdout.split('\n')) {
    const c = CONDITION.exec(line);
    if (c) {
      conditions.push({ name: c[1], seconds: +c[2], featuresMs: +c[3], beamMs: +c[4], rtf: +c[5], werGreedy: +c[6], beam: +c[7], werBeam: +c[8] });
      continue;
    }
    const f = FLAT.exec(line);
    if (f) beamOnly.push({ name: f[1], seconds: +f[2], beamMs: +f[3] });
    if (line.startsWith('LM load:')) lmLoad = line.slice('LM load:'.length).trim();
  }
  return { conditions, beamOnly, lmLoad };
}

export async function decoderSpeedSection(ctx: BenchContext): Promise<SectionResult> {
  if (!existsSync(DECODER_BENCH)) return skipped(TITLE, `${DECODER_BENCH} is missing`);
  const sentences = ctx.opts.limit === null ? ctx.opts.decoderSentences : Math.min(ctx.opts.decoderSentences, 50);
  ctx.log(`[decoder] models/lm/bench-decoder.ts --sentences ${sentences}`);
  const m = await runMeasured(process.execPath, ['--import', 'tsx', DECODER_BENCH, '--sentences', String(sentences)], { cwd: REPO });
  if (m.code !== 0) return skipped(TITLE, `models/lm/bench-decoder.ts failed (${failureOf(m)})`);
  const { conditions, beamOnly, lmLoad } = parseDecoderBench(m.stdout);
  if (conditions.length === 0) return { title: TITLE, body: `_Could not read models/lm/bench-decoder.ts's output; here it is as printed:_\n\n\`\`\`\n${m.stdout.trim()}\n\`\`\``, targets: [] };

  const target = TARGETS.featuresBeamRtf;
  const targets: TargetCheck[] = [];
  const rows = conditions.map((c) => {
    const met = c.rtf <= target;
    targets.push({ target: `features + LM beam search (beam ${c.beam}), ${c.name} input: RTF ≤ ${target}`, figure: `RTF ${fmtRtf(c.rtf)}`, met });
    return [c.name, `${c.seconds.toFixed(0)} s`, String(c.beam), c.featuresMs.toFixed(2), c.beamMs.toFixed(2), fmtRtf(c.rtf), status(met), c.werGreedy.toFixed(2), c.werBeam.toFixed(2)];
  });
  for (const b of beamOnly) rows.push([b.name, `${b.seconds.toFixed(0)} s`, '', 'not run', b.beamMs.toFixed(2), `${fmtRtf(b.beamMs / 1000)} (beam search only)`, 'not checked', '', '']);

  const beams = [...new Set(conditions.map((c) => c.beam))];
  const notes = [
    `Command: \`node --import tsx models/lm/bench-decoder.ts --sentences ${sentences}\` (its own doc comment says what it does). Input: sentences of held-out AMI meetings turned into synthetic CTC log-probabilities, decoded the way the live path does (0.5 s pushes, a partial after each); features are computed on the same duration of audio. Times are the process's CPU time (user + system), one thread.`,
    lmLoad ? `LM load: ${lmLoad}. Peak RSS of the process: ${fmtRssKb(m.peakRssKb)}.` : '',
    beams.some((b) => b !== 16) ? `**Note:** the decoder ran with beam ${beams.join(', ')} (from models/lm/decoder-params.json), not the beam 16 the target names.` : '',
    'WER here is against the synthetic input\'s own sentences: a sanity check of the search, not a measure of recognition.',
  ].filter(Boolean).join('\n\n');

  const table = mdTable(
    ['input', 'audio', 'beam', 'features CPU ms / audio s', 'beam search CPU ms / audio s', 'RTF (1 thread)', `target ≤ ${target}`, 'WER greedy %', 'WER beam + LM %'],
    rows,
    [false, true, true, true, true, true, false, true, true],
  );
  return { title: TITLE, body: `${table}\n\n${notes}`, targets };
}
