import { exportTranscript, type ExportFormat } from '../../core/library/export.js';
import type { TranscriptDoc } from '../../core/library/format.js';
import { HushError } from '../../core/errors.js';
import { transcribeFile } from '../../core/transcribe/index.js';
import { oneOf, parseArgs, stringFlag, transcriberFlags } from '../args.js';

const FORMATS = ['txt', 'json', 'srt', 'vtt'] as const;

/** hushscribe transcribe FILE [--model student|teacher|PATH] [--no-lm] [--format txt|json|srt|vtt] [--provider …] [--threads N] */
export async function run(argv: string[]): Promise<number> {
  const args = parseArgs(argv, ['model', 'format', 'provider', 'threads', 'profile'], ['no-lm']);
  const [file, ...extra] = args.positional;
  if (!file || extra.length) throw new HushError('usage', 'usage: hushscribe transcribe FILE [--model student|teacher|PATH] [--no-lm] [--format txt|json|srt|vtt] [--provider auto|cpu|cuda|dml|coreml|webgpu] [--profile NAME]');
  const format: Exclude<ExportFormat, 'docx'> = oneOf(stringFlag(args, 'format'), FORMATS, 'format', 'txt');
  const result = await transcribeFile(file, {
    ...transcriberFlags(args),
  });
  for (const w of result.warnings) process.stderr.write(`hushscribe transcribe: warning: ${w}\n`);
  const doc: TranscriptDoc = {
    title: file,
    createdAt: Date.now(),
    durationS: result.audioSeconds,
    segments: result.segments.map((s) => ({ ...s, speaker: 'Speaker' })),
  };
  if (format === 'txt') {
    process.stdout.write(`${result.segments.map((s) => s.text).join('\n')}\n`);
  } else {
    process.stdout.write(String(await exportTranscript(doc, format)));
  }
  process.stderr.write(`${result.model} on ${result.provider}: ${result.audioSeconds.toFixed(1)} s of audio in ${result.processingSeconds.toFixed(2)} s (RTF ${(result.processingSeconds / Math.max(result.audioSeconds, 1e-9)).toFixed(3)})\n`);
  return 0;
}
