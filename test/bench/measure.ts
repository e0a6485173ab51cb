/**
 * Runs one measured system as a child process. Peak RSS, wall and CPU time come from GNU time
 * (`/usr/bin/time -f '%M %e %U %S'`): %M is the child's maximum resident set size (getrusage
 * ru_maxrss, KiB), %U + %S its user + system CPU seconds. Without GNU time the child still runs,
 * and those figures are null.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TIME_BIN } from './paths.js';

export interface Measured {
  command: string;
  /** Exit status; null when killed by a signal. */
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** Peak resident set size in KiB (GNU time %M). */
  peakRssKb: number | null;
  /** Whole process, start to exit, seconds. */
  wallS: number;
  /** User + system CPU seconds of the whole process (GNU time %U + %S). */
  cpuS: number | null;
}

export interface MeasureOptions {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
}

export const HAS_GNU_TIME = existsSync(TIME_BIN);

let seq = 0;

export async function runMeasured(cmd: string, args: string[], opts: MeasureOptions = {}): Promise<Measured> {
  const timeFile = join(tmpdir(), `hushscribe-bench-time-${process.pid}-${seq++}.txt`);
  const [bin, argv] = HAS_GNU_TIME ? [TIME_BIN, ['-f', '%M %e %U %S', '-o', timeFile, cmd, ...args]] : [cmd, args];
  const t0 = performance.now();
  const child = spawn(bin, argv, { cwd: opts.cwd, env: opts.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'] });
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  child.stdout.on('data', (b: Buffer) => out.push(b));
  child.stderr.on('data', (b: Buffer) => err.push(b));
  const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (c, s) => resolve([c, s]));
  });
  const wallS = (performance.now() - t0) / 1000;
  let peakRssKb: number | null = null;
  let cpuS: number | null = null;
  let timedWall = wallS;
  if (HAS_GNU_TIME) {
    // GNU time writes "Command exited with non-zero status N" before the figures on failure.
    const lines = (await readFile(timeFile, 'utf8').catch(() => '')).trim().split('\n');
    const f = (lines[lines.length - 1] ?? '').trim().split(/\s+/).map(Number);
    if (f.length === 4 && f.every(Number.isFinite)) {
      [peakRssKb, timedWall] = [f[0], f[1]];
      cpuS = f[2] + f[3];
    }
    await rm(timeFile, { force: true });
  }
  return {
    command: [cmd, ...args].join(' '),
    code,
    signal,
    stdout: Buffer.concat(out).toString('utf8'),
    stderr: Buffer.concat(err).toString('utf8'),
    peakRssKb,
    wallS: timedWall,
    cpuS,
  };
}

/** The last few lines of a failed child's output, for the report. */
export function failureOf(m: Measured): string {
  const tail = `${m.stderr}\n${m.stdout}`.trim().split('\n').filter(Boolean).slice(-3).join(' / ');
  return `${m.signal ? `killed by ${m.signal}` : `exit ${m.code}`}${tail ? `: ${tail}` : ''}`;
}
