/**
 * The renderer's library in IndexedDB (Dexie), versioned. v1: sessions and segments. v2: a multi-entry
 * `tokens` index on segments for full-text search, filled in by the migration for existing rows.
 */
import { Dexie, type Table, type Transaction } from 'dexie';
import type { AudioChannel, SessionMeta, StoredSegment } from '../../../electron/core/contract/channels.js';
import { tokenize } from '../../../electron/core/library/search.js';

export interface SessionRow extends SessionMeta {
  updatedAt: number;
}

export interface SegmentRow extends StoredSegment {
  tokens: string[];
}

export type SegmentKey = [string, AudioChannel, number];

export class HushDb extends Dexie {
  sessions!: Table<SessionRow, string>;
  segments!: Table<SegmentRow, SegmentKey>;

  constructor(name = 'hushscribe') {
    super(name);
    this.version(1).stores({
      sessions: 'id, createdAt',
      segments: '[sessionId+channel+start], sessionId',
    });
    this.version(2)
      .stores({
        sessions: 'id, createdAt, title',
        segments: '[sessionId+channel+start], sessionId, *tokens',
      })
      .upgrade((tx: Transaction) =>
        tx
          .table('segments')
          .toCollection()
          .modify((row: SegmentRow) => {
            row.tokens = tokenize(row.text);
          }),
      );
  }
}

export const db = new HushDb();

export function segmentRow(s: StoredSegment): SegmentRow {
  return { ...s, tokens: tokenize(s.text) };
}

export function stripRow(r: SegmentRow): StoredSegment {
  const { tokens: _tokens, ...rest } = r;
  void _tokens;
  return rest;
}
