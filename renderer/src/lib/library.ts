/** Library operations: mirror the host's recordings into Dexie, search, rename, delete, edit, export. */
import type { HushClient } from '../../../electron/core/contract/client.js';
import { CHANNEL_LABELS, type SessionMeta, type StoredSegment } from '../../../electron/core/contract/channels.js';
import { applyTextEdit } from '../../../electron/core/library/edit.js';
import { EXPORT_TYPES, exportTranscript, type ExportFormat } from '../../../electron/core/library/export.js';
import type { TranscriptDoc } from '../../../electron/core/library/format.js';
import { matches, tokenize } from '../../../electron/core/library/search.js';
import { db, segmentRow, stripRow, type SegmentRow, type SessionRow } from './db.js';

export async function upsertSession(meta: SessionMeta): Promise<void> {
  await db.sessions.put({ ...meta, updatedAt: Date.now() });
}

export async function storeFinals(segments: StoredSegment[]): Promise<void> {
  if (segments.length) await db.segments.bulkPut(segments.map(segmentRow));
}

/**
 * Brings Dexie up to date with the host: sessions it does not have (recovered after a crash, imported,
 * or recorded from another window) and segments it is missing. Local edits win over the host's copy.
 */
export async function syncFromHost(client: HushClient, only?: string[]): Promise<void> {
  const metas = await client.request('library.list', {});
  for (const meta of metas) {
    if (only && !only.includes(meta.id)) continue;
    const local = await db.sessions.get(meta.id);
    await db.sessions.put({ ...meta, title: meta.title, updatedAt: Date.now() });
    if (local && local.state === meta.state && local.durationS === meta.durationS && !only) continue;
    const segs = await client.request('library.segments', { sessionId: meta.id });
    const existing = new Set((await db.segments.where('sessionId').equals(meta.id).primaryKeys()).map((k) => JSON.stringify(k)));
    const missing = segs.filter((s) => !existing.has(JSON.stringify([s.sessionId, s.channel, s.start])));
    if (missing.length) await db.segments.bulkPut(missing.map(segmentRow));
  }
}

/** After a high-accuracy pass the host holds the session's new segments: replace the local copy wholesale. */
export async function replaceSessionSegments(client: HushClient, sessionId: string): Promise<void> {
  const segs = await client.request('library.segments', { sessionId });
  await db.transaction('rw', db.segments, async () => {
    await db.segments.where('sessionId').equals(sessionId).delete();
    await db.segments.bulkPut(segs.map(segmentRow));
  });
}

export async function listSessions(): Promise<SessionRow[]> {
  return db.sessions.orderBy('createdAt').reverse().toArray();
}

export async function sessionSegments(sessionId: string): Promise<SegmentRow[]> {
  const rows = await db.segments.where('sessionId').equals(sessionId).toArray();
  return rows.sort((a, b) => a.start - b.start || a.channel - b.channel);
}

export interface SearchHit {
  session: SessionRow;
  segment: SegmentRow;
}

export async function search(query: string, limit = 100): Promise<SearchHit[]> {
  const q = tokenize(query);
  if (q.length === 0) return [];
  const longest = [...q].sort((a, b) => b.length - a.length)[0];
  const rows = await db.segments.where('tokens').startsWith(longest).distinct().toArray();
  const hits: SearchHit[] = [];
  const sessions = new Map<string, SessionRow | undefined>();
  for (const seg of rows.filter((r) => matches(r.tokens, query))) {
    if (!sessions.has(seg.sessionId)) sessions.set(seg.sessionId, await db.sessions.get(seg.sessionId));
    const session = sessions.get(seg.sessionId);
    if (session) hits.push({ session, segment: seg });
  }
  return hits.sort((a, b) => b.session.createdAt - a.session.createdAt || a.segment.start - b.segment.start).slice(0, limit);
}

export async function renameSession(client: HushClient, id: string, title: string): Promise<void> {
  const meta = await client.request('library.rename', { sessionId: id, title });
  await db.sessions.update(id, { title: meta.title, updatedAt: Date.now() });
}

/** Deletes the session, its segments, and its audio on the host. */
export async function deleteSession(client: HushClient, id: string): Promise<void> {
  await client.request('library.delete', { sessionId: id });
  await db.transaction('rw', db.sessions, db.segments, async () => {
    await db.segments.where('sessionId').equals(id).delete();
    await db.sessions.delete(id);
  });
}

/** Applies a text edit to one segment, keeping untouched words' times; mirrors the whole set to the host. */
export async function editSegment(client: HushClient, seg: SegmentRow, text: string): Promise<boolean> {
  const r = applyTextEdit(seg.words, text, { start: seg.start, end: seg.end });
  if (!r.changed) return false;
  // A new edit settles a high-accuracy flag: the user has seen the other text and chosen.
  const { flagged: _flagged, highAccuracyText: _hat, ...rest } = stripRow(seg);
  void _flagged;
  void _hat;
  await db.segments.put(segmentRow({ ...rest, text: r.text, words: r.words, edited: true }));
  const all = await sessionSegments(seg.sessionId);
  await client.request('library.saveSegments', { sessionId: seg.sessionId, segments: all.map(stripRow) });
  return true;
}

export async function transcriptDoc(sessionId: string): Promise<TranscriptDoc> {
  const session = await db.sessions.get(sessionId);
  const segs = await sessionSegments(sessionId);
  return {
    title: session?.title ?? 'Transcript',
    createdAt: session?.createdAt ?? Date.now(),
    durationS: session?.durationS ?? 0,
    segments: segs.map((s) => ({ start: s.start, end: s.end, text: s.text, words: s.words, speaker: CHANNEL_LABELS[s.channel], edited: s.edited })),
  };
}

export async function exportSession(sessionId: string, format: ExportFormat): Promise<{ name: string; blob: Blob }> {
  const doc = await transcriptDoc(sessionId);
  const body = await exportTranscript(doc, format);
  const safe = doc.title.replace(/[^\w\- ]+/g, '_').trim() || 'transcript';
  const part: BlobPart = typeof body === 'string' ? body : new Uint8Array(body);
  return { name: `${safe}.${format}`, blob: new Blob([part], { type: EXPORT_TYPES[format] }) };
}

export function download(name: string, blob: Blob): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
