/**
 * What the training recipe records about a model's training (models/<model>/training.json), for
 * section 1's "Hours seen in training". Every field is optional: the table shows the fields some
 * record has, and a field of another type than expected is named, not guessed at.
 */
import { existsSync, readFileSync } from 'node:fs';
import { REPO, repoPath } from './paths.js';
import { mdTable } from './table.js';

export interface TrainingRecord {
  /** Hours of audio per training source (the corpus, not what was seen). */
  sourcesHours?: Record<string, number>;
  /** Hours of audio the model saw over all its steps (epochs × data, augmentation included). */
  hoursSeen?: number;
  steps?: number;
  epochs?: number;
  wallMinutes?: number;
  hardware?: string;
  /** The chain of runs a warm-started model came from, oldest first (the totals above sum them). */
  runs?: { exp: string; hoursSeen: number; wallMinutes: number }[];
  /** JSON fields present but not of the expected type. */
  unreadable: string[];
}

export type TrainingRead =
  | { state: 'absent'; path: string }
  | { state: 'unreadable'; path: string; why: string }
  | { state: 'read'; path: string; record: TrainingRecord };

const isNumber = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x);

export function parseTrainingRecord(json: unknown): TrainingRecord {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) throw new Error('not a JSON object');
  const o = json as Record<string, unknown>;
  const record: TrainingRecord = { unreadable: [] };
  const num = (key: string, set: (x: number) => void): void => {
    if (o[key] === undefined) return;
    if (isNumber(o[key])) set(o[key]);
    else record.unreadable.push(key);
  };
  num('hours_seen', (x) => { record.hoursSeen = x; });
  num('steps', (x) => { record.steps = x; });
  num('epochs', (x) => { record.epochs = x; });
  num('wall_minutes', (x) => { record.wallMinutes = x; });
  if (o.hardware !== undefined) {
    if (typeof o.hardware === 'string') record.hardware = o.hardware;
    else record.unreadable.push('hardware');
  }
  if (o.runs !== undefined) {
    const ok = Array.isArray(o.runs) && o.runs.every((x: unknown) => {
      const r = x as Record<string, unknown> | null;
      return typeof r === 'object' && r !== null && typeof r.exp === 'string' && isNumber(r.hours_seen) && isNumber(r.wall_minutes);
    });
    if (ok) record.runs = (o.runs as Record<string, unknown>[]).map((r) => ({ exp: r.exp as string, hoursSeen: r.hours_seen as number, wallMinutes: r.wall_minutes as number }));
    else record.unreadable.push('runs');
  }
  const sources = o.sources_hours;
  if (sources !== undefined) {
    const entries = typeof sources === 'object' && sources !== null && !Array.isArray(sources) ? Object.entries(sources) : null;
    if (entries && entries.every(([, h]) => isNumber(h))) record.sourcesHours = Object.fromEntries(entries) as Record<string, number>;
    else record.unreadable.push('sources_hours');
  }
  return record;
}

export function readTrainingRecord(path: string): TrainingRead {
  if (!existsSync(path)) return { state: 'absent', path };
  try {
    return { state: 'read', path, record: parseTrainingRecord(JSON.parse(readFileSync(path, 'utf8'))) };
  } catch (err) {
    return { state: 'unreadable', path, why: (err as Error).message };
  }
}

const hours = (h: number): string => `${h.toFixed(1)} h`;
const wall = (min: number): string => (min >= 120 ? `${(min / 60).toFixed(1)} h` : `${min.toFixed(0)} min`);
/** Up to two decimals, without trailing zeros: 1.8 epochs stays 1.8. */
const plain = (x: number): string => String(Number(x.toFixed(2)));

interface Column {
  header: string;
  right: boolean;
  cell: (r: TrainingRecord) => string | undefined;
}

const COLUMNS: Column[] = [
  { header: 'hours seen', right: true, cell: (r) => (r.hoursSeen === undefined ? undefined : hours(r.hoursSeen)) },
  { header: 'epochs', right: true, cell: (r) => (r.epochs === undefined ? undefined : plain(r.epochs)) },
  { header: 'steps', right: true, cell: (r) => (r.steps === undefined ? undefined : String(r.steps)) },
  { header: 'wall time', right: true, cell: (r) => (r.wallMinutes === undefined ? undefined : wall(r.wallMinutes)) },
  {
    header: 'runs (hours seen, wall time)',
    right: false,
    cell: (r) => (r.runs === undefined || r.runs.length < 2 ? undefined : r.runs.map((x) => `${x.exp} ${hours(x.hoursSeen)}, ${wall(x.wallMinutes)}`).join('; ')),
  },
  { header: 'hardware (last run)', right: false, cell: (r) => r.hardware },
  {
    header: 'training data of the last run (hours per source)',
    right: false,
    cell: (r) => (r.sourcesHours === undefined ? undefined : Object.entries(r.sourcesHours).map(([name, h]) => `${name} ${hours(h)}`).join(', ')),
  },
];

/** The table of the records that were read, with only the columns some record fills, and a line for each one that was not. */
export function renderTraining(reads: { model: string; read: TrainingRead }[]): string {
  const shown = (p: string): string => p.replace(REPO, '');
  const got = reads.flatMap((x) => (x.read.state === 'read' ? [{ model: x.model, path: x.read.path, record: x.read.record }] : []));
  if (got.length === 0 && reads.every((x) => x.read.state === 'absent')) {
    return `_Not recorded: ${reads.map((x) => shown(x.read.path)).join(' and ')} ${reads.length === 1 ? 'does' : 'do'} not exist yet (the training recipe writes them)._`;
  }
  const parts: string[] = [];
  if (got.length) {
    const cols = COLUMNS.filter((c) => got.some((g) => c.cell(g.record) !== undefined));
    parts.push(mdTable(
      ['model', ...cols.map((c) => c.header)],
      got.map((g) => [g.model, ...cols.map((c) => c.cell(g.record) ?? '—')]),
      [false, ...cols.map((c) => c.right)],
    ));
  }
  const lines = reads.flatMap(({ model, read }) => {
    if (read.state === 'absent') return [`${model}: ${shown(read.path)} does not exist yet`];
    if (read.state === 'unreadable') return [`${model}: ${shown(read.path)} cannot be read (${read.why})`];
    return read.record.unreadable.length ? [`${model}: ${read.record.unreadable.join(', ')} in ${shown(read.path)} not of the expected type, left out`] : [];
  });
  parts.push([
    got.length ? `From ${got.map((g) => shown(g.path)).join(' and ')}, written by the training recipe: quoted, not measured by this run.` : '',
    ...lines.map((l) => `- ${l}`),
  ].filter(Boolean).join('\n'));
  return parts.join('\n\n');
}

export const TRAINING_MODELS = ['teacher', 'student'] as const;

export function trainingSubsection(): string {
  return renderTraining(TRAINING_MODELS.map((model) => ({ model, read: readTrainingRecord(repoPath(`models/${model}/training.json`)) })));
}
