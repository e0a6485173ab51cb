import { existsSync } from 'node:fs';
import { fromRoot } from '../app-root.js';
import { ModelError } from '../errors.js';
import type { ModelChoice } from './types.js';

const repo = (rel: string): string => fromRoot(rel);

/** Where each named model lives in the repo; anything else is taken as a path. */
export const NAMED_MODELS: Readonly<Record<string, { path: string; builtBy: string }>> = {
  student: { path: repo('models/student/student.onnx'), builtBy: 'the student recipe (models/training/run.sh, student stages)' },
  teacher: { path: repo('models/teacher/teacher.onnx'), builtBy: 'the teacher recipe (models/training/run.sh, teacher stages)' },
  fixture: { path: repo('test/fixtures/models/digits-streaming.onnx'), builtBy: 'models/training/stages/03_fixture_model.py' },
};

export const LM_PATH = repo('models/lm/hushscribe-3gram.bin');
export const DECODER_PARAMS_PATH = repo('models/lm/decoder-params.json');

/** The default model: the student once it is built, else the teacher, else the digits fixture. */
export function defaultModel(): ModelChoice {
  for (const name of ['student', 'teacher'] as const) if (existsSync(NAMED_MODELS[name].path)) return name;
  return 'fixture';
}

/** Resolve a model choice to a file; a named model that does not exist yet says so. */
export function resolveModelPath(choice: ModelChoice): string {
  const named = NAMED_MODELS[choice];
  if (!named) return choice;
  if (!existsSync(named.path)) throw new ModelError(named.path, `the ${choice} model is not built yet (it is made by ${named.builtBy})`);
  return named.path;
}
