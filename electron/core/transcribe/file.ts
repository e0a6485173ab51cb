import { readAudio } from '../audio/index.js';
import { createTranscriber, type PipelineOptions } from './transcriber.js';
import type { Segment } from './types.js';

export interface FileTranscript {
  segments: Segment[];
  audioSeconds: number;
  processingSeconds: number;
  provider: string;
  model: string;
  /** Non-fatal load problems (an ignored adaptation profile) to show the user. */
  warnings: readonly string[];
}

/** Transcribe a file of any length, streaming it through in chunks with bounded memory. */
export async function transcribeFile(path: string, opts: PipelineOptions = {}, onProgress?: (audioSeconds: number) => void): Promise<FileTranscript> {
  const t0 = performance.now();
  const transcriber = await createTranscriber(opts);
  const segments: Segment[] = [];
  let samples = 0;
  try {
    for await (const chunk of readAudio(path)) {
      samples += chunk.length;
      segments.push(...(await transcriber.push(chunk)).finals);
      onProgress?.(samples / 16000);
    }
    segments.push(...(await transcriber.finish()).finals);
  } finally {
    await transcriber.dispose();
  }
  return { segments, audioSeconds: samples / 16000, processingSeconds: (performance.now() - t0) / 1000, provider: transcriber.provider, model: transcriber.modelName, warnings: transcriber.warnings ?? [] };
}
