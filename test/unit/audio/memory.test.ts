import assert from 'node:assert/strict';
import v8 from 'node:v8';
import vm from 'node:vm';
import { before, test } from 'node:test';
import { probeAudio, readAudio } from '../../../electron/core/audio/index.js';
import { ensureAudioFixtures, fixture } from './fixtures.js';

before(ensureAudioFixtures);

const MB = 1024 * 1024;

test('a 20-minute WAV streams through readAudio in bounded memory', async (t) => {
  // A forced collection before each reading measures what is live, not what the GC has yet to reclaim.
  v8.setFlagsFromString('--expose-gc');
  const gc = vm.runInNewContext('gc') as () => void;
  const file = fixture('long-20min.wav');
  assert.equal((await probeAudio(file)).durationSeconds, 1200);

  gc();
  const base = process.memoryUsage();
  let peakLive = 0;
  let peakRss = 0;
  let samples = 0;
  for await (const chunk of readAudio(file, { chunkSeconds: 30 })) {
    samples += chunk.length;
    gc();
    const m = process.memoryUsage();
    peakLive = Math.max(peakLive, m.heapUsed + m.arrayBuffers - base.heapUsed - base.arrayBuffers);
    peakRss = Math.max(peakRss, m.rss - base.rss);
  }
  t.diagnostic(`peak live growth ${(peakLive / MB).toFixed(1)} MiB, peak RSS growth ${(peakRss / MB).toFixed(1)} MiB`);

  assert.equal(samples, 1200 * 16000);
  // Holding the whole file would take 73 MiB as float (37 MiB as bytes). Streaming holds about
  // one 30 s output chunk (1.8 MiB) plus read buffers and decoder state.
  assert.ok(peakLive < 24 * MB, `live memory grew ${(peakLive / MB).toFixed(1)} MiB`);
  assert.ok(peakRss < 48 * MB, `RSS grew ${(peakRss / MB).toFixed(1)} MiB`);
});
