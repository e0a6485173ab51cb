/**
 * `npm run bench`: regenerates BENCHMARKS.md at the repo root from one run on this machine.
 *
 *   npm run bench [-- --sets a,b] [--models student,teacher,fixture,pocketsphinx] [--quick] [--limit N]
 *
 * Sections: 1 accuracy and speed on the dev sets (our models and pocketsphinx), 2 features +
 * LM beam search speed, 3 long audio, 4 the app in browser mode (latency, frame rate, memory),
 * 5 speaker and room adaptation (issue 5), 6 placeholders. Each measured system runs as a child
 * process, one after another, with one thread. `--sections a,b` runs a subset and writes it to test/bench/out/ instead of BENCHMARKS.md.
 * See test/bench/README.md.
 */
import { mkdir, mkdtemp, rename, rm, writeFile } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { availableSets } from './dev-sets.js';
import { machineInfo } from './machine.js';
import { parseOptions, USAGE, UsageError, type BenchOptions, type SectionName } from './options.js';
import { BENCHMARKS_MD, repoPath } from './paths.js';
import { renderReport } from './report.js';
import { accuracySection } from './sections/accuracy.js';
import { ADAPT_TITLE, adaptationSection } from './sections/adaptation.js';
import { APP_TITLE, appSection } from './sections/app.js';
import { decoderSpeedSection } from './sections/decoder-speed.js';
import { longAudioSection } from './sections/long-audio.js';
import { placeholdersSection } from './sections/placeholders.js';
import type { BenchContext, SectionResult } from './sections/types.js';

const log = (message: string): void => {
  process.stderr.write(`bench: ${message}\n`);
};

/** A section that throws still leaves its heading, with the error. */
async function guarded(title: string, run: () => Promise<SectionResult>): Promise<SectionResult> {
  try {
    return await run();
  } catch (err) {
    log(`${title} failed: ${(err as Error).stack ?? String(err)}`);
    return { title, body: `_Failed: ${(err as Error).message}_`, targets: [] };
  }
}

function chosenSets(opts: BenchOptions): string[] {
  const found = availableSets();
  if (!opts.sets) return found;
  const unknown = opts.sets.filter((s) => !found.includes(s));
  if (unknown.length) throw new UsageError(`unknown dev set ${unknown.join(', ')} (found: ${found.join(', ')})`);
  return found.filter((s) => opts.sets?.includes(s));
}

async function main(argv: string[]): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  let opts: BenchOptions;
  let sets: string[];
  try {
    opts = parseOptions(argv);
    sets = chosenSets(opts);
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    process.stderr.write(`bench: ${err.message}\n${USAGE}\n`);
    return 2;
  }
  const t0 = performance.now();
  const machine = machineInfo();
  const tmp = await mkdtemp(join(tmpdir(), 'hushscribe-bench-'));
  const ctx: BenchContext = { opts, tmp, log };
  log(`${opts.sections ? `sections ${opts.sections.join(', ')}; ` : ''}sets ${sets.join(', ') || '(none)'}; systems ${opts.models.join(', ')}${opts.limit !== null ? `; --limit ${opts.limit}` : ''}; temporary folder ${tmp}`);
  const sections: SectionResult[] = [];
  const wanted = (name: SectionName): boolean => opts.sections === null || opts.sections.includes(name);
  try {
    if (wanted('accuracy')) sections.push(await guarded('1. Accuracy and speed on the dev sets', () => accuracySection(ctx, sets)));
    if (wanted('decoder')) sections.push(await guarded('2. Runtime: features + LM beam search, no acoustic model', () => decoderSpeedSection(ctx)));
    if (wanted('long')) sections.push(await guarded('3. Long audio', () => longAudioSection(ctx)));
    if (wanted('app')) sections.push(await guarded(APP_TITLE, () => appSection(ctx, { audioMinutes: opts.appAudioMinutes, wallMinutes: opts.appWallMinutes, speed: opts.appSpeed })));
    if (wanted('adapt')) sections.push(await guarded(ADAPT_TITLE, () => adaptationSection(ctx)));
    if (wanted('placeholders')) sections.push(placeholdersSection());
  } finally {
    if (opts.keepTemp) log(`kept ${tmp}`);
    else await rm(tmp, { recursive: true, force: true });
  }
  const minutes = (performance.now() - t0) / 60000;
  const md = renderReport({ opts, machine, loadAtEnd: loadavg(), minutes, sections });
  // A subset of the sections never replaces BENCHMARKS.md.
  const target = opts.sections === null ? BENCHMARKS_MD : repoPath(`test/bench/out/bench-${opts.sections.join('-')}.md`);
  await mkdir(dirname(target), { recursive: true });
  const partial = `${target}.partial`;
  await writeFile(partial, md);
  await rename(partial, target);
  const missed = sections.flatMap((s) => s.targets).filter((t) => !t.met);
  log(`wrote ${target} in ${minutes.toFixed(1)} min${missed.length ? `; MISSED: ${missed.map((t) => `${t.target} (${t.figure})`).join('; ')}` : ''}`);
  return 0;
}

process.exitCode = await main(process.argv.slice(2));
