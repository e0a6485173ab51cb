/**
 * Walking the vocabulary by spelling, for a decoder that types words one character at a
 * time. Words are kept sorted by spelling; the words that start with a given prefix form
 * one contiguous range, and typing one more character narrows it with two binary searches.
 * An empty range means no vocabulary word starts that way, which the beam search penalises
 * at once instead of when the word ends (otherwise gluing words together to postpone the
 * out-of-vocabulary penalty pays).
 */
export interface SpellingIndex {
  /** Number of words (specials included) in spelling order, positions [0, spellingSize). */
  readonly spellingSize: number;
  /**
   * First position in [lo, hi) whose word has character code ≥ `code` at index `pos`; a word
   * only `pos` long counts as smaller than every code. All words in [lo, hi) must share their
   * first `pos` characters (true of every range this walk produces).
   */
  seek(lo: number, hi: number, pos: number, code: number): number;
  /** Id of the word at spelling position `i` if it is exactly `length` characters long, else -1. */
  idAt(i: number, length: number): number;
}
