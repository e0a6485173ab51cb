/**
 * Section 4: the app itself (issue 4), in browser mode (`hushscribe serve`) with the real UI, the
 * default model and Debian's Chromium fed the e2e digits WAV as its microphone (as test/e2e does).
 *
 * 1. Live partial latency: when each spoken digit's end is heard vs when a word for it first shows
 *    in [data-testid=live-transcript] (a MutationObserver in the page). Clocks: see alignment below.
 * 2. Frame rate: requestAnimationFrame deltas in the page during the same live recording.
 * 3. Memory: a Node client speaking the WebSocket contract records the looped fixture through the
 *    same capture path as the page, faster than real time (paced by the transcriber's progress),
 *    while RSS of the host, the transcriber worker and Chromium is sampled from /proc.
 *
 * Alignment of the latency clocks (all in the page's performance.now()):
 *  - The page's WebSocket.send is wrapped: each binary audio frame (20 ms, sequence number seq) is
 *    sent when the worklet has it, so t_send(seq) >= t_capture0 + (seq - seq0 + 1) * 20 ms. The
 *    minimum over all frames of t_send - (seq - seq0 + 1) * 20 ms is the page time of recording
 *    sample 0 (the host writes frames in seq order, filling gaps, so sample n is seq0 + n/320).
 *  - Where in the looped WAV the recording starts is found by correlating the recording the host
 *    wrote (ch0.wav) with the fixture's energy envelope (10 ms resolution).
 *  - A digit's end is the end of its clip in the fixture (the exact-zero gaps the make script puts
 *    between clips), so recording time of its end = pass * L + clipEnd - offset.
 */
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { FRAME_SAMPLES } from '../../../electron/core/contract/wire.js';
import { defaultModel } from '../../../electron/core/transcribe/model-paths.js';
import { transcribeFile } from '../../../electron/core/transcribe/file.js';
import { ensureRendererBuilt, freePort, launchChromium, openAndSettleState, processTree, speechFixture, startHost, switchOffHighAccuracyPass, waitFor, type Host } from '../../e2e/harness.js';
import { WireClient } from '../../e2e/wire-client.js';
import { cmdline, loopOffset, median, procKb, pssKb, quantile, RAF_START_SCRIPT, RAF_STOP_SCRIPT, RAF_TAKE_SCRIPT, RATE, readPcm16, sampleAtAudio, slope, utterances, WARM_WALL_S, warmSamples, type Span } from '../app-probe.js';
import { repoPath } from '../paths.js';
import { mdTable, status } from '../table.js';
import { TARGETS } from '../targets.js';
import type { BenchContext, SectionResult, TargetCheck } from './types.js';

export const APP_TITLE = '4. App: live latency, frame rate and memory (issue 4)';
export const APP_SECTION_MD = repoPath('test/bench/out/app-section.md');

/** Seconds of live recording from the fake microphone (latency and frame rate). */
const LIVE_S = 25;
/** Memory run: audio sampled every this many wall seconds. */
const SAMPLE_EVERY_S = 5;
/** The sender stays at most this much audio ahead of what the transcriber has reported. */
const LEAD_S = 30;

const log2 = (x: number, d = 2): string => (Number.isFinite(x) ? x.toFixed(d) : 'n/a');
const mib = (kb: number | null | undefined): string => (kb === null || kb === undefined || !Number.isFinite(kb) ? 'n/a' : `${(kb / 1024).toFixed(0)}`);

// ---------- the page's instruments (run in Chromium, before the app's scripts) ----------
interface PageBench {
  seq0: number | null;
  frames: number;
  t0: number;
  snaps: { t: number; tokens: string[] }[];
}

const INIT_SCRIPT = `(() => {
  const b = { seq0: null, frames: 0, t0: Infinity, snaps: [] };
  window.__bench = b;
  const send = WebSocket.prototype.send;
  WebSocket.prototype.send = function (data) {
    if (data instanceof Uint8Array || data instanceof ArrayBuffer) {
      const t = performance.now();
      const u = data instanceof Uint8Array ? data : new Uint8Array(data);
      if (u.length >= 8 && u[0] === 0x48) {
        const seq = (u[4] | (u[5] << 8) | (u[6] << 16) | (u[7] << 24)) >>> 0;
        if (b.seq0 === null) b.seq0 = seq;
        b.frames++;
        const c = t - (seq - b.seq0 + 1) * 20;
        if (c < b.t0) b.t0 = c;
      }
    }
    return send.call(this, data);
  };
})();`;

/**
 * Installs the MutationObserver on the live transcript and starts rAF sampling. Page scripts are
 * strings: functions passed to page.evaluate would carry tsx's name helpers into the page.
 */
const OBSERVE_SCRIPT = `(() => {
  const b = window.__bench;
  const box = document.querySelector('[data-testid=live-transcript]');
  if (!box) throw new Error('no live transcript');
  let last = '';
  const snap = () => {
    const tokens = [];
    for (const p of box.querySelectorAll('p.segment')) {
      if (p.classList.contains('partial')) {
        const clone = p.cloneNode(true);
        for (const s of clone.querySelectorAll('.who, .time')) s.remove();
        tokens.push(...(clone.textContent || '').trim().split(/\\s+/).filter(Boolean));
      } else {
        for (const w of p.querySelectorAll('span.word')) tokens.push((w.textContent || '').trim());
      }
    }
    const key = tokens.join(' ');
    if (key !== last) {
      last = key;
      b.snaps.push({ t: performance.now(), tokens });
    }
  };
  new MutationObserver(snap).observe(box, { subtree: true, childList: true, characterData: true });
})()`;

/** The final words the live transcript shows, in order, with their times (from each word's title). */
const FINAL_WORDS_SCRIPT = `(() => {
  const out = [];
  for (const w of document.querySelectorAll('[data-testid=live-transcript] p.segment:not(.partial) span.word')) {
    const m = /([\\d.]+)–([\\d.]+)/.exec(w.getAttribute('title') || '');
    if (m) out.push({ text: (w.textContent || '').trim(), start: Number(m[1]), end: Number(m[2]) });
  }
  return out;
})()`;

// ---------- 1 + 2: the live recording ----------
interface LiveResult {
  /** endS: the clip's end; latencyS against it. asrLatencyS: against transcribeFile's end of the word it heard in that clip (null when it heard none there). */
  latencies: { pass: number; clip: number; endS: number; latencyS: number | null; asrLatencyS: number | null; word: string }[];
  offsetS: number;
  offsetR: number;
  recordedS: number;
  frames: number;
  raf: number[];
  /** Recognizer's word end minus the clip end, live and from transcribeFile on the file (sanity check of the alignment). */
  endDeltaLive: number;
  endDeltaFile: number;
}

/**
 * The after-stop high-accuracy pass replaces the live words with the teacher's two seconds after
 * stop, so a latency measured against the finals on the page would time the pass, not the live
 * model (the 2026-11-29 run did: 12.4 s). It also would re-transcribe the 2-hour memory run. Off
 * for this section, in Settings as a user would.
 */
async function liveRun(page: Page, dataDir: string, fixture: Int16Array, clips: Span[], fileWords: { end: number }[], ctx: BenchContext): Promise<LiveResult> {
  const L = fixture.length / RATE;
  await page.evaluate(OBSERVE_SCRIPT);
  await page.evaluate(RAF_START_SCRIPT);
  await page.getByTestId('record-start').click();
  await page.getByTestId('record-stop').waitFor();
  ctx.log(`[app] recording ${LIVE_S} s from the fake microphone`);
  await page.waitForTimeout(LIVE_S * 1000);
  await page.evaluate(RAF_STOP_SCRIPT);
  const raf = await page.evaluate<number[]>(RAF_TAKE_SCRIPT);
  const tStop = await page.evaluate<number>('performance.now()');
  await page.getByTestId('record-stop').click();
  await page.getByTestId('record-start').waitFor();
  await page.waitForTimeout(2000); // post-stop finals
  const b = await page.evaluate<PageBench>('window.__bench');
  const words = await page.evaluate<{ text: string; start: number; end: number }[]>(FINAL_WORDS_SCRIPT);
  const sessions = readdirSync(join(dataDir, 'recordings'));
  if (sessions.length !== 1) throw new Error(`expected one recording, found ${sessions.length}`);
  const rec = readPcm16(join(dataDir, 'recordings', sessions[0], 'ch0.wav'));
  const { offsetS, r } = loopOffset(rec, fixture);
  const recordedS = rec.length / RATE;
  const toRec = (pageMs: number): number => (pageMs - b.t0) / 1000;
  const stopRec = toRec(tStop);

  // Each final word belongs to the clip occurrence its middle falls in (±0.3 s), else none.
  const occ: { pass: number; clip: number; start: number; end: number }[] = [];
  for (let pass = 0; pass * L - offsetS < recordedS + L; pass++) {
    clips.forEach((c, clip) => {
      const start = pass * L + c.start - offsetS;
      const end = pass * L + c.end - offsetS;
      if (start >= 0 && end <= recordedS) occ.push({ pass, clip, start, end });
    });
  }
  const firstSeen = new Map<number, { t: number; word: string }>();
  const endDeltas: number[] = [];
  words.forEach((w, j) => {
    const mid = (w.start + w.end) / 2;
    const k = occ.findIndex((o) => mid >= o.start - 0.3 && mid <= o.end + 0.3);
    if (k < 0) return;
    endDeltas.push(w.end - occ[k].end);
    const snap = b.snaps.find((s) => s.tokens.length > j && s.tokens[j] === w.text);
    if (!snap) return;
    const t = toRec(snap.t);
    const prev = firstSeen.get(k);
    if (!prev || t < prev.t) firstSeen.set(k, { t, word: w.text });
  });
  // Only digits that ended at least 2 s before stop had the chance to show while recording.
  const latencies = occ
    .map((o, k) => ({ o, k }))
    .filter(({ o }) => o.end <= stopRec - 2)
    .map(({ o, k }) => {
      const seen = firstSeen.get(k);
      const c = clips[o.clip];
      const asr = fileWords.filter((w) => w.end >= c.start - 0.3 && w.end <= c.end + 0.3).map((w) => w.end);
      const asrEnd = asr.length ? o.pass * L + Math.max(...asr) - offsetS : null;
      return { pass: o.pass, clip: o.clip, endS: o.end, latencyS: seen ? seen.t - o.end : null, asrLatencyS: seen && asrEnd !== null ? seen.t - asrEnd : null, word: seen?.word ?? '' };
    });
  const fileDeltas = fileWords.map((w) => {
    const c = clips.reduce((best, x) => (Math.abs(x.end - w.end) < Math.abs(best.end - w.end) ? x : best), clips[0]);
    return w.end - c.end;
  });
  return { latencies, offsetS, offsetR: r, recordedS, frames: b.frames, raf, endDeltaLive: median(endDeltas), endDeltaFile: median(fileDeltas) };
}

// ---------- 3: memory over a long recording (paced by --app-speed) ----------
interface ProcSample {
  wallS: number;
  audioS: number;
  kb: Record<string, number | null>;
}

interface MemoryResult {
  samples: ProcSample[];
  roles: string[];
  audioS: number;
  wallS: number;
  transcribedS: number;
  hwm: Record<string, number | null>;
  pageSegments: number;
  /** The pace's upper bound, × real time. */
  speed: number;
}

/** Host processes by role (from their command lines), and Chromium's tree. */
function roles(host: Host, browserPids: () => number[]): Record<string, number[]> {
  const out: Record<string, number[]> = {};
  const add = (role: string, pid: number): void => { (out[role] ??= []).push(pid); };
  for (const pid of processTree(host.proc.pid ?? 0)) {
    const cmd = cmdline(pid);
    if (/workers\/transcriber/.test(cmd)) add('transcriber worker', pid);
    else if (/workers\/jobs/.test(cmd)) add('jobs worker', pid);
    else if (/node/.test(cmd)) add('host (serve)', pid);
  }
  for (const pid of browserPids()) {
    const cmd = cmdline(pid);
    if (/--type=renderer/.test(cmd)) add('chromium renderer', pid);
    else if (!/--type=/.test(cmd) && /chrom/i.test(cmd)) add('chromium browser', pid);
    else if (/chrom/i.test(cmd)) add('chromium other', pid);
  }
  return out;
}

function sample(byRole: Record<string, number[]>): Record<string, number | null> {
  const kb: Record<string, number | null> = {};
  for (const [role, pids] of Object.entries(byRole)) {
    const rss = pids.map((p) => procKb(p, 'VmRSS')).filter((x): x is number => x !== null);
    // Host processes: RSS of the largest (one each). Chromium: the tab's renderer RSS, and the whole tree's PSS.
    kb[role] = rss.length ? (role.startsWith('chromium') ? rss.reduce((a, x) => a + x, 0) : Math.max(...rss)) : null;
  }
  const chromium = Object.entries(byRole).filter(([r]) => r.startsWith('chromium')).flatMap(([, p]) => p);
  if (chromium.length) kb['chromium total PSS'] = chromium.map(pssKb).reduce<number>((a, x) => a + (x ?? 0), 0);
  return kb;
}

async function memoryRun(host: Host, page: Page, fixture: Int16Array, browserPids: () => number[], opts: { audioS: number; wallS: number; speed: number }, ctx: BenchContext): Promise<MemoryResult> {
  const wire = await WireClient.open(host.url, false);
  let sessionId = '';
  let transcribedS = 0;
  wire.on('transcript.update', (u) => {
    if (u.sessionId !== sessionId) return;
    for (const f of u.finals) transcribedS = Math.max(transcribedS, f.end);
    if (u.partial) transcribedS = Math.max(transcribedS, u.partial.end);
  });
  const meta = await wire.request('capture.start', { title: 'bench: accelerated long recording', channels: [0] });
  sessionId = meta.id;
  const frames = Math.floor(fixture.length / FRAME_SAMPLES);
  let seq = 0;
  const samples: ProcSample[] = [];
  const t0 = performance.now();
  const wall = (): number => (performance.now() - t0) / 1000;
  let nextSample = 0;
  let lastLog = 0;
  const byRole = (): Record<string, number[]> => roles(host, browserPids);
  ctx.log(`[app] memory: up to ${(opts.audioS / 60).toFixed(0)} min of audio or ${(opts.wallS / 60).toFixed(1)} min wall, whichever first`);
  while (seq * 0.02 < opts.audioS && wall() < opts.wallS) {
    const allowed = Math.min(transcribedS + LEAD_S, wall() * opts.speed, opts.audioS);
    while (seq * 0.02 < allowed && wire.bufferedAmount < 1 << 20) {
      const k = (seq % frames) * FRAME_SAMPLES;
      wire.sendFrame({ channel: 0, seq, pcm: fixture.subarray(k, k + FRAME_SAMPLES) });
      seq++;
    }
    if (wall() >= nextSample) {
      samples.push({ wallS: wall(), audioS: seq * 0.02, kb: sample(byRole()) });
      nextSample += SAMPLE_EVERY_S;
    }
    if (wall() - lastLog >= 60) {
      lastLog = wall();
      ctx.log(`[app] memory: ${(seq * 0.02 / 60).toFixed(1)} min sent, ${(transcribedS / 60).toFixed(1)} min transcribed after ${wall().toFixed(0)} s`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  const sentS = seq * 0.02;
  const wallS = wall();
  await wire.request('capture.stop', {});
  await waitFor(() => transcribedS >= sentS - 2, 'the transcriber to catch up', 60_000, 250).catch(() => undefined);
  samples.push({ wallS: wall(), audioS: sentS, kb: sample(byRole()) });
  const hwm: Record<string, number | null> = {};
  for (const [role, pids] of Object.entries(byRole())) if (!role.startsWith('chromium')) hwm[role] = Math.max(...pids.map((p) => procKb(p, 'VmHWM') ?? 0));
  const pageSegments = await page.getByTestId('live-segment').count().catch(() => -1);
  wire.close();
  const allRoles = [...new Set(samples.flatMap((s) => Object.keys(s.kb)))];
  return { samples, roles: allRoles, audioS: sentS, wallS, transcribedS, hwm, pageSegments, speed: opts.speed };
}

// ---------- rendering ----------
function latencyPart(live: LiveResult, targets: TargetCheck[]): string {
  const shown = live.latencies.filter((l) => l.latencyS !== null).map((l) => l.latencyS as number);
  const missing = live.latencies.length - shown.length;
  const med = median(shown);
  const max = shown.length ? Math.max(...shown) : NaN;
  const met = shown.length > 0 && med <= TARGETS.appPartialLatencyS;
  targets.push({ target: `app: live partial latency median ≤ ${TARGETS.appPartialLatencyS} s`, figure: shown.length ? `median ${med.toFixed(2)} s, max ${max.toFixed(2)} s over ${shown.length} digits` : 'no digit shown', met });
  const asr = live.latencies.filter((l) => l.asrLatencyS !== null).map((l) => l.asrLatencyS as number);
  const rows = live.latencies.map((l) => [String(l.pass), String(l.clip + 1), l.endS.toFixed(2), l.latencyS === null ? 'not shown' : l.latencyS.toFixed(2), l.asrLatencyS === null ? '' : l.asrLatencyS.toFixed(2), l.word]);
  return [
    `**Live partial latency: median ${log2(med)} s, max ${log2(max)} s** over ${shown.length} spoken digits (${status(met)}; target ≤ ${TARGETS.appPartialLatencyS} s)${missing ? `; ${missing} of ${live.latencies.length} digits never showed a word while recording (the model missed them)` : ''}.`,
    `Measured instead from the end \`transcribeFile\` gives the word it hears in each clip (the recogniser's own word end; ${asr.length} digits): median ${log2(median(asr))} s, max ${asr.length ? log2(Math.max(...asr)) : 'n/a'} s. The target is judged on the clip ends above.`,
    `Recorded ${live.recordedS.toFixed(1)} s (${live.frames} frames sent); the recording starts ${live.offsetS.toFixed(2)} s into the looped WAV (envelope correlation r = ${live.offsetR.toFixed(2)}). Sanity check of the alignment: the recogniser's word end minus the clip end is ${log2(live.endDeltaLive)} s (median) live and ${log2(live.endDeltaFile)} s with \`transcribeFile\` on the WAV itself.`,
    '<details><summary>Per digit</summary>\n',
    mdTable(['pass', 'digit #', 'clip ends at (s, recording)', 'latency (s)', 'vs recogniser end (s)', 'first word shown'], rows, [true, true, true, true, true, false]),
    '\n</details>',
  ].join('\n\n');
}

function fpsPart(raf: number[], targets: TargetCheck[]): string {
  if (raf.length < 10) {
    targets.push({ target: `app: renderer ${TARGETS.appFps} fps while transcribing`, figure: `only ${raf.length} frames`, met: false });
    return '_Frame rate: too few animation frames were recorded._';
  }
  const mean = raf.reduce((a, b) => a + b, 0) / raf.length;
  const fps = 1000 / mean;
  const over = (ms: number): string => `${((100 * raf.filter((d) => d > ms).length) / raf.length).toFixed(1)} %`;
  const met = fps >= TARGETS.appFps * TARGETS.appFpsTolerance;
  targets.push({ target: `app: renderer ${TARGETS.appFps} fps while transcribing (mean rAF rate ≥ ${(TARGETS.appFps * TARGETS.appFpsTolerance).toFixed(0)})`, figure: `${fps.toFixed(1)} fps`, met });
  return [
    `**Renderer frame rate while transcribing: ${fps.toFixed(1)} fps** (mean of ${raf.length} requestAnimationFrame intervals over ${(raf.reduce((a, b) => a + b, 0) / 1000).toFixed(1)} s; ${status(met)}: target ${TARGETS.appFps} fps, counted as met at ≥ ${(TARGETS.appFps * TARGETS.appFpsTolerance).toFixed(0)} fps by the mean interval).`,
    mdTable(['median interval', 'p95 interval', 'max interval', 'frames > 18.7 ms (a 60 Hz frame + 2 ms)', 'frames > 33.4 ms (2 frames)'], [[`${median(raf).toFixed(1)} ms`, `${quantile(raf, 0.95).toFixed(1)} ms`, `${Math.max(...raf).toFixed(1)} ms`, over(18.7), over(33.4)]], [true, true, true, true, true]),
  ].join('\n\n');
}

function memoryPart(mem: MemoryResult, targets: TargetCheck[]): string {
  const hours = mem.audioS / 3600;
  const warm = warmSamples(mem.samples, mem.audioS);
  const rows: string[][] = [];
  for (const role of mem.roles) {
    const series = mem.samples.filter((s) => s.kb[role] !== null && s.kb[role] !== undefined);
    if (series.length === 0) continue;
    const vals = series.map((s) => s.kb[role] as number);
    const w = warm.filter((s) => s.kb[role] !== null && s.kb[role] !== undefined);
    const sl = slope(w.map((s) => s.audioS / 3600), w.map((s) => s.kb[role] as number)); // KiB per audio hour
    const warmKb = w.length ? (w[0].kb[role] as number) : vals[0];
    const end = vals[vals.length - 1];
    const at2hSample = sampleAtAudio(series, 2 * 3600);
    const at2h = at2hSample ? (at2hSample.kb[role] as number) : end + sl * (2 - hours);
    rows.push([role, mib(vals[0]), mib(warmKb), mib(Math.max(...vals)), mib(end), mem.hwm[role] !== undefined ? mib(mem.hwm[role]) : '', Number.isFinite(sl) ? (sl / 1024).toFixed(1) : 'n/a', `${mib(at2h)}${hours >= 2 ? '' : ' (extrapolated)'}`]);
    if (role === 'host (serve)' || role === 'transcriber worker') {
      const met = at2h <= TARGETS.appRssGrowth * warmKb;
      targets.push({ target: `app: ${role} RSS at 2 h of recording ≤ ${TARGETS.appRssGrowth}× its RSS after warm-up`, figure: `${mib(warmKb)} → ${mib(at2h)} MiB${hours >= 2 ? '' : ` (extrapolated from ${(hours * 60).toFixed(0)} min)`}`, met });
    }
  }
  const full = hours >= 2;
  return [
    `**Memory over a long recording ${mem.speed === 1 ? 'at a live meeting\'s pace' : 'at accelerated speed'}:** ${(mem.audioS / 60).toFixed(1)} min of audio (the fixture looped) recorded in ${(mem.wallS / 60).toFixed(1)} min wall (${(mem.audioS / mem.wallS).toFixed(1)}× real time), transcribed up to ${(mem.transcribedS / 60).toFixed(1)} min${full ? '' : `; **less than 2 hours fitted the time budget, so the 2-hour figures are extrapolated** linearly from the slope after warm-up`}.`,
    `Frames go through the WebSocket contract exactly as the page sends them (a Node client: \`capture.start\`, 20 ms binary frames, \`capture.stop\`), paced to stay at most ${LEAD_S} s ahead of the transcript the host reports (and ≤ ${mem.speed}× real time). RSS (VmRSS, MiB) sampled every ${SAMPLE_EVERY_S} s; "warm" is the first sample after 10 % of the audio and ${WARM_WALL_S} s of wall time (V8 grows its young generation under load in the first seconds; counting that ramp as growth was a measuring error); the slope is a least-squares fit over the samples after it, per hour of *audio*. Chromium stayed attached on the Record view: like any open page it receives every \`transcript.update\` and stores the finals in IndexedDB, but it shows only its own recording (${mem.pageSegments} live segments, from the latency run), so the DOM of a 2-hour live transcript is **not** in these figures, and neither is the page's own capture (AudioWorklet + WebSocket sends) over 2 hours. Chromium's rows add RSS over its processes of each type (shared pages counted in each), and "chromium total PSS" splits shared pages.`,
    mdTable(['process', 'start', 'warm', 'peak (sampled)', 'end', 'VmHWM', 'slope MiB/h audio', 'at 2 h'], rows, [false, true, true, true, true, true, true, true]),
  ].join('\n\n');
}

export interface AppOptions {
  /** Audio of the memory run (default 120 min). */
  audioMinutes: number;
  /** Wall-clock budget of the memory run (minutes). */
  wallMinutes: number;
  /** Upper bound on the memory run's pace, × real time (default 60). */
  speed: number;
}

export async function appSection(ctx: BenchContext, opts: AppOptions): Promise<SectionResult> {
  const model = defaultModel();
  ensureRendererBuilt();
  const fx = speechFixture();
  const fixture = readPcm16(fx.wav);
  const clips = utterances(fixture);
  if (clips.length !== fx.words.length) throw new Error(`found ${clips.length} utterances in ${fx.wav}, expected ${fx.words.length}`);
  const file = await transcribeFile(fx.wav, { provider: 'cpu', threads: 1 });
  const fileWords = file.segments.flatMap((s) => s.words);
  const dataDir = join(ctx.tmp, 'app-data');
  mkdirSync(dataDir, { recursive: true });
  const host = await startHost(dataDir, await freePort(), { HUSHSCRIBE_LOG: 'warn' });
  let browser: Browser | null = null;
  try {
    const before = new Set(processTree(process.pid));
    browser = await launchChromium(fx.wav);
    const hostPids = (): Set<number> => new Set(processTree(host.proc.pid ?? 0));
    const browserPids = (): number[] => { const h = hostPids(); return processTree(process.pid).filter((p) => !before.has(p) && !h.has(p)); };
    const page = await (await browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage();
    await page.addInitScript(INIT_SCRIPT);
    const state = await openAndSettleState(page, host.url);
    if (state !== 'ready') return { title: APP_TITLE, body: `_Skipped: the transcriber is '${state}' in browser mode (no model?)._`, targets: [] };
    const provider = await page.getByTestId('transcriber-status').innerText().catch(() => '');
    const passOff = (await switchOffHighAccuracyPass(page))
      ? 'The after-stop high-accuracy pass was switched off in Settings for this section: it replaces the live words with the teacher\'s after stop, and the latency compares the live model\'s partials with **its own** finals.'
      : 'The after-stop high-accuracy pass was not available (no teacher), so the finals on the page are the live model\'s.';
    await page.getByTestId('nav-record').click();
    const live = await liveRun(page, dataDir, fixture, clips, fileWords, ctx);
    const mem = await memoryRun(host, page, fixture, browserPids, { audioS: opts.audioMinutes * 60, wallS: opts.wallMinutes * 60, speed: opts.speed }, ctx);
    const targets: TargetCheck[] = [];
    const body = [
      `Browser mode (\`hushscribe serve\`, real UI, Debian Chromium headless with \`--use-file-for-fake-audio-capture\` = the e2e digits WAV: ${fx.words.length} FSDD digits with 0.8 s gaps, ${(fixture.length / RATE).toFixed(2)} s, looped). Default model: **${model}** (${file.model}); transcriber status in the page: "${provider.replace(/\s+/g, ' ').trim()}".`,
      '### Live partial latency',
      latencyPart(live, targets),
      passOff,
      'How it is measured: the end of each spoken digit is the end of its clip in the WAV (the make script separates clips with digital silence, so the boundaries are exact to a sample). A clip ends at or after the end of its word (FSDD clips are trimmed, but keep a little tail), so these latencies are if anything low; the recogniser places word ends a median of about 0.1 s before the clip end (the sanity check above), hence the second figure. A digit counts as shown when *any* word for it shows, right or wrong (the digits model misrecognises several: see the per-digit table); partials can show a first letter before the word is over, which gives negative latencies. Appearance is the first MutationObserver callback in the page whose live-transcript words (finals, then the partial) hold, at that word\'s position, the word a final later confirms with times inside the digit (±0.3 s); each digit takes its earliest word. Clocks: both are the page\'s `performance.now()`. The start of the recording is the lower envelope of the audio frames\' send times (each binary WebSocket frame\'s send time minus 20 ms × its sequence number since the first); where the recording sits in the looped WAV comes from correlating the recording the host wrote with the WAV (10 ms steps). Uncertainty: ±10 ms from the correlation step (checked: the recogniser\'s word ends sit at the same place relative to the clips live and offline, within the figures above), plus Chromium\'s capture buffering before the worklet (not seen by the page, so the figures are *smaller* than the truth by that much, typically tens of ms), plus up to one frame (16.7 ms) between the DOM change and paint (the observer fires before paint). The latency includes the host\'s 120 ms pump interval, the worker\'s decoding, the WebSocket and Svelte\'s update.',
      '### Renderer frame rate',
      fpsPart(live.raf, targets),
      'Headless Chromium has no display: rAF is driven by its own 60 Hz begin-frame timer and it composites in software, so the figure shows whether the renderer\'s main thread keeps up (long tasks, layout of the growing transcript), not what a screen would show. It cannot exceed 60.',
      '### Memory',
      memoryPart(mem, targets),
    ].join('\n\n');
    const result = { title: APP_TITLE, body, targets };
    mkdirSync(join(APP_SECTION_MD, '..'), { recursive: true });
    writeFileSync(APP_SECTION_MD, `## ${APP_TITLE}\n\n${body}\n\n${targets.map((t) => `- ${t.target}: ${status(t.met)} (${t.figure})`).join('\n')}\n`);
    ctx.log(`[app] wrote ${APP_SECTION_MD}`);
    return result;
  } finally {
    await browser?.close().catch(() => undefined);
    await host.stop();
  }
}
