/**
 * The transcription engine as the worker sees it: the core's createTranscriber, loaded lazily so a
 * missing or unbuilt model is a status ("model not built yet"), never a crash of capture.
 */
import type { StreamingTranscriber, TranscriberOptions } from '../core/transcribe/types.js';
import { ModelError } from '../core/errors.js';

export interface EngineModule {
  createTranscriber(opts: TranscriberOptions): Promise<StreamingTranscriber>;
}

/** The core decoder (electron/core/audio): 16 kHz mono float chunks of any file. */
export interface AudioModule {
  readAudio?(path: string): AsyncIterable<Float32Array>;
  decodeAudioFile?(path: string): Promise<unknown>;
}

/** Kept in variables so a bundler leaves them as runtime imports and tsc does not require them yet. */
const ENGINE_MODULE = '../core/transcribe/index.js';
const AUDIO_MODULE = '../core/audio/index.js';

function isMissingModule(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND';
}

export async function loadEngine(): Promise<EngineModule> {
  let mod: Partial<EngineModule>;
  try {
    // HUSHSCRIBE_ENGINE_MODULE (a file URL) swaps in another engine, e.g. to check the UI path in isolation.
    mod = (await import(process.env.HUSHSCRIBE_ENGINE_MODULE ?? ENGINE_MODULE)) as Partial<EngineModule>;
  } catch (err) {
    if (isMissingModule(err)) throw new ModelError('transcriber', 'model not built yet', { cause: err });
    throw err;
  }
  if (typeof mod.createTranscriber !== 'function') throw new ModelError('transcriber', 'model not built yet');
  return mod as EngineModule;
}

export async function loadAudio(): Promise<AudioModule | null> {
  try {
    const mod = (await import(AUDIO_MODULE)) as Partial<AudioModule>;
    return typeof mod.readAudio === 'function' || typeof mod.decodeAudioFile === 'function' ? (mod as AudioModule) : null;
  } catch (err) {
    if (isMissingModule(err)) return null;
    throw err;
  }
}
