/**
 * The CTC alphabet every Hushscribe model emits: space, a–z, apostrophe, then the blank.
 * Models declare this string in their ONNX metadata and the loader compares it.
 */
export const SYMBOLS = " abcdefghijklmnopqrstuvwxyz'";
export const NUM_CLASSES = SYMBOLS.length + 1;
export const BLANK = SYMBOLS.length;
export const SPACE = 0;

/** Output frame period of every model, in seconds (20 ms). */
export const OUTPUT_FRAME_SECONDS = 0.02;

export function symbolOf(index: number): string {
  return index === BLANK ? '' : SYMBOLS[index];
}

/** Normalised text → symbol indices (CTC labels); characters outside the alphabet are normalised away first. */
export function textToSymbols(text: string): number[] {
  return [...normaliseText(text)].map((c) => SYMBOLS.indexOf(c));
}

/** Normalise text to the 29-symbol alphabet: lowercase, a–z, apostrophe, single spaces. */
export function normaliseText(text: string): string {
  return text
    .toLowerCase()
    .replace(/[’`]/g, "'")
    .replace(/[^a-z' ]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}
