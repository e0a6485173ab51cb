import { writeFileSync, mkdirSync, renameSync } from 'node:fs';
import { dirname } from 'node:path';
import { crc32 } from 'node:zlib';
import type { BackoffModel } from './backoff-model.js';
import { FORMAT_VERSION, H, HEADER_BYTES, MAGIC, MAX_VOCAB, WORD_BITS, hashSlotsFor, sectionLayout, wordHash } from './format.js';
import { buildCodebook, encode } from './quantise.js';

/** Sizes of what compileLm wrote, for the build report. */
export interface CompileReport {
  bytes: number;
  vocabSize: number;
  bigrams: number;
  trigrams: number;
}

/**
 * Serialises a backoff model to the compact file format (format.ts, README.md): a word
 * hash table, sorted n-gram arrays addressed by child ranges, 8-bit quantised bigram/trigram probabilities and
 * bigram backoffs, float32 unigrams, and a CRC-32 over everything after the header.
 */
export function compileLm(model: BackoffModel): { bytes: Uint8Array; report: CompileReport } {
  const v = model.vocab.size;
  if (v > MAX_VOCAB) throw new RangeError(`vocabulary of ${v} words does not fit ${WORD_BITS}-bit ids`);
  const words = model.vocab.words();
  for (const w of words) if (!/^[\x21-\x7e]+$/.test(w)) throw new RangeError(`word ${JSON.stringify(w)} is not printable ASCII`);
  const vocabBlob = new TextEncoder().encode(words.join(''));
  const biKeys = Float64Array.from(model.bigrams.keys).sort();
  const triKeys = Float64Array.from(model.trigrams.keys).sort();
  const counts = { vocabSize: v, bigrams: biKeys.length, trigrams: triKeys.length, vocabBytes: vocabBlob.length, hashSlots: hashSlotsFor(v) };
  const layout = sectionLayout(counts);
  const buf = new ArrayBuffer(layout.end);
  const bytes = new Uint8Array(buf);
  const view = new DataView(buf);

  bytes.set(new TextEncoder().encode(MAGIC), H.magic);
  view.setUint32(H.version, FORMAT_VERSION, true);
  view.setUint32(H.order, triKeys.length ? 3 : biKeys.length ? 2 : 1, true);
  view.setUint32(H.vocabSize, v, true);
  view.setUint32(H.bigrams, biKeys.length, true);
  view.setUint32(H.trigrams, triKeys.length, true);
  view.setUint32(H.vocabBytes, vocabBlob.length, true);
  view.setFloat32(H.unkLogProb, model.unkLogProb, true);
  view.setUint32(H.hashSlots, counts.hashSlots, true);
  bytes.set(vocabBlob, layout.vocab);
  // Word lookup without building a Map at load: offsets into the blob, and an open-addressing
  // table (linear probing) of id + 1 by wordHash, 0 marking an empty slot.
  const offsets = new Uint32Array(buf, layout.vocabOffsets, v + 1);
  const table = new Uint32Array(buf, layout.wordTable, counts.hashSlots);
  const mask = counts.hashSlots - 1;
  for (let id = 0; id < v; id++) {
    offsets[id + 1] = offsets[id] + words[id].length;
    let slot = wordHash(words[id]) & mask;
    while (table[slot] !== 0) slot = (slot + 1) & mask;
    table[slot] = id + 1;
  }
  // Ids in spelling order: the decoder narrows a range of it per character typed (lexicon walk).
  const spelling = Uint32Array.from(words.keys()).sort((x, y) => (words[x] < words[y] ? -1 : words[x] > words[y] ? 1 : 0));
  new Uint32Array(buf, layout.spelling, v).set(spelling);

  new Float32Array(buf, layout.uniProb, v).set(model.uniProb);
  new Float32Array(buf, layout.uniBow, v).set(model.uniBow);

  // Bigrams, sorted by (history, word): the history's range comes from uniChild.
  const biProb = new Float64Array(biKeys.length);
  const biBowValues = new Float64Array(biKeys.length);
  const biIndex = new Map<number, number>();
  const uniChild = new Uint32Array(buf, layout.uniChild, v + 1);
  for (let i = 0; i < biKeys.length; i++) {
    const at = model.bigrams.find(biKeys[i]);
    biProb[i] = model.bigrams.prob[at];
    biBowValues[i] = model.bigrams.bow[at];
    biIndex.set(biKeys[i], i);
    uniChild[Math.floor(biKeys[i] / v) + 1]++;
  }
  for (let h = 0; h < v; h++) uniChild[h + 1] += uniChild[h];

  const biProbBook = buildCodebook(biProb);
  const biBowBook = buildCodebook(biBowValues, { keepZero: true });
  const triProb = new Float64Array(triKeys.length);
  for (let i = 0; i < triKeys.length; i++) triProb[i] = model.trigrams.prob[model.trigrams.find(triKeys[i])];
  const triProbBook = buildCodebook(triProb);
  new Float32Array(buf, layout.biProbBook, biProbBook.length).set(biProbBook);
  new Float32Array(buf, layout.biBowBook, biBowBook.length).set(biBowBook);
  new Float32Array(buf, layout.triProbBook, triProbBook.length).set(triProbBook);

  const biEntry = new Uint32Array(buf, layout.biEntry, biKeys.length);
  const biBow = new Uint8Array(buf, layout.biBow, biKeys.length);
  for (let i = 0; i < biKeys.length; i++) {
    biEntry[i] = ((biKeys[i] % v) | (encode(biProbBook, biProb[i]) << WORD_BITS)) >>> 0;
    biBow[i] = encode(biBowBook, biBowValues[i]);
  }

  // Trigrams, sorted by (history bigram, word): the history's range comes from biChild.
  const biChild = new Uint32Array(buf, layout.biChild, biKeys.length + 1);
  const triEntry = new Uint32Array(buf, layout.triEntry, triKeys.length);
  for (let i = 0; i < triKeys.length; i++) {
    const ctx = biIndex.get(Math.floor(triKeys[i] / v));
    if (ctx === undefined) throw new Error('trigram without its history bigram');
    biChild[ctx + 1]++;
    triEntry[i] = ((triKeys[i] % v) | (encode(triProbBook, triProb[i]) << WORD_BITS)) >>> 0;
  }
  for (let b = 0; b < biKeys.length; b++) biChild[b + 1] += biChild[b];

  view.setUint32(H.payloadBytes, layout.end - HEADER_BYTES, true);
  view.setUint32(H.crc32, crc32(bytes.subarray(HEADER_BYTES)), true);
  return { bytes, report: { bytes: layout.end, ...counts } };
}

/** Writes the compiled model atomically (temp file, then rename), so a crash never leaves half a file. */
export function writeLm(path: string, model: BackoffModel): CompileReport {
  const { bytes, report } = compileLm(model);
  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}.tmp-${process.pid}`;
  writeFileSync(tmp, bytes);
  renameSync(tmp, path);
  return report;
}
