/**
 * Section 6: placeholders for measurements that have no harness yet. Each is a function that
 * says what it would measure and is skipped with a note while its inputs are missing. Nothing
 * here is a figure measured by this run unless it says so.
 */
import { existsSync, readFileSync } from 'node:fs';
import { repoPath } from '../paths.js';
import type { SectionResult } from './types.js';

const MODEL_CARD = repoPath('models/student/MODEL_CARD.md');

export interface MarkdownTable {
  heading: string;
  /** The bold lead of the paragraph just before the table under the same heading ('' if none): what the table is. */
  caption: string;
  table: string;
}

/** The Markdown tables of a file, with the heading each sits under and its caption. */
export function markdownTables(md: string): MarkdownTable[] {
  const tables: MarkdownTable[] = [];
  let heading = '';
  let paragraph: string[] = [];
  let lastParagraph = '';
  let caption = '';
  let current: string[] = [];
  const flush = (): void => {
    if (current.length >= 2) tables.push({ heading, caption, table: current.join('\n') });
    current = [];
  };
  for (const raw of md.split('\n')) {
    const line = raw.trim();
    if (line.startsWith('|')) {
      if (current.length === 0) caption = /^\*\*(.+?)\*\*/s.exec(paragraph.length ? paragraph.join(' ') : lastParagraph)?.[1].trim() ?? '';
      current.push(line);
      paragraph = [];
      lastParagraph = '';
      continue;
    }
    flush();
    const h = /^#+\s+(.*)$/.exec(line);
    if (h) {
      heading = h[1].trim();
      paragraph = [];
      lastParagraph = '';
    } else if (line === '') {
      if (paragraph.length) lastParagraph = paragraph.join(' ');
      paragraph = [];
    } else {
      paragraph.push(line);
    }
  }
  flush();
  return tables;
}

/** 6a. Teacher/student experiments: the student's model card records them; quoted, not re-measured. */
export function teacherStudentSection(): string {
  if (!existsSync(MODEL_CARD)) return '_Skipped: models/student/MODEL_CARD.md does not exist yet (the student is not built). When it does, its experiment tables are quoted here._';
  const tables = markdownTables(readFileSync(MODEL_CARD, 'utf8'));
  if (tables.length === 0) return '_models/student/MODEL_CARD.md has no table to quote._';
  const heading = (tables.find((t) => /experiment|distil|teacher|student/i.test(t.heading)) ?? tables[0]).heading;
  // Every table of that section: the ablation grows in steps, and the later tables are the telling ones.
  const picked = tables.filter((t) => t.heading === heading);
  return [
    `> **Quoted from models/student/MODEL_CARD.md (section "${heading || 'untitled'}", ${picked.length} ${picked.length === 1 ? 'table' : 'tables'}), not measured by this run.** Section 1 has this run's figures for the models that exist.`,
    ...picked.flatMap((t) => (t.caption ? [`**${t.caption}**`, t.table] : [t.table])),
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
