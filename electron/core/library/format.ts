/** Transcript shapes for export and editing. Pure (renderer and Node both use these). */
import type { Word } from '../transcribe/types.js';

export interface TranscriptSegment {
  start: number;
  end: number;
  text: string;
  words: Word[];
  /** Speaker label, e.g. 'You' or 'Others'. */
  speaker: string;
  edited?: boolean;
}

export interface TranscriptDoc {
  title: string;
  /** ms since epoch */
  createdAt: number;
  durationS: number;
  segments: TranscriptSegment[];
}

function pad(n: number, width = 2): string {
  return String(n).padStart(width, '0');
}

/** 3723.5 → "01:02:03,500" (SRT) or "01:02:03.500" (VTT). */
export function timestamp(seconds: number, sep: ',' | '.'): string {
  const ms = Math.max(0, Math.round(seconds * 1000));
  const h = Math.floor(ms / 3_600_000);
  const m = Math.floor((ms % 3_600_000) / 60_000);
  const s = Math.floor((ms % 60_000) / 1000);
  return `${pad(h)}:${pad(m)}:${pad(s)}${sep}${pad(ms % 1000, 3)}`;
}

/** 83.2 → "1:23", 3723 → "1:02:03". */
export function clock(seconds: number): string {
  const t = Math.max(0, Math.floor(seconds));
  const h = Math.floor(t / 3600);
  const m = Math.floor((t % 3600) / 60);
  const s = t % 60;
  return h ? `${h}:${pad(m)}:${pad(s)}` : `${m}:${pad(s)}`;
}

export function sortedSegments(doc: TranscriptDoc): TranscriptSegment[] {
  return [...doc.segments].filter((s) => s.text.trim()).sort((a, b) => a.start - b.start || a.end - b.end);
}
