import { ModelError } from '../errors.js';
import { BackoffModel } from './backoff-model.js';
import { BOS, EOS, UNK, Vocabulary, isLmWord } from './vocabulary.js';

const LN10 = Math.LN10;

/** What reading an ARPA file kept and dropped, so the build can report it rather than drop silently. */
export interface ArpaReadReport {
  /** n-gram counts the header declared, by order (index 0 = unigrams). */
  declared: number[];
  /** n-grams kept, by order. */
  kept: number[];
  /** n-grams dropped because a word is not in the vocabulary, by order. */
  dropped: number[];
  /** Unigram entries that are not decoder words (other characters, or outside a given vocabulary). */
  droppedWords: number;
  /** A few of them, for the report. */
  droppedWordExamples: string[];
  /** History bigrams a trigram needed but the file lacked, added with their backoff probability. */
  addedPrefixes: number;
  /** Whether the file had an <unk> (any case) unigram, used as the model's OOV estimate. */
  hadUnk: boolean;
}

export interface ArpaReadOptions {
  /**
   * Map words onto this vocabulary (specials included) and drop n-grams with any other word.
   * Without it, the vocabulary is every unigram that isLmWord accepts, in file order,
   * followed by `extraWords` (words the file lacks but another model will predict).
   */
  vocab?: Vocabulary;
  extraWords?: Iterable<string>;
}

// A Map, not an object literal: an object would map the word "constructor" to a function.
const SPECIALS = new Map<string, string>([
  ['<s>', BOS],
  ['</s>', EOS],
  ['<unk>', UNK],
]);

/**
 * Reads ARPA text (orders 1–3) into a BackoffModel with natural-log probabilities.
 * `where` names the file in errors. Words the 29-symbol decoder cannot spell are dropped and
 * counted; the caller renormalises if it needs a proper distribution.
 */
export function parseArpa(text: string, where: string, options: ArpaReadOptions = {}): { model: BackoffModel; report: ArpaReadReport } {
  const lines = text.split('\n');
  const fail = (line: number, problem: string): never => {
    throw new ModelError(where, `line ${line + 1}: ${problem}`);
  };
  let i = 0;
  while (i < lines.length && lines[i].trim() !== '\\data\\') i++;
  if (i === lines.length) fail(0, 'no \\data\\ section: not an ARPA language model');
  i++;
  const declared: number[] = [];
  for (; i < lines.length; i++) {
    const line = lines[i].trim();
    if (line === '') continue;
    const m = /^ngram (\d+)\s*=\s*(\d+)$/.exec(line);
    if (!m) break;
    declared[Number(m[1]) - 1] = Number(m[2]);
  }
  const order = declared.length;
  if (order < 1 || order > 3) fail(i, `order ${order} is not supported (1 to 3)`);

  // First pass over the unigram section fixes the vocabulary when none was given.
  const sections: { n: number; start: number; end: number }[] = [];
  for (let j = i; j < lines.length; j++) {
    const m = /^\\(\d)-grams:\s*$/.exec(lines[j].trim());
    if (m) {
      if (sections.length) sections[sections.length - 1].end = j;
      sections.push({ n: Number(m[1]), start: j + 1, end: lines.length });
    } else if (lines[j].trim() === '\\end\\' && sections.length) {
      sections[sections.length - 1].end = j;
      break;
    }
  }
  if (sections.length !== order || sections.some((s, k) => s.n !== k + 1)) fail(i, 'n-gram sections do not match the \\data\\ header');

  const report: ArpaReadReport = {
    declared,
    kept: new Array<number>(order).fill(0),
    dropped: new Array<number>(order).fill(0),
    droppedWords: 0,
    droppedWordExamples: [],
    addedPrefixes: 0,
    hadUnk: false,
  };
  const mapWord = (token: string): string => SPECIALS.get(token.toLowerCase()) ?? token;
  let vocab = options.vocab;
  if (!vocab) {
    const words: string[] = [];
    for (let j = sections[0].start; j < sections[0].end; j++) {
      const fields = lines[j].trim().split(/\s+/);
      if (fields.length >= 2 && isLmWord(fields[1])) words.push(fields[1]);
    }
    for (const w of options.extraWords ?? []) words.push(w);
    vocab = new Vocabulary(words);
  }

  const model = new BackoffModel(vocab);
  const ids = [0, 0, 0];
  for (const { n, start, end } of sections) {
    let count = 0;
    for (let j = start; j < end; j++) {
      const line = lines[j].trim();
      if (line === '') continue;
      count++;
      const fields = line.split(/\s+/);
      if (fields.length !== n + 1 && fields.length !== n + 2) fail(j, `expected ${n} words, a log-prob and maybe a backoff weight`);
      const logProb = Number(fields[0]);
      const bow = fields.length === n + 2 ? Number(fields[n + 1]) : 0;
      if (!Number.isFinite(logProb) || !Number.isFinite(bow)) fail(j, 'log-prob or backoff weight is not a number');
      let known = true;
      for (let k = 0; k < n; k++) {
        const token = mapWord(fields[k + 1]);
        ids[k] = vocab.id(token);
        if (ids[k] < 0) known = false;
      }
      if (n === 1 && mapWord(fields[1]) === UNK) {
        report.hadUnk = true;
        model.unkLogProb = logProb * LN10;
      }
      if (!known) {
        report.dropped[n - 1]++;
        if (n === 1) {
          report.droppedWords++;
          if (report.droppedWordExamples.length < 12) report.droppedWordExamples.push(fields[1]);
        }
        continue;
      }
      report.kept[n - 1]++;
      if (n === 1) {
        model.uniProb[ids[0]] = logProb * LN10;
        model.uniBow[ids[0]] = bow * LN10;
      } else if (n === 2) {
        model.bigrams.set(model.key2(ids[0], ids[1]), logProb * LN10, bow * LN10);
      } else {
        model.trigrams.set(model.key3(ids[0], ids[1], ids[2]), logProb * LN10);
      }
    }
    if (count !== declared[n - 1]) fail(start - 1, `${n}-gram section has ${count} entries but the header declares ${declared[n - 1]}`);
  }

  // A trigram is only reachable through its history bigram; add any the file lacks.
  for (let t = 0; t < model.trigrams.size; t++) {
    const [h1, h2] = model.idsOf(model.trigrams.keys[t], 3);
    const key = model.key2(h1, h2);
    if (model.bigrams.find(key) < 0) {
      model.bigrams.set(key, model.prob(-1, h1, h2), 0);
      report.addedPrefixes++;
    }
  }
  return { model, report };
}
