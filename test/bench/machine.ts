/** The machine a run was measured on, for the head of BENCHMARKS.md. */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg, release, totalmem } from 'node:os';
import { mdTable } from './table.js';
import { pocketsphinxVersion } from './pocketsphinx.js';
import { repoPath, REPO } from './paths.js';

export interface MachineInfo {
  cpuModel: string;
  logicalCpus: number;
  physicalCores: number | null;
  ramGiB: number;
  os: string;
  node: string;
  onnxruntime: string;
  pocketsphinx: string;
  commit: string;
  date: string;
  loadAtStart: number[];
}

function readOr(path: string, fallback = ''): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return fallback;
  }
}

/** Distinct (physical id, core id) pairs in /proc/cpuinfo. */
function physicalCores(cpuinfo: string): number | null {
  const pairs = new Set<string>();
  for (const block of cpuinfo.split(/\n\s*\n/)) {
    const phys = /^physical id\s*:\s*(\S+)/m.exec(block)?.[1];
    const core = /^core id\s*:\s*(\S+)/m.exec(block)?.[1];
    if (phys !== undefined && core !== undefined) pairs.add(`${phys}/${core}`);
  }
  return pairs.size || null;
}

function git(args: string[]): string {
  try {
    return execFileSync('git', args, { cwd: REPO, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return '';
  }
}

export function machineInfo(): MachineInfo {
  const cpuinfo = readOr('/proc/cpuinfo');
  const osRelease = /^PRETTY_NAME="?([^"\n]*)"?/m.exec(readOr('/etc/os-release'))?.[1] ?? process.platform;
  const ortPkg = repoPath('node_modules/onnxruntime-node/package.json');
  const head = git(['rev-parse', '--short=12', 'HEAD']);
  const dirty = git(['status', '--porcelain', '--untracked-files=no']) !== '';
  return {
    cpuModel: /^model name\s*:\s*(.*)$/m.exec(cpuinfo)?.[1].trim() ?? cpus()[0]?.model ?? 'unknown',
    logicalCpus: availableParallelism(),
    physicalCores: physicalCores(cpuinfo),
    ramGiB: totalmem() / 2 ** 30,
    os: `${osRelease}, Linux ${release()}`,
    node: process.version,
    onnxruntime: existsSync(ortPkg) ? (JSON.parse(readFileSync(ortPkg, 'utf8')) as { version: string }).version : 'not installed',
    pocketsphinx: pocketsphinxVersion(),
    commit: head ? `${head}${dirty ? ' (with uncommitted changes)' : ''}` : 'unknown',
    date: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
    loadAtStart: loadavg(),
  };
}

export function machineSection(m: MachineInfo, loadAtEnd: number[]): string {
  const load = (l: number[]): string => l.map((x) => x.toFixed(2)).join(' / ');
  const busy = Math.max(m.loadAtStart[0], loadAtEnd[0]) > m.logicalCpus;
  const rows = [
    ['CPU', m.cpuModel],
    ['cores', `${m.logicalCpus} logical CPUs available${m.physicalCores ? ` (${m.physicalCores} physical cores in /proc/cpuinfo)` : ''}`],
    ['RAM', `${m.ramGiB.toFixed(1)} GiB`],
    ['OS', m.os],
    ['Node', m.node],
    ['onnxruntime-node', m.onnxruntime],
    ['pocketsphinx (Debian)', m.pocketsphinx],
    ['commit', m.commit],
    ['date (UTC)', m.date],
    ['load average (1/5/15 min), start → end', `${load(m.loadAtStart)} → ${load(loadAtEnd)}`],
  ];
  const warning = busy
    ? `\n\n> **The machine was shared:** the 1-minute load average exceeded its ${m.logicalCpus} CPUs during the run, so wall-clock figures (RTF wall, long-audio wall time) are inflated by other work. CPU-time figures are not.`
    : '';
  return `${mdTable(['', ''], rows)}${warning}`;
}
