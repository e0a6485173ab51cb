/**
 * Helpers of the app section (sections/app.ts) that need no browser: the fixture's utterance
 * boundaries, the offset between a recording and the looped fixture, per-process memory from
 * /proc, and small statistics. Pure functions where possible, so they are easy to check.
 */
import { readFileSync } from 'node:fs';

export const RATE = 16_000;

/** The samples of a 16-bit mono PCM WAV (the 'data' chunk, wherever it starts). */
export function readPcm16(path: string): Int16Array {
  const buf = readFileSync(path);
  let off = 12;
  while (off + 8 <= buf.length) {
    const id = buf.toString('ascii', off, off + 4);
    const size = buf.readUInt32LE(off + 4);
    if (id === 'data') {
      // A header not yet fixed up (recording still open) says 0 or too much: take what is there.
      const end = size > 0 && off + 8 + size <= buf.length ? off + 8 + size : buf.length;
      const n = Math.floor((end - off - 8) / 2);
      const out = new Int16Array(n);
      for (let i = 0; i < n; i++) out[i] = buf.readInt16LE(off + 8 + 2 * i);
      return out;
    }
    off += 8 + size + (size % 2);
  }
  throw new Error(`${path}: no data chunk`);
}

export interface Span {
  start: number;
  end: number;
}

/**
 * The utterances of the e2e fixture: runs of audio between the digital silences that
 * make-e2e-audio.sh puts between clips (sox -n: zeros, dithered by sox to |x| <= 1), in seconds.
 * A clip's end is the end of its FSDD recording, so it is at or just after the end of the word.
 */
export function utterances(pcm: Int16Array, minGapS = 0.4, silent = 1): Span[] {
  const minGap = Math.round(minGapS * RATE);
  const spans: Span[] = [];
  let start = -1;
  let zeros = 0;
  for (let i = 0; i < pcm.length; i++) {
    if (Math.abs(pcm[i]) <= silent) {
      zeros++;
      if (start >= 0 && zeros >= minGap) {
        spans.push({ start: start / RATE, end: (i - zeros + 1) / RATE });
        start = -1;
      }
    } else {
      if (start < 0) start = i;
      zeros = 0;
    }
  }
  if (start >= 0) spans.push({ start: start / RATE, end: (pcm.length - zeros) / RATE });
  return spans;
}

/** Mean |x| per 10 ms frame. */
export function envelope(pcm: Int16Array, hop = RATE / 100): Float64Array {
  const n = Math.floor(pcm.length / hop);
  const out = new Float64Array(n);
  for (let f = 0; f < n; f++) {
    let s = 0;
    for (let i = f * hop; i < (f + 1) * hop; i++) s += Math.abs(pcm[i]);
    out[f] = s / hop;
  }
  return out;
}

/**
 * Where in the looped fixture the recording starts: the lag (seconds, 10 ms resolution) that
 * best correlates the recording's energy envelope with the fixture's, circularly. Also returns
 * the correlation (Pearson) at that lag, as a sanity figure.
 */
export function loopOffset(recording: Int16Array, fixture: Int16Array): { offsetS: number; r: number } {
  const rec = envelope(recording);
  const fix = envelope(fixture);
  const L = fix.length;
  const n = Math.min(rec.length, 3 * L);
  const mean = (a: Float64Array, len: number): number => { let s = 0; for (let i = 0; i < len; i++) s += a[i]; return s / len; };
  const mr = mean(rec, n);
  const mf = mean(fix, L);
  let best = -Infinity;
  let bestLag = 0;
  let sr = 0;
  for (let k = 0; k < n; k++) sr += (rec[k] - mr) ** 2;
  let sf = 0;
  for (let k = 0; k < L; k++) sf += (fix[k] - mf) ** 2;
  for (let lag = 0; lag < L; lag++) {
    let s = 0;
    for (let k = 0; k < n; k++) s += (rec[k] - mr) * (fix[(k + lag) % L] - mf);
    if (s > best) {
      best = s;
      bestLag = lag;
    }
  }
  const r = best / Math.sqrt(sr * sf * (n / L));
  return { offsetS: bestLag / 100, r };
}

export const median = (xs: number[]): number => {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

/** The q-quantile (0..1) of xs: the sorted value at floor(q·n), NaN for none. */
export const quantile = (xs: readonly number[], q: number): number => {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))];
};

/**
 * Page script: records the page's requestAnimationFrame intervals (ms) in window.__raf. Page
 * scripts are strings: functions passed to page.evaluate would carry tsx's name helpers into the page.
 */
export const RAF_START_SCRIPT = `(() => {
  const b = (window.__raf = { on: true, d: [] });
  let prev = 0;
  const tick = (t) => { if (prev) b.d.push(t - prev); prev = t; if (b.on) requestAnimationFrame(tick); };
  requestAnimationFrame(tick);
})()`;

/** Page script: the intervals recorded since the start or the last take, which it clears. */
export const RAF_TAKE_SCRIPT = `(() => { const d = window.__raf.d; window.__raf.d = []; return d; })()`;

/** Page script: stops recording (no more frames are counted). */
export const RAF_STOP_SCRIPT = 'window.__raf.on = false';

/** Wall seconds a working process needs to reach its working size (V8's young generation, in-flight buffers). */
export const WARM_WALL_S = 60;

/**
 * The samples after warm-up: past 10 % of the audio *and* WARM_WALL_S of wall time. At 40×
 * real time 10 % of 2 h is reached 16 s in, before V8 has grown its young generation under
 * the allocation rate, so an audio-only rule compared an idle-sized heap with a working one
 * and called the difference growth (78 → 99 MiB, while a forced GC showed live objects flat
 * at ~7 MiB). Falls back to the audio rule when the run is too short for the wall rule.
 */
export function warmSamples<T extends { wallS: number; audioS: number }>(samples: readonly T[], audioS: number): T[] {
  const byAudio = samples.filter((s) => s.audioS >= audioS * 0.1);
  const both = byAudio.filter((s) => s.wallS >= WARM_WALL_S);
  return both.length >= 3 ? both : byAudio;
}

/** The first sample at or past `audioS` of audio (a run longer than that is judged where it passed it); null when the run ended before. */
export function sampleAtAudio<T extends { audioS: number }>(samples: readonly T[], audioS: number): T | null {
  return samples.find((s) => s.audioS >= audioS) ?? null;
}

/** Least-squares slope of y over x. */
export function slope(xs: number[], ys: number[]): number {
  const n = xs.length;
  if (n < 2) return NaN;
  const mx = xs.reduce((a, b) => a + b, 0) / n;
  const my = ys.reduce((a, b) => a + b, 0) / n;
  let num = 0;
  let den = 0;
  for (let i = 0; i < n; i++) {
    num += (xs[i] - mx) * (ys[i] - my);
    den += (xs[i] - mx) ** 2;
  }
  return den > 0 ? num / den : NaN;
}

// ---------- /proc ----------

/** A line of /proc/<pid>/status in KiB (VmRSS, VmHWM), or null when the process is gone. */
export function procKb(pid: number, field: 'VmRSS' | 'VmHWM'): number | null {
  try {
    const m = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) : null;
  } catch {
    return null;
  }
}

/** Proportional set size (KiB): shared pages split among their users, so a tree's PSS adds up. */
export function pssKb(pid: number): number | null {
  try {
    const m = /^Pss:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8'));
    return m ? Number(m[1]) : null;
  } catch {
    return null;
  }
}

export function cmdline(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ').trim();
  } catch {
    return '';
  }
}
