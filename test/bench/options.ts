/** Command-line options of `npm run bench`. */

export const MODEL_NAMES = ['student', 'teacher', 'fixture', 'pocketsphinx'] as const;
export type SystemName = (typeof MODEL_NAMES)[number];

export const SECTION_NAMES = ['accuracy', 'decoder', 'long', 'app', 'adapt', 'placeholders'] as const;
export type SectionName = (typeof SECTION_NAMES)[number];

export interface BenchOptions {
  /** Sections to run (null: all). A subset is written to test/bench/out/, never to BENCHMARKS.md. */
  sections: SectionName[] | null;
  /** Dev sets to run (null: every one found). */
  sets: string[] | null;
  models: SystemName[];
  /** Skip the long-audio section. */
  quick: boolean;
  /** Utterances per set: development only, the published run uses all. */
  limit: number | null;
  /** Length of the long file (default 120 = the 2-hour file). */
  longMinutes: number;
  /** Sentences for models/lm/bench-decoder.ts. */
  decoderSentences: number;
  /** App section: minutes of audio of the accelerated memory run (default 120). */
  appAudioMinutes: number;
  /** App section: wall-clock budget of that run in minutes (default 8). */
  appWallMinutes: number;
  /** App section: the memory run sends audio at most this many times faster than real time (default 60; 1 = a real meeting's pace). */
  appSpeed: number;
  /** Adaptation section: the student ONNX (its .safetensors beside it) instead of models/student/student.onnx; for checking the harness. */
  adaptStudent: string | null;
  /** Adaptation section: the teacher ONNX instead of models/teacher/teacher.onnx. */
  adaptTeacher: string | null;
  /** Adaptation section: the folder of scenario sets instead of models/training/data/adapt_sets (stage 11). */
  adaptSets: string | null;
  /** Adaptation section: the job's own held-out check decodes greedily (`hushscribe adapt --no-lm`), not with the LM as the product does. */
  adaptNoLm: boolean;
  keepTemp: boolean;
  /** The arguments as given, recorded in the report. */
  argv: string[];
}

export const USAGE = `usage: npm run bench -- [options]
  --sets a,b           dev sets to run (default: all; names as in ../shared/data/corpora, plus librivox)
  --models a,b         systems to run: ${MODEL_NAMES.join(', ')} (default: all; a model not built is skipped with a note)
  --quick              skip the long-audio section
  --limit N            first N utterances per set (development only: the published run uses all)
  --long-minutes N     length of the long file (default 120)
  --decoder-sentences N  sentences for the features + beam search bench (default 300)
  --sections a,b       sections to run: ${SECTION_NAMES.join(', ')} (default: all; a subset is written to test/bench/out/, not BENCHMARKS.md)
  --app-audio-minutes N  audio of the app's accelerated memory run (default 120)
  --app-wall-minutes N   wall-clock budget of that run (default 8; less audio is extrapolated, and says so)
  --app-speed N          at most N× real time in that run (default 60; 1 paces it like a live meeting)
  --adapt-student PATH   adaptation section: this student ONNX (.safetensors beside it) instead of models/student/student.onnx
  --adapt-teacher PATH   adaptation section: this teacher ONNX instead of models/teacher/teacher.onnx
  --adapt-sets DIR       adaptation section: scenario sets (default models/training/data/adapt_sets, built by recipe stage 11)
  --adapt-no-lm          adaptation section: the job's held-out check decodes greedily (hushscribe adapt --no-lm), not with the LM
  --keep-temp          keep the temporary folder (converted audio, per-utterance results, logs)`;

export class UsageError extends Error {}

function list(value: string): string[] {
  return value.split(',').map((s) => s.trim()).filter(Boolean);
}

function positiveInt(name: string, value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new UsageError(`--${name} needs a positive whole number, not '${value}'`);
  return n;
}

/** The published run's sizes: the report names any option that differs from these as a partial run. */
export const DEFAULT_SIZES = { appAudioMinutes: 120, appWallMinutes: 8, appSpeed: 60, longMinutes: 120 } as const;

export function parseOptions(argv: string[]): BenchOptions {
  const opts: BenchOptions = { sections: null, ...DEFAULT_SIZES, adaptStudent: null, adaptTeacher: null, adaptSets: null, adaptNoLm: false, sets: null, models: [...MODEL_NAMES], quick: false, limit: null, decoderSentences: 300, keepTemp: false, argv };
  for (let i = 0; i < argv.length; i++) {
    const [name, inline] = argv[i].startsWith('--') ? (argv[i].slice(2).split('=', 2) as [string, string | undefined]) : ['', undefined];
    const value = (): string => {
      const v = inline ?? argv[++i];
      if (v === undefined || v.startsWith('--')) throw new UsageError(`--${name} needs a value`);
      return v;
    };
    switch (name) {
      case 'sets': opts.sets = list(value()); break;
      case 'models': {
        const models = list(value());
        const bad = models.filter((m) => !(MODEL_NAMES as readonly string[]).includes(m));
        if (bad.length) throw new UsageError(`unknown model ${bad.join(', ')} (expected ${MODEL_NAMES.join(', ')})`);
        opts.models = models as SystemName[];
        break;
      }
      case 'sections': {
        const sections = list(value());
        const bad = sections.filter((x) => !(SECTION_NAMES as readonly string[]).includes(x));
        if (bad.length) throw new UsageError(`unknown section ${bad.join(', ')} (expected ${SECTION_NAMES.join(', ')})`);
        opts.sections = sections as SectionName[];
        break;
      }
      case 'app-audio-minutes': opts.appAudioMinutes = positiveInt(name, value()); break;
      case 'app-wall-minutes': opts.appWallMinutes = positiveInt(name, value()); break;
      case 'app-speed': opts.appSpeed = positiveInt(name, value()); break;
      case 'adapt-student': opts.adaptStudent = value(); break;
      case 'adapt-teacher': opts.adaptTeacher = value(); break;
      case 'adapt-sets': opts.adaptSets = value(); break;
      case 'adapt-no-lm': opts.adaptNoLm = true; break;
      case 'quick': opts.quick = true; break;
      case 'limit': opts.limit = positiveInt(name, value()); break;
      case 'long-minutes': opts.longMinutes = positiveInt(name, value()); break;
      case 'decoder-sentences': opts.decoderSentences = positiveInt(name, value()); break;
      case 'keep-temp': opts.keepTemp = true; break;
      default: throw new UsageError(`unknown argument '${argv[i]}'`);
    }
  }
  return opts;
}
