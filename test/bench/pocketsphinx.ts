/**
 * The baseline: Debian's pocketsphinx (5prealpha) with pocketsphinx-en-us (en-us acoustic model,
 * en-us.lm.bin, cmudict-en-us.dict) via pocketsphinx_batch, on the same utterances. The audio is
 * converted by our own loader (FLAC/Opus/WAV → 16 kHz mono float → 16-bit WAV) into the
 * temporary folder; pocketsphinx skips the 44-byte header (-adchdr 44). Output is normalised like
 * the references, then scored with the eval harness's alignment.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { decodeAudioFile, encodeWav16 } from '../../electron/core/audio/index.js';
import { addCounts, alignWords, wordErrorRate, ZERO_COUNTS } from '../../electron/core/eval/wer.js';
import type { DevSet } from './dev-sets.js';
import { failureOf, runMeasured } from './measure.js';
import { PS_BATCH, PS_DICT, PS_HMM, PS_LM } from './paths.js';
import { failed, type SetResult } from './results.js';
import { normaliseText } from './text-norm.js';

/** Why pocketsphinx cannot run here, or null when it can. */
export function pocketsphinxMissing(): string | null {
  const missing = [PS_BATCH, PS_HMM, PS_LM, PS_DICT].filter((p) => !existsSync(p));
  return missing.length ? `${missing.join(', ')} missing (Debian packages pocketsphinx, pocketsphinx-en-us)` : null;
}

export function pocketsphinxVersion(): string {
  try {
    return execFileSync('dpkg-query', ['-W', '-f', '${Version}', 'pocketsphinx'], { encoding: 'utf8' }).trim();
  } catch {
    return 'unknown';
  }
}

/** Acoustic model folder + LM + dictionary. */
export function pocketsphinxSizeBytes(): number {
  const dir = readdirSync(PS_HMM).reduce((s, f) => s + statSync(join(PS_HMM, f)).size, 0);
  return dir + statSync(PS_LM).size + statSync(PS_DICT).size;
}

/** `words (uttid score)` per line of a -hyp file. */
export function parseHypFile(content: string): Map<string, string> {
  const hyps = new Map<string, string>();
  for (const line of content.split('\n')) {
    const m = /^(.*?)\s*\((\S+)\s+-?\d+\)\s*$/.exec(line);
    if (m) hyps.set(m[2], normaliseText(m[1]));
  }
  return hyps;
}

/** "TOTAL 24.04 seconds speech, 6.54 seconds CPU, 11.79 seconds wall" from the batch log. */
export function parseBatchTotals(log: string): { cpuS: number; wallS: number } | null {
  const m = /TOTAL\s+([\d.]+) seconds speech,\s+([\d.]+) seconds CPU,\s+([\d.]+) seconds wall/.exec(log);
  return m ? { cpuS: Number(m[2]), wallS: Number(m[3]) } : null;
}

export async function runPocketsphinx(set: DevSet, tmp: string): Promise<SetResult> {
  const dir = join(tmp, 'pocketsphinx', set.name);
  await mkdir(dir, { recursive: true });
  // Utterance ids as file names: u00001…, mapped back to the rows.
  const uttIds = set.rows.map((_, i) => `u${String(i + 1).padStart(5, '0')}`);
  let audioS = 0;
  for (let i = 0; i < set.rows.length; i++) {
    const samples = await decodeAudioFile(set.rows[i].audio);
    audioS += samples.length / 16000;
    await writeFile(join(dir, `${uttIds[i]}.wav`), encodeWav16(samples));
  }
  const ctl = join(dir, 'ctl.txt');
  const hypFile = join(dir, 'hyp.txt');
  const logFile = join(dir, 'log.txt');
  await writeFile(ctl, `${uttIds.join('\n')}\n`);
  const m = await runMeasured(PS_BATCH, [
    '-adcin', 'yes', '-adchdr', '44', '-cepdir', dir, '-cepext', '.wav', '-ctl', ctl,
    '-hmm', PS_HMM, '-lm', PS_LM, '-dict', PS_DICT, '-hyp', hypFile, '-logfn', logFile,
  ]);
  if (m.code !== 0) return failed(set.name, failureOf(m));
  const totals = parseBatchTotals(await readFile(logFile, 'utf8'));
  if (!totals) return failed(set.name, `no TOTAL line in ${logFile}`);
  const hyps = parseHypFile(await readFile(hypFile, 'utf8'));
  let counts = ZERO_COUNTS;
  const lines: string[] = [];
  set.rows.forEach((row, i) => {
    const hyp = hyps.get(uttIds[i]) ?? '';
    counts = addCounts(counts, alignWords(row.text, hyp));
    lines.push(`${row.id}\t${row.text}\t${hyp}`);
  });
  await writeFile(join(dir, 'scored.tsv'), `id\treference\thypothesis\n${lines.join('\n')}\n`);
  return {
    set: set.name,
    ok: true,
    utterances: set.rows.length,
    counts,
    wer: wordErrorRate(counts),
    audioS,
    decodeWallS: totals.wallS,
    decodeCpuS: totals.cpuS,
    processCpuS: m.cpuS,
    peakRssKb: m.peakRssKb,
  };
}
