/**
 * Section 5, in the app: issue 5's "with the app still responsive". The scenario's adapt audio is
 * joined into one file, imported into `hushscribe serve` through the contract, and adapted on from
 * the Settings pane of the real UI (Debian Chromium) as a user would: tick the session, name the
 * profile, press Adapt. While the job runs in its low-priority background process, the page's
 * requestAnimationFrame intervals and the round trip of a contract request from a second client are
 * sampled; the same samples with the app idle, just before, are the baseline.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { decodeAudioFile, encodeWav16 } from '../../../electron/core/audio/index.js';
import type { AdaptProgressEvent } from '../../../electron/core/contract/channels.js';
import type { ManifestRow } from '../../../electron/core/eval/manifest.js';
import { concatFloat32 } from '../../../electron/core/float32-concat.js';
import { ensureRendererBuilt, freePort, launchChromium, openAndSettleState, speechFixture, startHost, waitFor } from '../../e2e/harness.js';
import { WireClient } from '../../e2e/wire-client.js';
import { median, quantile, RAF_START_SCRIPT, RAF_TAKE_SCRIPT } from '../app-probe.js';
import { available, unavailable, type Available } from '../model-targets.js';
import { fmtSeconds, mdTable, status } from '../table.js';
import { TARGETS } from '../targets.js';
import type { BenchContext, TargetCheck } from './types.js';

/** Seconds of idle sampling before the job starts. */
const IDLE_S = 15;
/** How often the second client times a request. */
const PING_EVERY_MS = 250;
/** A frame longer than this is a visible stall (three 60 Hz frames). */
const LONG_FRAME_MS = 50;
const JOB_TIMEOUT_MS = 15 * 60_000;

/** Responsiveness over one stretch of time. */
export interface Responsiveness {
  seconds: number;
  fps: number;
  /** Share of frames longer than LONG_FRAME_MS. */
  longFrames: number;
  maxFrameMs: number;
  pings: number;
  pingMedianMs: number;
  pingP95Ms: number;
  pingMaxMs: number;
}

export interface InAppAdapt {
  audioS: number;
  idle: Responsiveness;
  during: Responsiveness;
  /** Press of Adapt to the job's last event. */
  jobWallS: number;
  end: AdaptProgressEvent;
  /** The first ETA the pane showed, and when (seconds after the press). */
  firstEta: { atS: number; etaS: number } | null;
  /** Progress events received, and how many carried an ETA. */
  progressEvents: number;
  withEta: number;
}

/** Pure: the figures of one stretch from its frame intervals and request round trips (ms). */
export function responsiveness(frames: readonly number[], pings: readonly number[], seconds: number): Responsiveness {
  const total = frames.reduce((a, b) => a + b, 0);
  return {
    seconds,
    fps: total > 0 ? (1000 * frames.length) / total : NaN,
    longFrames: frames.length ? frames.filter((d) => d > LONG_FRAME_MS).length / frames.length : NaN,
    maxFrameMs: frames.length ? Math.max(...frames) : NaN,
    pings: pings.length,
    pingMedianMs: median([...pings]),
    pingP95Ms: quantile(pings, 0.95),
    pingMaxMs: pings.length ? Math.max(...pings) : NaN,
  };
}

/** Whether a stretch counts as responsive by the bench's targets. */
export function isResponsive(r: Responsiveness): boolean {
  return r.fps >= TARGETS.appFps * TARGETS.appFpsTolerance && r.pingP95Ms <= TARGETS.adaptResponsiveP95Ms;
}

/** Times `settings.get` round trips from the second client until stop() is called. */
function pinger(wire: WireClient): { stop: () => Promise<number[]> } {
  const out: number[] = [];
  let on = true;
  const loop = (async () => {
    while (on) {
      const t = performance.now();
      await wire.request('settings.get', {});
      out.push(performance.now() - t);
      await new Promise((r) => setTimeout(r, PING_EVERY_MS));
    }
  })();
  return { stop: async () => { on = false; await loop; return out; } };
}

async function sample(page: Page, wire: WireClient, until: () => Promise<boolean>): Promise<Responsiveness> {
  await page.evaluate(RAF_TAKE_SCRIPT);
  const t0 = performance.now();
  const p = pinger(wire);
  while (!(await until())) await new Promise((r) => setTimeout(r, 200));
  const pings = await p.stop();
  const frames = await page.evaluate<number[]>(RAF_TAKE_SCRIPT);
  return responsiveness(frames, pings, (performance.now() - t0) / 1000);
}

/** One WAV of the rows' audio end to end, as a user's long recording would be. */
async function joinedWav(rows: readonly ManifestRow[]): Promise<Uint8Array> {
  const parts: Float32Array[] = [];
  for (const r of rows) parts.push(await decodeAudioFile(r.audio));
  return encodeWav16(concatFloat32(parts));
}

export async function adaptInApp(ctx: BenchContext, rows: readonly ManifestRow[], name: string): Promise<Available<InAppAdapt>> {
  ensureRendererBuilt();
  const dataDir = join(ctx.tmp, 'app-adapt');
  mkdirSync(dataDir, { recursive: true });
  const host = await startHost(dataDir, await freePort(), {
    HUSHSCRIBE_LOG: 'warn',
    HUSHSCRIBE_PROFILES: join(dataDir, 'profiles'),
    HUSHSCRIBE_CACHE: join(dataDir, 'cache'),
  });
  let browser: Browser | null = null;
  let wire: WireClient | null = null;
  try {
    browser = await launchChromium(speechFixture().wav);
    const page = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
    const state = await openAndSettleState(page, host.url);
    if (state !== 'ready') return unavailable(`the transcriber is '${state}' in browser mode`);
    wire = await WireClient.open(host.url);
    const w = wire;
    const bytes = await joinedWav(rows);
    const meta = await w.request('library.import', { importId: 'bench-import', name: `${name}.wav`, bytes });
    // The import is transcribed by the live model first; adapting starts on a quiet app.
    await waitFor(() => w.of('import.progress').some((p) => p.importId === 'bench-import' && p.stage === 'done'), 'the import to be transcribed', 10 * 60_000, 500);
    await page.getByTestId('nav-settings').click();
    const toggle = page.getByTestId('adapt-enabled');
    await toggle.waitFor();
    if (!(await toggle.isChecked())) await toggle.check();
    const check = await w.request('adapt.check', {});
    if (!check.ready) return unavailable(check.message);
    const box = page.locator(`[data-testid="adapt-session"][data-session-id="${meta.id}"]`);
    await box.waitFor();
    await box.check();
    await page.getByTestId('adapt-name').fill(name);
    await page.evaluate(RAF_START_SCRIPT);
    ctx.log(`[adapt] in the app: ${IDLE_S} s idle, then adapting on ${(meta.durationS / 60).toFixed(1)} min of imported audio from the Settings pane`);
    const idleEnd = performance.now() + IDLE_S * 1000;
    const idle = await sample(page, w, async () => performance.now() >= idleEnd);

    const seen = w.of('adapt.progress').length;
    const progress = (): AdaptProgressEvent[] => w.of('adapt.progress').slice(seen);
    const ended = (): AdaptProgressEvent | undefined => progress().find((p) => ['done', 'failed', 'cancelled'].includes(p.stage));
    const pressed = performance.now();
    let firstEta: InAppAdapt['firstEta'] = null;
    const offEta = w.on('adapt.progress', (p) => {
      if (p.etaSeconds !== null && firstEta === null) firstEta = { atS: (performance.now() - pressed) / 1000, etaS: p.etaSeconds };
    });
    await page.getByTestId('adapt-start').click();
    const deadline = pressed + JOB_TIMEOUT_MS;
    const during = await sample(page, w, async () => ended() !== undefined || performance.now() > deadline);
    offEta();
    const end = ended();
    if (!end) return unavailable(`the job did not end within ${JOB_TIMEOUT_MS / 60_000} min`);
    const events = progress();
    return available({
      audioS: meta.durationS,
      idle,
      during,
      jobWallS: (performance.now() - pressed) / 1000,
      end,
      firstEta,
      progressEvents: events.length,
      withEta: events.filter((p) => p.etaSeconds !== null).length,
    });
  } finally {
    wire?.close();
    await browser?.close().catch(() => undefined);
    await host.stop();
  }
}

const ms = (x: number): string => (Number.isFinite(x) ? `${x.toFixed(0)} ms` : 'n/a');
const pct1 = (x: number): string => (Number.isFinite(x) ? `${(100 * x).toFixed(1)} %` : 'n/a');

/** The report's part and the responsiveness target. */
export function inAppPart(r: Available<InAppAdapt>): { md: string; target: TargetCheck } {
  const what = `adapt: the app stays responsive while adapting on ${TARGETS.adaptAudioMinutes} min in the app (renderer ≥ ${(TARGETS.appFps * TARGETS.appFpsTolerance).toFixed(0)} fps, contract round trip p95 ≤ ${TARGETS.adaptResponsiveP95Ms} ms)`;
  if (!r.ok) return { md: `_Not measured: ${r.why}._`, target: { target: what, figure: `not measured: ${r.why}`, met: false } };
  const v = r.value;
  const met = isResponsive(v.during);
  const row = (label: string, x: Responsiveness): string[] => [label, `${x.seconds.toFixed(0)} s`, x.fps.toFixed(1), pct1(x.longFrames), ms(x.maxFrameMs), String(x.pings), ms(x.pingMedianMs), ms(x.pingP95Ms), ms(x.pingMaxMs)];
  const outcome = v.end.stage === 'done' && v.end.result
    ? (v.end.result.kept ? `kept profile '${v.end.result.name}'` : `no profile kept (${v.end.result.notSavedReason ?? 'no gain'})`)
    : `${v.end.stage}${v.end.error ? `: ${v.end.error}` : ''}`;
  const md = [
    `**In the app.** The scenario's adapt audio joined into one ${(v.audioS / 60).toFixed(1)} min file, imported into \`hushscribe serve\` through the contract, then adapted on from the Settings pane of the real UI (Debian Chromium, headless): the session ticked, a profile named, Adapt pressed. The job runs in the app's background job process at low priority with the product's defaults. While it ran, the page's requestAnimationFrame intervals and the round trip of \`settings.get\` from a second contract client every ${PING_EVERY_MS} ms were recorded; the idle row is the same for ${IDLE_S} s just before the press.`,
    mdTable(['app', 'for', 'renderer fps', `frames > ${LONG_FRAME_MS} ms`, 'longest frame', 'requests', 'round trip median', 'p95', 'max'], [row('idle', v.idle), row('adapting', v.during)], [false, true, true, true, true, true, true, true, true]),
    `Job: press to end **${fmtSeconds(v.jobWallS)}** for ${(v.audioS / 60).toFixed(1)} min of audio; ${outcome}. The pane showed progress ${v.progressEvents} times, ${v.withEta} of them with an ETA${v.firstEta ? ` (the first ${v.firstEta.atS.toFixed(0)} s after the press: about ${fmtSeconds(v.firstEta.etaS)} left; it took ${fmtSeconds(v.jobWallS - v.firstEta.atS)} more)` : ''}. Responsive while adapting: ${status(met)}.`,
  ].join('\n\n');
  return { md, target: { target: what, figure: `${v.during.fps.toFixed(1)} fps, round trip p95 ${ms(v.during.pingP95Ms)} (idle: ${v.idle.fps.toFixed(1)} fps, ${ms(v.idle.pingP95Ms)}); job ${fmtSeconds(v.jobWallS)} for ${(v.audioS / 60).toFixed(1)} min`, met } };
}
