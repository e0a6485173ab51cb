import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { PYTHON, repoPath } from '../../helpers/paths.js';

/** The throwaway student/teacher pair made by test/fixtures/make-adapt-student.py (gitignored, built on first use). */
export interface AdaptFixture {
  dir: string;
  student: string;
  safetensors: string;
  teacher: string;
  parityInput: string;
  parityLogprobs: string;
}

export const ADAPT_FIXTURE_DIR = repoPath('test/fixtures/generated/adapt');

export function adaptFixture(dir = ADAPT_FIXTURE_DIR): AdaptFixture {
  const f: AdaptFixture = {
    dir,
    student: join(dir, 'student.onnx'),
    safetensors: join(dir, 'student.safetensors'),
    teacher: join(dir, 'teacher.onnx'),
    parityInput: join(dir, 'parity', 'student-input.npy'),
    parityLogprobs: join(dir, 'parity', 'student-torch-logprobs.npy'),
  };
  if (![f.student, f.safetensors, f.teacher, f.parityInput, f.parityLogprobs, join(dir, 'parity', 'student-grad-carry_gate.bias.npy')].every(existsSync)) {
    execFileSync(PYTHON, [repoPath('test/fixtures/make-adapt-student.py'), '--out', dir], { stdio: ['ignore', 'ignore', 'inherit'] });
  }
  return f;
}
