import assert from 'node:assert/strict';
import { test } from 'node:test';
import { available, unavailable } from './model-targets.js';
import { inAppPart, isResponsive, responsiveness, type InAppAdapt } from './sections/adapt-in-app.js';

const frames = (n: number, ms: number): number[] => Array.from({ length: n }, () => ms);

test('responsiveness: fps from the mean frame interval, long frames over 50 ms, round-trip quantiles', () => {
  const r = responsiveness([...frames(98, 16.7), 60, 120], [5, 6, 7, 8, 200], 10);
  assert.equal(r.fps.toFixed(1), (1000 * 100 / (98 * 16.7 + 180)).toFixed(1));
  assert.equal(r.longFrames, 0.02);
  assert.equal(r.maxFrameMs, 120);
  assert.equal(r.pingMedianMs, 7);
  assert.equal(r.pingP95Ms, 200);
  assert.equal(r.pingMaxMs, 200);
});

test('responsive needs both the frame rate and the round trip: a smooth page over a stalled host is not', () => {
  assert.equal(isResponsive(responsiveness(frames(600, 16.7), [5, 6, 7], 10)), true);
  assert.equal(isResponsive(responsiveness(frames(600, 16.7), frames(20, 150), 10)), false, 'host stalls');
  assert.equal(isResponsive(responsiveness(frames(300, 33.4), [5, 6, 7], 10)), false, 'page at 30 fps');
  assert.equal(isResponsive(responsiveness([], [], 0)), false, 'nothing measured');
});

test('the in-app part writes MISSED with its figure, and a run that could not happen as not measured', () => {
  const v: InAppAdapt = {
    audioS: 600,
    idle: responsiveness(frames(600, 16.7), [4, 5], 15),
    during: responsiveness(frames(600, 16.7), frames(20, 150), 140),
    jobWallS: 140,
    end: { jobId: 'j', stage: 'failed', fraction: 1, etaSeconds: null, detail: '', error: 'adaptation needs at least 30 s of speech' },
    firstEta: { atS: 12, etaS: 100 },
    progressEvents: 9,
    withEta: 7,
  };
  const p = inAppPart(available(v));
  assert.equal(p.target.met, false);
  assert.match(p.target.figure, /round trip p95 150 ms/);
  assert.match(p.md, /failed: adaptation needs at least 30 s/);
  assert.match(p.md, /\*\*MISSED\*\*/);
  const n = inAppPart(unavailable('the transcriber is \'error\' in browser mode'));
  assert.equal(n.target.met, false);
  assert.match(n.md, /Not measured: the transcriber/);
});
