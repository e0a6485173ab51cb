/** Export formats as pure functions of a transcript: TXT, SRT, VTT, JSON and DOCX, with speaker labels. */
import { AlignmentType, Document, HeadingLevel, Packer, Paragraph, TextRun } from 'docx';
import { clock, sortedSegments, timestamp, type TranscriptDoc } from './format.js';

export type ExportFormat = 'txt' | 'srt' | 'vtt' | 'json' | 'docx';

export const EXPORT_TYPES: Record<ExportFormat, string> = {
  txt: 'text/plain;charset=utf-8',
  srt: 'application/x-subrip;charset=utf-8',
  vtt: 'text/vtt;charset=utf-8',
  json: 'application/json;charset=utf-8',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
};

export function toTxt(doc: TranscriptDoc): string {
  const lines = [doc.title, new Date(doc.createdAt).toISOString().slice(0, 16).replace('T', ' '), ''];
  for (const s of sortedSegments(doc)) lines.push(`[${clock(s.start)}] ${s.speaker}: ${s.text}`);
  return `${lines.join('\n')}\n`;
}

export function toSrt(doc: TranscriptDoc): string {
  return sortedSegments(doc)
    .map((s, i) => `${i + 1}\n${timestamp(s.start, ',')} --> ${timestamp(Math.max(s.end, s.start + 0.001), ',')}\n${s.speaker}: ${s.text}\n`)
    .join('\n');
}

/** WebVTT with voice spans (<v Speaker>) so players show who spoke. */
export function toVtt(doc: TranscriptDoc): string {
  const cues = sortedSegments(doc).map(
    (s, i) => `${i + 1}\n${timestamp(s.start, '.')} --> ${timestamp(Math.max(s.end, s.start + 0.001), '.')}\n<v ${s.speaker.replace(/[>\n]/g, ' ')}>${escapeVtt(s.text)}\n`,
  );
  return `WEBVTT\n\n${cues.join('\n')}`;
}

function escapeVtt(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

export function toJson(doc: TranscriptDoc): string {
  return `${JSON.stringify(
    {
      title: doc.title,
      createdAt: new Date(doc.createdAt).toISOString(),
      durationS: doc.durationS,
      segments: sortedSegments(doc).map((s) => ({
        speaker: s.speaker,
        start: s.start,
        end: s.end,
        text: s.text,
        edited: s.edited ?? false,
        words: s.words.map((w) => ({ text: w.text, start: w.start, end: w.end, confidence: w.confidence })),
      })),
    },
    null,
    2,
  )}\n`;
}

export async function toDocx(doc: TranscriptDoc): Promise<Uint8Array> {
  const paragraphs = [
    new Paragraph({ text: doc.title, heading: HeadingLevel.TITLE }),
    new Paragraph({ children: [new TextRun({ text: `${new Date(doc.createdAt).toISOString().slice(0, 16).replace('T', ' ')} · ${clock(doc.durationS)}`, italics: true })] }),
    ...sortedSegments(doc).map(
      (s) =>
        new Paragraph({
          alignment: AlignmentType.LEFT,
          children: [new TextRun({ text: `[${clock(s.start)}] `, color: '777777' }), new TextRun({ text: `${s.speaker}: `, bold: true }), new TextRun(s.text)],
        }),
    ),
  ];
  const file = new Document({ creator: 'Hushscribe', title: doc.title, sections: [{ children: paragraphs }] });
  return new Uint8Array(await Packer.toArrayBuffer(file));
}

export async function exportTranscript(doc: TranscriptDoc, format: ExportFormat): Promise<string | Uint8Array> {
  switch (format) {
    case 'txt':
      return toTxt(doc);
    case 'srt':
      return toSrt(doc);
    case 'vtt':
      return toVtt(doc);
    case 'json':
      return toJson(doc);
    case 'docx':
      return toDocx(doc);
  }
}
