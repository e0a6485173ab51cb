import { readFileSync } from 'node:fs';
import { crc32 } from 'node:zlib';
import { ModelError } from '../errors.js';
import { logger } from '../log.js';
import { CODEBOOK_LEVELS, FORMAT_VERSION, H, HEADER_BYTES, MAGIC, WORD_MASK, sectionLayout } from './format.js';
import { NgramLm } from './ngram-lm.js';

const log = logger('lm');

/**
 * Loads a compiled LM (made by compileLm / `npm run models`). It reads the file once into
 * memory and views it as typed arrays, words included (a hash table in the file), so
 * nothing is parsed or rebuilt and a 10 MB model loads in tens of milliseconds. Throws ModelError naming the file when it is missing,
 * truncated, of another format version, or fails its checksum.
 */
export function loadLm(path: string): NgramLm {
  const started = performance.now();
  let file: Buffer;
  try {
    file = readFileSync(path);
  } catch (err) {
    const missing = (err as NodeJS.ErrnoException).code === 'ENOENT';
    throw new ModelError(path, missing ? 'language model not found (build it with npm run models)' : 'language model cannot be read', { cause: err });
  }
  // Typed-array views need aligned offsets; a pooled Buffer may not be.
  const bytes = file.byteOffset % 8 === 0 ? new Uint8Array(file.buffer, file.byteOffset, file.length) : new Uint8Array(file);
  const corrupt = (problem: string): ModelError => new ModelError(path, `language model is corrupt (${problem}); rebuild it with npm run models`);
  if (bytes.length < HEADER_BYTES || new TextDecoder().decode(bytes.subarray(0, 4)) !== MAGIC) {
    throw new ModelError(path, 'not a Hushscribe language model file');
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.length);
  const version = view.getUint32(H.version, true);
  if (version !== FORMAT_VERSION) {
    throw new ModelError(path, `language model format ${version} is not the supported ${FORMAT_VERSION}; rebuild it with npm run models`);
  }
  const counts = {
    vocabSize: view.getUint32(H.vocabSize, true),
    bigrams: view.getUint32(H.bigrams, true),
    trigrams: view.getUint32(H.trigrams, true),
    vocabBytes: view.getUint32(H.vocabBytes, true),
    hashSlots: view.getUint32(H.hashSlots, true),
  };
  if (counts.hashSlots === 0 || (counts.hashSlots & (counts.hashSlots - 1)) !== 0 || counts.hashSlots < counts.vocabSize) {
    throw corrupt('bad word table size');
  }
  const layout = sectionLayout(counts);
  if (view.getUint32(H.payloadBytes, true) !== bytes.length - HEADER_BYTES || layout.end !== bytes.length) {
    throw corrupt('truncated or wrong size');
  }
  if (crc32(bytes.subarray(HEADER_BYTES)) !== view.getUint32(H.crc32, true)) throw corrupt('checksum mismatch');

  const buf = bytes.buffer;
  const at = (offset: number): number => bytes.byteOffset + offset;
  const arrays = {
    vocabBlob: bytes.subarray(layout.vocab, layout.vocab + counts.vocabBytes),
    vocabOffsets: new Uint32Array(buf, at(layout.vocabOffsets), counts.vocabSize + 1),
    wordTable: new Uint32Array(buf, at(layout.wordTable), counts.hashSlots),
    spelling: new Uint32Array(buf, at(layout.spelling), counts.vocabSize),
    unkLogProb: view.getFloat32(H.unkLogProb, true),
    uniProb: new Float32Array(buf, at(layout.uniProb), counts.vocabSize),
    uniBow: new Float32Array(buf, at(layout.uniBow), counts.vocabSize),
    uniChild: new Uint32Array(buf, at(layout.uniChild), counts.vocabSize + 1),
    biProbBook: new Float32Array(buf, at(layout.biProbBook), CODEBOOK_LEVELS),
    biBowBook: new Float32Array(buf, at(layout.biBowBook), CODEBOOK_LEVELS),
    triProbBook: new Float32Array(buf, at(layout.triProbBook), CODEBOOK_LEVELS),
    biEntry: new Uint32Array(buf, at(layout.biEntry), counts.bigrams),
    biBow: new Uint8Array(buf, at(layout.biBow), counts.bigrams),
    biChild: new Uint32Array(buf, at(layout.biChild), counts.bigrams + 1),
    triEntry: new Uint32Array(buf, at(layout.triEntry), counts.trigrams),
  };
  // The checksum catches damage; these catch a writer bug, which would otherwise read out of range.
  if (arrays.vocabOffsets[counts.vocabSize] !== counts.vocabBytes) throw corrupt('word list does not match the header');
  if (arrays.uniChild[counts.vocabSize] !== counts.bigrams || arrays.biChild[counts.bigrams] !== counts.trigrams) {
    throw corrupt('n-gram ranges do not match the header');
  }
  const last = (entries: Uint32Array): number => (entries.length ? entries[entries.length - 1] & WORD_MASK : 0);
  if (last(arrays.biEntry) >= counts.vocabSize || last(arrays.triEntry) >= counts.vocabSize) throw corrupt('word id out of range');
  const lm = new NgramLm(arrays, path);
  log.info(`loaded ${path}`, {
    words: counts.vocabSize,
    bigrams: counts.bigrams,
    trigrams: counts.trigrams,
    ms: Math.round(performance.now() - started),
  });
  return lm;
}
