/**
 * What perplexity, the build's mixing step and the decoder need from a word n-gram LM.
 * Both the in-memory build model and the compiled file model implement it, so the build can
 * check the compiled file against the model it came from with the same code.
 *
 * All log-probabilities are natural logs (the acoustic model's units), not ARPA's log10.
 * States are small non-negative integers: cheap to copy into every beam hypothesis.
 */
export interface WordLm {
  /** Words plus the specials <s>, </s>, <unk>. */
  readonly vocabSize: number;
  /** ln P for a word outside the vocabulary (the OOV class estimate the model was built with). */
  readonly unkLogProb: number;
  /** Id of a vocabulary word, or -1 when it is out of vocabulary. */
  wordId(text: string): number;
  /** The state at the start of a sentence (history "<s>"). */
  bos(): number;
  /** ln P(word | state); word -1 (OOV) gives unkLogProb. */
  score(state: number, word: number): number;
  /** The state after `word`; after an OOV (-1) the history is forgotten. */
  next(state: number, word: number): number;
  /** ln P(</s> | state). */
  endScore(state: number): number;
}
