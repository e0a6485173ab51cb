/**
 * Speed (and a sanity check of accuracy) of the live decoding path without the acoustic
 * model: log-mel features + streaming beam search with the compiled LM, one thread.
 *
 *   nice node --import tsx models/lm/bench-decoder.ts [--sentences N]
 *
 * Input: sentences of the held-out AMI test meetings (never in the LM's training text), turned
 * into CTC log-probabilities by test/fixtures/lm/synthetic-logprobs.ts, decoded the way the
 * live path does: pushed 0.5 s at a time with a partial() after each push, one segment per
 * sentence (finalize, then reset). CPU time is process user+system time, so other load on
 * the machine does not inflate it. "Hard" input has more noise and more confusions, so more
 * symbols survive pruning per frame; "flat" is the worst case, where every frame fans out.
 */
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { CtcBeamSearch } from '../../electron/core/decode/beam-search.js';
import { ctcGreedy } from '../../electron/core/decode/greedy.js';
import { LogMelExtractor } from '../../electron/core/features/logmel.js';
import { loadLm } from '../../electron/core/lm/load.js';
import { NUM_CLASSES } from '../../electron/core/symbols.js';
import { mulberry32, syntheticLogprobs, type SyntheticOptions } from '../../test/fixtures/lm/synthetic-logprobs.js';

const HERE = dirname(fileURLToPath(import.meta.url));
const SHARED = resolve(process.env.HUSHSCRIBE_SHARED ?? join(HERE, '../../../shared'));
const CHUNK_FRAMES = 25;

function cpuMs(since: NodeJS.CpuUsage): number {
  const u = process.cpuUsage(since);
  return (u.user + u.system) / 1000;
}

function editDistance(ref: string[], hyp: string[]): number {
  let prev = Array.from({ length: hyp.length + 1 }, (_, j) => j);
  for (let i = 1; i <= ref.length; i++) {
    const row = [i];
    for (let j = 1; j <= hyp.length; j++) row[j] = Math.min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + (ref[i - 1] === hyp[j - 1] ? 0 : 1));
    prev = row;
  }
  return prev[hyp.length];
}

function main(): void {
  const arg = process.argv.indexOf('--sentences');
  const count = arg > 0 ? Number(process.argv[arg + 1]) : 300;
  const report = JSON.parse(readFileSync(join(HERE, 'build-report.json'), 'utf8')) as { testMeetings: string[] };
  const sentences = gunzipSync(readFileSync(join(SHARED, 'data/text/ami-transcripts.tsv.gz')))
    .toString('utf8')
    .split('\n')
    .slice(1)
    .map((l) => l.split('\t'))
    .filter((r) => report.testMeetings.includes(r[0]) && (r[2] ?? '').split(' ').length >= 3)
    .map((r) => r[2])
    .slice(0, count);

  const t0 = performance.now();
  const lm = loadLm(join(HERE, 'hushscribe-3gram.bin'));
  const loadMs = performance.now() - t0;
  process.stdout.write(`LM load: ${loadMs.toFixed(1)} ms wall (${lm.vocabSize} words, ${lm.bigramCount} bigrams, ${lm.trigramCount} trigrams)\n`);

  const conditions: [string, SyntheticOptions][] = [
    ['typical', { uncertain: 0.15 }],
    ['hard', { uncertain: 0.3, noise: 1.5 }],
  ];
  for (const [name, options] of conditions) {
    const inputs = sentences.map((s, i) => syntheticLogprobs([s], { ...options, seed: i + 1 }));
    const frames = inputs.reduce((n, x) => n + x.frames, 0);
    const seconds = frames * 0.02;

    // Features for the same duration of audio, pushed 0.5 s at a time.
    const rand = mulberry32(7);
    const audio = new Float32Array(8000);
    const extractor = new LogMelExtractor();
    let featureMs = 0;
    for (let done = 0; done < seconds; done += 0.5) {
      for (let i = 0; i < audio.length; i++) audio[i] = (rand() - 0.5) * 0.2;
      const c = process.cpuUsage();
      extractor.push(audio);
      featureMs += cpuMs(c);
    }

    const decoder = new CtcBeamSearch(lm);
    let beamMs = 0;
    let errBeam = 0;
    let errGreedy = 0;
    let words = 0;
    for (let i = 0; i < inputs.length; i++) {
      const { logprobs, frames: n } = inputs[i];
      const c = process.cpuUsage();
      decoder.reset();
      for (let at = 0; at < n; at += CHUNK_FRAMES) {
        const len = Math.min(CHUNK_FRAMES, n - at);
        decoder.push(logprobs.subarray(at * NUM_CLASSES, (at + len) * NUM_CLASSES), len);
        decoder.partial();
      }
      const out = decoder.finalize();
      beamMs += cpuMs(c);
      const ref = sentences[i].split(' ');
      words += ref.length;
      errBeam += editDistance(
        ref,
        out.map((w) => w.text),
      );
      errGreedy += editDistance(
        ref,
        ctcGreedy(logprobs, n).map((w) => w.text),
      );
    }
    const perSecond = (ms: number): string => (ms / seconds).toFixed(2);
    process.stdout.write(
      `${name}: ${seconds.toFixed(0)} s of frames; CPU ms per audio second: features ${perSecond(featureMs)}, beam search ${perSecond(beamMs)}, ` +
        `together ${perSecond(featureMs + beamMs)} (RTF ${((featureMs + beamMs) / 1000 / seconds).toFixed(4)}); ` +
        `WER greedy ${((100 * errGreedy) / words).toFixed(2)} %, beam ${decoder.params.beam} + LM ${((100 * errBeam) / words).toFixed(2)} %\n`,
    );
  }

  // Worst case: flat posteriors (noise into an untrained or confused model), so every frame fans out.
  const rand = mulberry32(11);
  const frames = 6000;
  const flat = new Float32Array(frames * NUM_CLASSES);
  for (let t = 0; t < frames; t++) {
    let sum = 0;
    for (let c = 0; c < NUM_CLASSES; c++) sum += flat[t * NUM_CLASSES + c] = Math.exp(2 * rand() - 1);
    for (let c = 0; c < NUM_CLASSES; c++) flat[t * NUM_CLASSES + c] = Math.log(flat[t * NUM_CLASSES + c] / sum);
  }
  const decoder = new CtcBeamSearch(lm);
  const c = process.cpuUsage();
  for (let at = 0; at < frames; at += CHUNK_FRAMES) {
    decoder.push(flat.subarray(at * NUM_CLASSES, (at + CHUNK_FRAMES) * NUM_CLASSES), CHUNK_FRAMES);
    decoder.partial();
  }
  decoder.finalize();
  process.stdout.write(`flat (worst case): ${frames * 0.02} s of frames; beam search ${(cpuMs(c) / (frames * 0.02)).toFixed(2)} CPU ms per audio second\n`);
}

main();
