/**
 * Transcript editing that keeps the timestamps of untouched words: the new text is aligned to the old
 * words (longest common subsequence on normalised tokens); kept words keep their times and confidence,
 * new or changed words share the time span between their kept neighbours.
 */
import type { Word } from '../transcribe/types.js';

function norm(t: string): string {
  return t.toLowerCase().replace(/[^\p{L}\p{N}']+/gu, '');
}

export interface EditResult {
  words: Word[];
  text: string;
  /** Whether anything changed. */
  changed: boolean;
}

export function applyTextEdit(old: Word[], newText: string, span: { start: number; end: number }): EditResult {
  const tokens = newText.split(/\s+/).filter(Boolean);
  const a = old.map((w) => norm(w.text));
  const b = tokens.map(norm);
  // LCS table
  const dp: number[][] = Array.from({ length: a.length + 1 }, () => new Array<number>(b.length + 1).fill(0));
  for (let i = a.length - 1; i >= 0; i--) {
    for (let j = b.length - 1; j >= 0; j--) dp[i][j] = a[i] === b[j] && a[i] !== '' ? dp[i + 1][j + 1] + 1 : Math.max(dp[i + 1][j], dp[i][j + 1]);
  }
  const keptFrom = new Array<number>(b.length).fill(-1);
  for (let i = 0, j = 0; i < a.length && j < b.length; ) {
    if (a[i] === b[j] && a[i] !== '') {
      keptFrom[j] = i;
      i++;
      j++;
    } else if (dp[i + 1][j] >= dp[i][j + 1]) i++;
    else j++;
  }
  const words: Word[] = [];
  let j = 0;
  while (j < tokens.length) {
    if (keptFrom[j] >= 0) {
      const w = old[keptFrom[j]];
      words.push({ ...w, text: tokens[j] });
      j++;
      continue;
    }
    // A run of new words between kept neighbours.
    let k = j;
    while (k < tokens.length && keptFrom[k] < 0) k++;
    const prevIdx = j > 0 ? keptFrom[j - 1] : -1;
    const nextIdx = k < tokens.length ? keptFrom[k] : old.length;
    // The replaced old words' span if any, otherwise the gap between neighbours.
    const replaced = old.slice(prevIdx + 1, nextIdx);
    const from = replaced.length ? replaced[0].start : prevIdx >= 0 ? old[prevIdx].end : span.start;
    const to = replaced.length ? replaced[replaced.length - 1].end : nextIdx < old.length ? old[nextIdx].start : span.end;
    const n = k - j;
    const step = Math.max(0, to - from) / n;
    for (let x = 0; x < n; x++) words.push({ text: tokens[j + x], start: from + step * x, end: from + step * (x + 1), confidence: 1 });
    j = k;
  }
  const text = tokens.join(' ');
  const changed = text !== old.map((w) => w.text).join(' ');
  return { words, text, changed };
}
