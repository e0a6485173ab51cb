/**
 * Section 6: placeholders for measurements that have no harness yet. Each is a function that
 * says what it would measure and is skipped with a note while its inputs are missing. Nothing
 * here is a figure measured by this run unless it says so.
 */
import { existsSync, readFileSync } from 'node:fs';
import { repoPath } from '../paths.js';
import type { SectionResult } from './types.js';

const MODEL_CARD = repoPath('models/student/MODEL_CARD.md');

/** The Markdown tables of a file, with the heading each sits under. */
export function markdownTables(md: string): { heading: string; table: string }[] {
  const tables: { heading: string; table: string }[] = [];
  let heading = '';
  let current: string[] = [];
  const flush = (): void => {
    if (current.length >= 2) tables.push({ heading, table: current.join('\n') });
    current = [];
  };
  for (const line of md.split('\n')) {
    if (line.trim().startsWith('|')) { current.push(line.trim()); continue; }
    flush();
    const h = /^#+\s+(.*)$/.exec(line);
    if (h) heading = h[1].trim();
  }
  flush();
  return tables;
}

/** 6a. Teacher/student experiments: the student's model card records them; quoted, not re-measured. */
export function teacherStudentSection(): string {
  if (!existsSync(MODEL_CARD)) return '_Skipped: models/student/MODEL_CARD.md does not exist yet (the student is not built). When it does, its experiment table is quoted here._';
  const tables = markdownTables(readFileSync(MODEL_CARD, 'utf8'));
  if (tables.length === 0) return '_models/student/MODEL_CARD.md has no table to quote._';
  const pick = tables.find((t) => /experiment|distil|teacher|student/i.test(t.heading)) ?? tables[0];
  return [
    `> **Quoted from models/student/MODEL_CARD.md (section "${pick.heading || 'untitled'}"), not measured by this run.** Section 1 has this run's figures for the models that exist.`,
    pick.table,
  ].join('\n\n');
}

export function placeholdersSection(): SectionResult {
  return {
    title: '6. Not yet measured',
    body: [
      '### 6a. Teacher and student experiments',
      teacherStudentSection(),
    ].join('\n\n'),
    targets: [],
  };
}
