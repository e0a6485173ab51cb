/**
 * The word list shared by every LM stage. Ids are dense and fixed at construction, so the
 * same id means the same word in the ARPA model, the meeting model, their mixture and the
 * compiled file.
 */
export const BOS = '<s>';
export const EOS = '</s>';
export const UNK = '<unk>';

/** Ids of the three special tokens: every Vocabulary starts with them, in this order. */
export const BOS_ID = 0;
export const EOS_ID = 1;
export const UNK_ID = 2;

const LM_WORD = /^[a-z']*[a-z][a-z']*$/;

/**
 * Whether a token can be spelled by the 29-symbol CTC alphabet as one word: a–z and
 * apostrophe, with at least one letter. Anything else (hyphenated compounds, "a.",
 * markup) can never be produced by the decoder, so keeping it would only waste space.
 */
export function isLmWord(token: string): boolean {
  return LM_WORD.test(token);
}

export class Vocabulary {
  private readonly ids = new Map<string, number>();
  private readonly list: string[] = [];

  /** Specials first, then `words` in the given order (duplicates ignored). */
  constructor(words: Iterable<string> = []) {
    for (const special of [BOS, EOS, UNK]) this.add(special);
    for (const w of words) this.add(w);
  }

  private add(word: string): void {
    if (this.ids.has(word)) return;
    this.ids.set(word, this.list.length);
    this.list.push(word);
  }

  get size(): number {
    return this.list.length;
  }

  /** Id of `word`, or -1 when it is not in the vocabulary. */
  id(word: string): number {
    return this.ids.get(word) ?? -1;
  }

  word(id: number): string {
    return this.list[id];
  }

  words(): readonly string[] {
    return this.list;
  }
}
