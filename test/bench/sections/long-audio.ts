/**
 * Section 3: a meeting-length file through the CLI with the default model
 * (`hushscribe transcribe FILE --format txt`), wall time, RTF and peak RSS, and the same at
 * 10 minutes to show memory stays bounded. The long WAVs are built once by
 * test/fixtures/make-long-audio.sh into test/fixtures/generated/ (gitignored) and reused.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { defaultModel, NAMED_MODELS } from '../../../electron/core/transcribe/model-paths.js';
import { failureOf, runMeasured, type Measured } from '../measure.js';
import { CLI, GENERATED, MAKE_LONG_AUDIO, REPO } from '../paths.js';
import { fmtRssKb, fmtRtf, fmtSeconds, mdTable, status } from '../table.js';
import { TARGETS } from '../targets.js';
import { skipped, type BenchContext, type SectionResult, type TargetCheck } from './types.js';

const TITLE = '3. Long audio';

const fileName = (minutes: number): string => (minutes % 60 === 0 ? `long-${minutes / 60}h.wav` : `long-${minutes}m.wav`);

interface LongRun {
  minutes: number;
  m: Measured;
  audioS: number;
  model: string;
  provider: string;
  cliRtf: number;
  words: number;
}

/** "student:1 on cpu: 7200.0 s of audio in 301.20 s (RTF 0.042)" */
const SUMMARY = /^(.+) on (\S+): ([\d.]+) s of audio in ([\d.]+) s \(RTF ([\d.]+)\)\s*$/m;

function build(minutes: number, ctx: BenchContext): string {
  const out = join(GENERATED, fileName(minutes));
  if (!existsSync(out)) ctx.log(`[long] building ${out} (${minutes} min) with test/fixtures/make-long-audio.sh`);
  const r = spawnSync('bash', [MAKE_LONG_AUDIO, out, String(minutes * 60)], { cwd: REPO, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`make-long-audio.sh failed: ${(r.stderr ?? '').trim().split('\n').pop() ?? ''}`);
  return out;
}

async function transcribe(minutes: number, ctx: BenchContext): Promise<LongRun | string> {
  const file = build(minutes, ctx);
  ctx.log(`[long] hushscribe transcribe ${file.replace(REPO, '')} --format txt`);
  const m = await runMeasured(process.execPath, [CLI, 'transcribe', file, '--format', 'txt'], { cwd: REPO });
  if (m.code !== 0) return `transcribing ${fileName(minutes)} failed (${failureOf(m)})`;
  const s = SUMMARY.exec(m.stderr);
  if (!s) return `cannot read the CLI's summary line from: ${m.stderr.trim().split('\n').pop() ?? ''}`;
  const words = m.stdout.split(/\s+/).filter(Boolean).length;
  ctx.log(`[long] ${fileName(minutes)}: ${m.wallS.toFixed(1)} s wall, peak RSS ${fmtRssKb(m.peakRssKb)}`);
  return { minutes, m, audioS: Number(s[3]), model: s[1], provider: s[2], cliRtf: Number(s[5]), words };
}

export async function longAudioSection(ctx: BenchContext): Promise<SectionResult> {
  if (ctx.opts.quick) return skipped(TITLE, '--quick was given');
  if (spawnSync('sox', ['--version']).status !== 0) return skipped(TITLE, 'sox is not installed (test/fixtures/make-long-audio.sh needs it)');
  const model = defaultModel();
  const short = Math.min(10, Math.max(1, Math.floor(ctx.opts.longMinutes / 2)));
  const runs: LongRun[] = [];
  const notes: string[] = [`Default model: **${model}** (\`${NAMED_MODELS[model].path.replace(REPO, '')}\`): the student once it is built, else the teacher, else the digits fixture.`];
  for (const minutes of [...new Set([short, ctx.opts.longMinutes])]) {
    let r: LongRun | string;
    try {
      r = await transcribe(minutes, ctx);
    } catch (err) {
      r = (err as Error).message;
    }
    if (typeof r === 'string') notes.push(`**Failed:** ${r}`);
    else runs.push(r);
  }
  const rows = runs.map((r) => [
    `\`${fileName(r.minutes)}\``,
    fmtSeconds(r.audioS),
    r.model,
    r.provider,
    fmtSeconds(r.m.wallS),
    fmtRtf(r.m.wallS / r.audioS),
    fmtRtf(r.cliRtf),
    r.m.cpuS === null ? 'n/a' : fmtRtf(r.m.cpuS / r.audioS),
    fmtRssKb(r.m.peakRssKb),
    String(r.words),
  ]);
  const table = mdTable(
    ['file', 'audio', 'model', 'provider', 'wall time (whole command)', 'RTF wall (whole command)', 'RTF (CLI: load + decode + transcribe)', 'CPU RTF (whole process)', 'peak RSS', 'words out'],
    rows,
    [false, true, false, false, true, true, true, true, true, true],
  );

  const targets: TargetCheck[] = [];
  const long = runs.find((r) => r.minutes === ctx.opts.longMinutes);
  const base = runs.find((r) => r.minutes === short);
  if (long) {
    const rtf = long.m.wallS / long.audioS;
    targets.push({ target: `long audio (${fmtSeconds(long.audioS)}): faster than real time, whole command (RTF wall < ${TARGETS.longAudioRtf})`, figure: `RTF ${fmtRtf(rtf)}`, met: rtf < TARGETS.longAudioRtf });
  }
  if (long && base && long !== base && long.m.peakRssKb !== null && base.m.peakRssKb !== null) {
    const growth = long.m.peakRssKb / base.m.peakRssKb;
    targets.push({
      target: `long audio memory bounded: peak RSS at ${fmtSeconds(long.audioS)} ≤ ${TARGETS.longAudioRssGrowth} × peak RSS at ${fmtSeconds(base.audioS)}`,
      figure: `${fmtRssKb(long.m.peakRssKb)} vs ${fmtRssKb(base.m.peakRssKb)} (× ${growth.toFixed(2)})`,
      met: growth <= TARGETS.longAudioRssGrowth,
    });
  }
  const how = [
    'Command: `node electron/cli/hushscribe.mjs transcribe FILE --format txt` (one thread, its default; provider auto, as named in the table), transcript to a pipe. The files are dev-set speech of arctic_native and speechocean762 laid end to end (`test/fixtures/make-long-audio.sh`), streamed from disk by the audio loader.',
    'Wall time and peak RSS are of the whole child process (GNU time `%e` and `%M`); the CLI\'s own RTF counts from before the model loads to the end of the transcript, without Node start-up. CPU RTF is user + system CPU of the process over the audio.',
  ].join('\n\n');
  const targetLines = targets.map((t) => `- ${t.target}: ${t.figure}: ${status(t.met)}`).join('\n');
  return { title: TITLE, body: [how, table, targetLines, notes.join('\n\n')].filter(Boolean).join('\n\n'), targets };
}
