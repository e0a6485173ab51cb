/**
 * Builds Hushscribe's word trigram LM: `node --import tsx models/lm/build-lm.ts [--force]`
 * (run by `npm run models`).
 *
 * 1. Meeting LM: interpolated modified Kneser-Ney trigram on AMI transcripts (natural
 *    sentence frequencies, held-out meetings removed), Common Voice and Taskmaster-4
 *    sentences, and a 1-in-10 sample of the templated sentences (they are formulaic, so
 *    they are weighted down to a tenth by sampling, which keeps counts integral for KN).
 * 2. General LM: CMU Sphinx en-us 3-gram, relative-entropy pruned at 2e-7.
 * 3. Both on one vocabulary, statically interpolated into one backoff model with the
 *    weight that minimises perplexity (EM) on held-out AMI meetings ("dev"); reported on
 *    other held-out meetings ("test") and on held-out Common Voice/Taskmaster lines.
 * 4. Compiled to models/lm/hushscribe-3gram.bin; README.md and build-report.json written.
 *
 * Skipped when the output is newer than every input (data, this script, electron/core/lm).
 */
import { existsSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { parseArpa } from '../../electron/core/lm/arpa.js';
import type { BackoffModel } from '../../electron/core/lm/backoff-model.js';
import { writeLm } from '../../electron/core/lm/compile.js';
import { NgramCounts, estimateKneserNey } from '../../electron/core/lm/kneser-ney.js';
import { loadLm } from '../../electron/core/lm/load.js';
import { fitMixtureWeight, mixModels } from '../../electron/core/lm/mixture.js';
import { perplexity, type PerplexityResult } from '../../electron/core/lm/perplexity.js';
import { UNK_ID } from '../../electron/core/lm/vocabulary.js';
import type { WordLm } from '../../electron/core/lm/word-lm.js';

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = resolve(HERE, '../..');
const SHARED = resolve(process.env.HUSHSCRIBE_SHARED ?? join(ROOT, '../shared'));
const TEXT = join(SHARED, 'data/text');
const ARPA_FILE = join(TEXT, 'en-us-3gram.pruned-2e-7.arpa.gz');
const MEETINGS_FILE = join(TEXT, 'meetings.txt.gz');
const AMI_FILE = join(TEXT, 'ami-transcripts.tsv.gz');
const OUT = join(HERE, 'hushscribe-3gram.bin');
const README = join(HERE, 'README.md');
const REPORT = join(HERE, 'build-report.json');

/** Held-out AMI meetings: every 17th meeting by name, alternately dev (tunes λ) and test. */
const HELDOUT_STRIDE = 17;
const HELDOUT_FIRST = 8;
/** meetings.txt ends with this many templated sentences (its SOURCE.md); 1 in TEMPLATE_KEEP is used. */
const TEMPLATED_LINES = 30_000;
const TEMPLATE_KEEP = 10;
/** 1 in this many Common Voice / Taskmaster lines is held out as a second test set. */
const OTHER_HELDOUT_STRIDE = 100;
/** Words the ARPA lacks join the vocabulary when the training text has them this often. */
const NEW_WORD_MIN_COUNT = 2;
/**
 * Meeting trigrams seen once are dropped. Keeping them measured test perplexity 78.8 instead
 * of 79.5 for 2.4 MB more file: not worth it.
 */
const KN_OPTIONS = { trigramMinCount: 2, bigramMinCount: 1 };

const say = (line: string): void => {
  process.stderr.write(`[build-lm ${((performance.now() - t0) / 1000).toFixed(1)}s] ${line}\n`);
};
const t0 = performance.now();
const cpuSeconds = (): number => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
};

function newestInput(): number {
  const lmSources = join(ROOT, 'electron/core/lm');
  const files = [ARPA_FILE, MEETINGS_FILE, AMI_FILE, fileURLToPath(import.meta.url)];
  for (const f of readdirSync(lmSources)) if (f.endsWith('.ts')) files.push(join(lmSources, f));
  return Math.max(...files.map((f) => statSync(f).mtimeMs));
}

const gunzipText = (file: string): string => gunzipSync(readFileSync(file)).toString('utf8');
const words = (sentence: string): string[] => sentence.split(' ').filter((w) => w.length > 0);

interface Corpus {
  train: string[][];
  dev: string[][];
  test: string[][];
  other: string[][];
  stats: Record<string, number>;
  devMeetings: string[];
  testMeetings: string[];
}

function readCorpus(): Corpus {
  const rows = gunzipText(AMI_FILE)
    .split('\n')
    .slice(1)
    .filter((l) => l.length > 0)
    .map((l) => l.split('\t'));
  const meetings = [...new Set(rows.map((r) => r[0]))].sort();
  const heldout = meetings.filter((_, i) => i % HELDOUT_STRIDE === HELDOUT_FIRST);
  const devMeetings = heldout.filter((_, i) => i % 2 === 0);
  const testMeetings = heldout.filter((_, i) => i % 2 === 1);
  const train: string[][] = [];
  const dev: string[][] = [];
  const test: string[][] = [];
  for (const [meeting, , sentence] of rows) {
    const w = words(sentence ?? '');
    if (w.length === 0) continue;
    if (devMeetings.includes(meeting)) dev.push(w);
    else if (testMeetings.includes(meeting)) test.push(w);
    else train.push(w);
  }
  const amiTrain = train.length;

  // meetings.txt opens with the distinct AMI sentences, which the TSV above already holds with
  // their real frequencies (and meeting ids, for the held-out split): skip that prefix.
  const amiSentences = new Set(rows.map((r) => r[2]));
  const lines = gunzipText(MEETINGS_FILE)
    .split('\n')
    .filter((l) => l.length > 0);
  let amiPrefix = 0;
  while (amiPrefix < lines.length && amiSentences.has(lines[amiPrefix])) amiPrefix++;
  const templatedStart = lines.length - TEMPLATED_LINES;
  if (amiPrefix === 0 || templatedStart <= amiPrefix) throw new Error(`${MEETINGS_FILE}: unexpected layout (AMI prefix ${amiPrefix} lines)`);
  const other: string[][] = [];
  let cvTm = 0;
  let templated = 0;
  for (let i = amiPrefix; i < lines.length; i++) {
    const w = words(lines[i]);
    if (i < templatedStart) {
      if ((i - amiPrefix) % OTHER_HELDOUT_STRIDE === OTHER_HELDOUT_STRIDE - 1) {
        other.push(w);
        continue;
      }
      train.push(w);
      cvTm++;
    } else if ((i - templatedStart) % TEMPLATE_KEEP === 0) {
      train.push(w);
      templated++;
    }
  }
  return {
    train,
    dev,
    test,
    other,
    devMeetings,
    testMeetings,
    stats: {
      amiRows: rows.length,
      amiMeetings: meetings.length,
      amiTrainSentences: amiTrain,
      meetingsTxtLines: lines.length,
      meetingsTxtAmiPrefixSkipped: amiPrefix,
      cvTaskmasterTrainSentences: cvTm,
      templatedTrainSentences: templated,
      trainSentences: train.length,
      trainWords: train.reduce((n, s) => n + s.length, 0),
      devSentences: dev.length,
      testSentences: test.length,
      otherSentences: other.length,
    },
  };
}

function ppl(lm: WordLm, sentences: string[][], include?: (w: string) => boolean): PerplexityResult {
  return perplexity(lm, sentences, include);
}

function round(x: number, digits = 1): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

function main(): void {
  const force = process.argv.includes('--force');
  if (!force && existsSync(OUT) && statSync(OUT).mtimeMs > newestInput()) {
    say(`${relative(ROOT, OUT)} is newer than its inputs; skipping (--force rebuilds)`);
    return;
  }
  for (const f of [ARPA_FILE, MEETINGS_FILE, AMI_FILE]) if (!existsSync(f)) throw new Error(`missing input ${f} (set HUSHSCRIBE_SHARED to the shared data folder)`);

  const corpus = readCorpus();
  say(`text: ${JSON.stringify(corpus.stats)}`);

  const wordCounts = new Map<string, number>();
  for (const s of corpus.train) for (const w of s) wordCounts.set(w, (wordCounts.get(w) ?? 0) + 1);
  const frequent = [...wordCounts].filter(([, c]) => c >= NEW_WORD_MIN_COUNT).sort((x, y) => y[1] - x[1] || (x[0] < y[0] ? -1 : 1));

  const arpaRead = parseArpa(gunzipText(ARPA_FILE), ARPA_FILE, { extraWords: frequent.map(([w]) => w) });
  const general = arpaRead.model;
  const vocab = general.vocab;
  // Words (not <s>/</s>) the ARPA file gave a probability; the rest of the vocabulary came from the meeting text.
  let arpaWords = 0;
  for (let id = UNK_ID + 1; id < vocab.size; id++) if (Number.isFinite(general.uniProb[id])) arpaWords++;
  say(`ARPA: kept ${arpaRead.report.kept.join('/')} n-grams, dropped ${arpaRead.report.dropped.join('/')}; vocabulary ${vocab.size} (${vocab.size - 3 - arpaWords} meeting words added)`);
  general.normaliseUnigrams();
  const generalClamped = general.recomputeBackoffs();

  const counts = new NgramCounts(vocab);
  let trainOov = 0;
  for (const s of corpus.train) {
    const ids = s.map((w) => {
      const id = vocab.id(w);
      if (id < 0) trainOov++;
      return id < 0 ? UNK_ID : id;
    });
    counts.add(ids);
  }
  const kn = estimateKneserNey(counts, KN_OPTIONS);
  const meeting = kn.model;
  say(`meeting KN: ${counts.tokens} tokens, ${trainOov} OOV; estimated ${kn.report.estimated.join('/')} kept ${kn.report.kept.join('/')} bi/trigrams`);

  const { lambda, iterations } = fitMixtureWeight(general, meeting, corpus.dev);
  say(`EM on dev: λ(general) = ${lambda.toFixed(4)} after ${iterations} iterations`);
  const mixed = mixModels(general, meeting, lambda);
  const model: BackoffModel = mixed.model;
  say(`mixed: ${model.bigrams.size} bigrams, ${model.trigrams.size} trigrams, ${mixed.clampedBackoffs} clamped backoffs`);

  const compile = writeLm(OUT, model);
  say(`wrote ${relative(ROOT, OUT)}: ${(compile.bytes / 1e6).toFixed(2)} MB`);
  const loadStart = performance.now();
  const compiled = loadLm(OUT);
  const loadMs = performance.now() - loadStart;

  // Perplexities: each model on its own vocabulary, and all on the words the ARPA knows.
  const inArpa = (w: string): boolean => {
    const id = vocab.id(w);
    return id >= 0 && Number.isFinite(general.uniProb[id]);
  };
  const sets = { dev: corpus.dev, test: corpus.test, other: corpus.other };
  const table: Record<string, Record<string, PerplexityResult>> = {};
  const models: [string, WordLm][] = [
    ['general (pocketsphinx 2e-7)', general],
    ['meeting KN', meeting],
    ['mixed, static', model],
    ['compiled (8-bit)', compiled],
  ];
  for (const [name, lm] of models) {
    table[name] = {};
    for (const [set, sentences] of Object.entries(sets)) {
      table[name][`${set}`] = ppl(lm, sentences);
      table[name][`${set} (ARPA words)`] = ppl(lm, sentences, inArpa);
    }
  }
  for (const [name, row] of Object.entries(table)) {
    say(`${name}: ${Object.entries(row).map(([k, r]) => `${k} ${r.perplexity.toFixed(1)} (${r.skipped} skipped)`).join(', ')}`);
  }
  const report = {
    builtAt: new Date().toISOString(),
    seconds: round((performance.now() - t0) / 1000),
    cpuSeconds: round(cpuSeconds()),
    inputs: [ARPA_FILE, MEETINGS_FILE, AMI_FILE].map((f) => relative(SHARED, f)),
    corpus: corpus.stats,
    devMeetings: corpus.devMeetings,
    testMeetings: corpus.testMeetings,
    arpa: arpaRead.report,
    arpaRenormalisedClampedBackoffs: generalClamped,
    vocabulary: { size: vocab.size, fromArpa: arpaWords, addedFromMeetings: vocab.size - 3 - arpaWords, trainOovTokens: trainOov },
    kneserNey: { options: KN_OPTIONS, ...kn.report },
    lambdaGeneral: lambda,
    mixed: { bigrams: model.bigrams.size, trigrams: model.trigrams.size, clampedBackoffs: mixed.clampedBackoffs },
    compiled: { ...compile, loadMs: round(loadMs) },
    perplexity: Object.fromEntries(
      Object.entries(table).map(([name, row]) => [name, Object.fromEntries(Object.entries(row).map(([k, r]) => [k, { ppl: round(r.perplexity), tokens: r.tokens, skipped: r.skipped }]))]),
    ),
  };
  writeFileSync(REPORT, `${JSON.stringify(report, null, 2)}\n`);
  writeFileSync(README, readme(report));
  say(`done: ${relative(ROOT, REPORT)}, ${relative(ROOT, README)}`);
}

type Report = {
  seconds: number;
  cpuSeconds: number;
  corpus: Record<string, number>;
  devMeetings: string[];
  testMeetings: string[];
  arpa: ReturnType<typeof parseArpa>['report'];
  vocabulary: { size: number; fromArpa: number; addedFromMeetings: number; trainOovTokens: number };
  kneserNey: { discounts: number[][]; estimated: number[]; kept: number[]; unkLogProb: number };
  lambdaGeneral: number;
  mixed: { bigrams: number; trigrams: number };
  compiled: { bytes: number; loadMs: number };
  perplexity: Record<string, Record<string, { ppl: number; tokens: number; skipped: number }>>;
};

function readme(r: Report): string {
  const sets = ['test (ARPA words)', 'test', 'dev (ARPA words)', 'other (ARPA words)'];
  // The general model gives probability 0 to the meeting words it lacks: no finite perplexity on those.
  const cell = (x: { ppl: number; skipped: number }): string => (Number.isFinite(x.ppl) ? `${x.ppl}` : 'n/a');
  const pplRows = Object.entries(r.perplexity)
    .map(([name, row]) => `| ${name} | ${sets.map((s) => cell(row[s])).join(' | ')} |`)
    .join('\n');
  const c = r.corpus;
  return `# models/lm: Hushscribe's word trigram LM

\`hushscribe-3gram.bin\` is the compiled LM the CTC beam search uses (format: \`electron/core/lm/README.md\`).
It is made by \`models/lm/build-lm.ts\` (\`npm run models\`); this README and \`build-report.json\` are written by the
same run, so every number below comes from the build that made the file. Do not edit them by hand.

\`decoder-params.json\` holds the beam-search defaults (beam, LM weight, word bonus, pruning); see
\`electron/core/decode/README.md\`. A model's own tuning (\`models/lm/tune-decoder.ts --write\`) sits beside it as
\`<model>.decoder.json\` and overrides the LM weight, word bonus, unknown-word score and beam.

## What it is
- **${r.vocabulary.size.toLocaleString('en')} entries**: \`<s>\`, \`</s>\`, \`<unk>\`, ${r.vocabulary.fromArpa.toLocaleString('en')} words from the pocketsphinx LM, and
  ${r.vocabulary.addedFromMeetings.toLocaleString('en')} words the meeting text has at least ${NEW_WORD_MIN_COUNT} times that the pocketsphinx LM lacks.
- **${r.mixed.bigrams.toLocaleString('en')} bigrams, ${r.mixed.trigrams.toLocaleString('en')} trigrams**; ${(r.compiled.bytes / 1e6).toFixed(2)} MB compiled; loads in ${r.compiled.loadMs} ms
  (build machine). Probabilities are natural logs; bigram/trigram probabilities and bigram backoffs are 8-bit quantised.
- Built in ${r.seconds} s wall-clock, ${r.cpuSeconds} s of CPU, single-threaded.

## How it was built
1. **General model:** CMU Sphinx en-us 3-gram, relative-entropy pruned at 2e-7 (\`en-us-3gram.pruned-2e-7.arpa.gz\`).
   Kept ${r.arpa.kept.map((n) => n.toLocaleString('en')).join(' / ')} 1/2/3-grams. **Dropped ${r.arpa.droppedWords} unigram entries** that the 29-symbol alphabet
   cannot spell (e.g. ${r.arpa.droppedWordExamples.slice(0, 6).map((w) => `\`${w}\``).join(', ')}) and the ${r.arpa.dropped[1]} bigrams and ${r.arpa.dropped[2]} trigrams that use them.
   \`<s>\` and \`</s>\` are kept as sentence markers (the file has ${r.arpa.hadUnk ? 'an' : 'no'} \`<unk>\`). The unigrams are renormalised and every
   backoff weight recomputed so each history still sums to 1.
2. **Meeting model:** interpolated modified Kneser-Ney trigram (discounts from counts-of-counts; trigrams seen once dropped
   after estimation, their mass returned through the backoff weights) on ${c.trainSentences.toLocaleString('en')} sentences,
   ${c.trainWords.toLocaleString('en')} words:
   - ${c.amiTrainSentences.toLocaleString('en')} AMI transcript sentences from \`ami-transcripts.tsv.gz\`, with their real frequencies, minus ${r.devMeetings.length + r.testMeetings.length} held-out meetings.
     The first ${c.meetingsTxtAmiPrefixSkipped.toLocaleString('en')} lines of \`meetings.txt.gz\` are the same AMI sentences deduplicated, so they are not used twice.
   - ${c.cvTaskmasterTrainSentences.toLocaleString('en')} Common Voice and Taskmaster-4 sentences from \`meetings.txt.gz\` (1 in ${OTHER_HELDOUT_STRIDE} held out as "other").
   - ${c.templatedTrainSentences.toLocaleString('en')} templated sentences: 1 in ${TEMPLATE_KEEP} of the ${TEMPLATED_LINES.toLocaleString('en')}, i.e. weighted down tenfold, because they are formulaic.
   Training words outside the vocabulary (${r.vocabulary.trainOovTokens.toLocaleString('en')} tokens) count as \`<unk>\`; its probability,
   ln P = ${r.kneserNey.unkLogProb.toFixed(2)}, is stored as the model's OOV estimate, and n-grams containing it are dropped.
3. **Interpolation:** one static backoff model, P = λ·P_general + (1−λ)·P_meeting on the union of both models' n-grams,
   backoff weights recomputed. **λ = ${r.lambdaGeneral.toFixed(3)}**, fitted by EM to the dev meetings (${r.devMeetings.join(', ')}).
4. **Compilation** to the binary format, then the compiled file is loaded back and scored (last row below).

## Perplexity
Held-out AMI meetings: test = ${r.testMeetings.join(', ')} (${c.testSentences.toLocaleString('en')} sentences); dev = the λ-tuning meetings
(${c.devSentences.toLocaleString('en')} sentences); other = ${c.otherSentences.toLocaleString('en')} held-out Common Voice/Taskmaster lines.
Tokens include \`</s>\`; out-of-vocabulary words are skipped and reset the history. "ARPA words" scores only words the
pocketsphinx LM knows, so every row scores the same tokens there (${r.perplexity['mixed, static']['test (ARPA words)'].tokens.toLocaleString('en')} on test).
"All in-vocabulary words" adds the meeting words the pocketsphinx LM lacks (${r.perplexity['mixed, static']['test'].skipped} test words are outside the vocabulary).

| model | test (ARPA words) | test (all in-vocabulary words) | dev (ARPA words) | other (ARPA words) |
|---|---|---|---|---|
${pplRows}

## Sources and licences
- **CMU Sphinx en-us generic trigram LM** (Debian \`pocketsphinx-en-us\`), BSD-2-Clause. Copyright 1995-2014 Carnegie Mellon
  University; 2014-2015 Alpha Cephei Inc. Redistribution must keep the copyright notice, the two conditions and the disclaimer
  (\`/usr/share/doc/pocketsphinx-en-us/copyright\`); the product's notices carry it.
- **AMI Meeting Corpus** transcripts: "AMI Meeting Corpus, (c) University of Edinburgh / AMI Consortium, licensed CC BY 4.0";
  J. Carletta et al., "The AMI Meeting Corpus: A Pre-announcement", MLMI 2005. The text was normalised (changed).
- **Taskmaster-4**: Bill Byrne and Saravanan Ganesh, Google LLC, CC BY 4.0 (arXiv:2403.10704). Normalised.
- **Mozilla Common Voice** English sentences: CC0 1.0.
- **Templated meeting sentences**: written for this project, CC0.

Details of each source: \`../shared/data/text/SOURCE.md\`. No evaluation-set text is in the training text (it was removed
upstream), and none may be added.
`;
}

main();
