/**
 * Layout of the compiled LM file (format version 1). README.md in this folder documents it;
 * the writer (compile.ts) and the reader (load.ts) both derive offsets from sectionLayout(),
 * so they cannot disagree.
 */
export const MAGIC = 'HSLM';
export const FORMAT_VERSION = 1;
export const HEADER_BYTES = 64;
/** Word ids take the low 24 bits of an n-gram entry; the 8-bit probability code the high 8. */
export const WORD_BITS = 24;
export const WORD_MASK = (1 << WORD_BITS) - 1;
export const MAX_VOCAB = 1 << WORD_BITS;
export const CODEBOOK_LEVELS = 256;

export interface LmCounts {
  vocabSize: number;
  bigrams: number;
  trigrams: number;
  vocabBytes: number;
  /** Slots of the word hash table: a power of two, at least 1.5 times the vocabulary. */
  hashSlots: number;
}

/** Byte offset and element count of each section, each start aligned to 8 bytes. */
export interface SectionLayout {
  vocabOffsets: number;
  vocab: number;
  wordTable: number;
  spelling: number;
  uniProb: number;
  uniBow: number;
  uniChild: number;
  biProbBook: number;
  biBowBook: number;
  triProbBook: number;
  biEntry: number;
  biBow: number;
  biChild: number;
  triEntry: number;
  /** Total file size. */
  end: number;
}

const align8 = (n: number): number => Math.ceil(n / 8) * 8;

export function sectionLayout(c: LmCounts): SectionLayout {
  let at = HEADER_BYTES;
  const take = (bytes: number): number => {
    const start = at;
    at = align8(at + bytes);
    return start;
  };
  const vocabOffsets = take(4 * (c.vocabSize + 1));
  const vocab = take(c.vocabBytes);
  const wordTable = take(4 * c.hashSlots);
  const spelling = take(4 * c.vocabSize);
  const uniProb = take(4 * c.vocabSize);
  const uniBow = take(4 * c.vocabSize);
  const uniChild = take(4 * (c.vocabSize + 1));
  const biProbBook = take(4 * CODEBOOK_LEVELS);
  const biBowBook = take(4 * CODEBOOK_LEVELS);
  const triProbBook = take(4 * CODEBOOK_LEVELS);
  const biEntry = take(4 * c.bigrams);
  const biBow = take(c.bigrams);
  const biChild = take(4 * (c.bigrams + 1));
  const triEntry = take(4 * c.trigrams);
  return { vocabOffsets, vocab, wordTable, spelling, uniProb, uniBow, uniChild, biProbBook, biBowBook, triProbBook, biEntry, biBow, biChild, triEntry, end: at };
}

/** Header field offsets (all little-endian). */
export const H = {
  magic: 0,
  version: 4,
  order: 8,
  vocabSize: 12,
  bigrams: 16,
  trigrams: 20,
  vocabBytes: 24,
  unkLogProb: 28,
  crc32: 32,
  payloadBytes: 36,
  hashSlots: 40,
} as const;

/** Hash-table size for a vocabulary: load factor at most 2/3, so linear probes stay short (~2). */
export function hashSlotsFor(vocabSize: number): number {
  let slots = 8;
  while (slots < 1.5 * vocabSize) slots *= 2;
  return slots;
}

/**
 * FNV-1a over the word's character codes. Words are ASCII (a–z, apostrophe, and the
 * specials' brackets and slash), so these equal the stored UTF-8 bytes.
 */
export function wordHash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h >>> 0;
}
