/**
 * Merging a high-accuracy pass into a session: the pass's segments replace the live ones, except
 * segments the user edited. An edited segment is kept as edited; when the pass heard something else
 * over its span it is flagged, with the pass's text beside it, so the UI can say so. Pure.
 */
import type { StoredSegment } from '../contract/channels.js';

function norm(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^\p{L}\p{N}'\s]+/gu, ' ')
    .split(/\s+/)
    .filter(Boolean)
    .join(' ');
}

/**
 * Two CTC models place the same word's spike a few frames apart, and a live segment of one short word
 * can be narrower than that, so an edit reaches SLACK_S beyond its own span on each side, never past
 * the middle of the gap to the next segment of its channel (that word is the neighbour's).
 */
export const SLACK_S = 0.25;

export function editReach(e: StoredSegment, live: readonly StoredSegment[]): { start: number; end: number } {
  let start = e.start - SLACK_S;
  let end = e.end + SLACK_S;
  for (const o of live) {
    if (o === e || o.channel !== e.channel) continue;
    if (o.end <= e.start) start = Math.max(start, (o.end + e.start) / 2);
    if (o.start >= e.end) end = Math.min(end, (e.end + o.start) / 2);
  }
  return { start: Math.max(0, start), end };
}

/** Seconds two spans share. */
function overlap(a: { start: number; end: number }, b: { start: number; end: number }): number {
  return Math.max(0, Math.min(a.end, b.end) - Math.max(a.start, b.start));
}

export interface HighAccuracyMerge {
  segments: StoredSegment[];
  /** Edited segments kept whose text differs from the pass's. */
  flagged: number;
  /** Edited segments kept as they were (the pass agrees with the edit). */
  keptEdits: number;
}

/**
 * `live`: the session's segments now (edits included); `pass`: the high-accuracy segments, with the
 * same sessionId and channel tags. The flag's text is the pass's words whose middle lies in the
 * edited segment's reach (`editReach`); a pass segment more than half inside that reach is covered by
 * the edit and not added again (one mostly outside is added whole, so none of the pass's text is lost).
 */
export function mergeHighAccuracy(live: readonly StoredSegment[], pass: readonly StoredSegment[]): HighAccuracyMerge {
  const edits = live.filter((s) => s.edited);
  const claimed = new Set<number>();
  const out: StoredSegment[] = [];
  let flagged = 0;
  for (const e of edits) {
    const heard: string[] = [];
    const reach = editReach(e, live);
    pass.forEach((p, i) => {
      if (p.channel !== e.channel) return;
      const inside = (a: number, b: number) => (a + b) / 2 >= reach.start && (a + b) / 2 <= reach.end;
      // What the pass heard over the edit's reach, word by word.
      if (p.words.length) heard.push(...p.words.filter((w) => inside(w.start, w.end)).map((w) => w.text));
      else if (inside(p.start, p.end)) heard.push(p.text.trim());
      // A pass segment mostly inside the edit's reach is covered by it; one mostly outside stays whole.
      if (overlap(p, reach) > 0.5 * Math.max(1e-6, p.end - p.start)) claimed.add(i);
    });
    const passText = heard.filter(Boolean).join(' ');
    const { flagged: _f, highAccuracyText: _h, ...base } = e;
    void _f;
    void _h;
    if (norm(passText) === norm(e.text)) {
      out.push(base);
    } else {
      out.push({ ...base, flagged: true, highAccuracyText: passText });
      flagged++;
    }
  }
  const taken = new Set(out.map((s) => `${s.channel}:${s.start}`));
  pass.forEach((p, i) => {
    if (claimed.has(i) || !p.text.trim()) return;
    const key = `${p.channel}:${p.start}`;
    if (taken.has(key)) return; // the library keys segments by channel and start
    taken.add(key);
    out.push({ ...p, edited: undefined, flagged: undefined, highAccuracyText: undefined });
  });
  const clean = out.map((s) => Object.fromEntries(Object.entries(s).filter(([, v]) => v !== undefined)) as StoredSegment);
  clean.sort((a, b) => a.start - b.start || a.channel - b.channel);
  return { segments: clean, flagged, keptEdits: edits.length - flagged };
}
