import { existsSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { HushError } from '../errors.js';
import { logger } from '../log.js';
import type { ProviderChoice } from '../transcribe/types.js';

const log = logger('providers');

export const PROVIDER_CHOICES: readonly ProviderChoice[] = ['auto', 'cpu', 'cuda', 'dml', 'coreml', 'webgpu'];

/** GPU providers worth trying on this platform, best first; `auto` tries them, then CPU. */
export function gpuCandidates(platform: NodeJS.Platform = process.platform): ProviderChoice[] {
  switch (platform) {
    case 'win32': return ['dml', 'cuda', 'webgpu'];
    case 'darwin': return ['coreml', 'webgpu'];
    default: return ['cuda'];
  }
}

/**
 * Providers that onnxruntime-node ships as separate libraries (CUDA, TensorRT) are only
 * usable when their library was downloaded at install time; checking the file first keeps
 * onnxruntime from printing a native error on every start of a CPU-only machine.
 */
function libraryMissing(provider: string, bundled: boolean): boolean {
  if (bundled) return false;
  try {
    const binding = dirname(createRequire(import.meta.url).resolve('onnxruntime-node'));
    const root = join(binding, '..', 'bin');
    const found = (dir: string): boolean =>
      readdirSync(dir, { withFileTypes: true }).some((e) => (e.isDirectory() ? found(join(dir, e.name)) : e.name.includes(`providers_${provider}`)));
    return !existsSync(root) || !found(root);
  } catch {
    return false;
  }
}

export function parseProvider(value: string): ProviderChoice {
  if ((PROVIDER_CHOICES as readonly string[]).includes(value)) return value as ProviderChoice;
  throw new HushError('usage', `unknown provider '${value}' (expected ${PROVIDER_CHOICES.join(', ')})`);
}

export interface OpenedSession {
  readonly session: ort.InferenceSession;
  /** The provider actually in use. */
  readonly provider: string;
}

function sessionOptions(provider: string, threads: number): ort.InferenceSession.SessionOptions {
  return {
    executionProviders: [provider],
    intraOpNumThreads: threads,
    interOpNumThreads: 1,
    graphOptimizationLevel: 'all',
    // A provider that cannot start is reported by us, in one line, not by onnxruntime's native log.
    logSeverityLevel: provider === 'cpu' ? 2 : 4,
  };
}

/**
 * Open `bytes` on the chosen provider. `auto` walks the platform's GPU providers and
 * falls back to CPU, logging why each one was passed over; an explicit GPU choice
 * that cannot start is an error, because silently running elsewhere would mislead.
 */
export async function openSession(bytes: Uint8Array, choice: ProviderChoice, threads: number): Promise<OpenedSession> {
  const backends = new Map(ort.listSupportedBackends().map((b) => [b.name, b.bundled]));
  const order = choice === 'auto' ? [...gpuCandidates(), 'cpu'] : [choice];
  const reasons: string[] = [];
  for (const provider of order) {
    if (provider !== 'cpu' && !backends.has(provider)) {
      reasons.push(`${provider}: not in this onnxruntime-node build`);
      continue;
    }
    if (provider !== 'cpu' && libraryMissing(provider, backends.get(provider) ?? true)) {
      reasons.push(`${provider}: its provider library is not installed (reinstall onnxruntime-node with network access)`);
      continue;
    }
    try {
      const session = await ort.InferenceSession.create(bytes, sessionOptions(provider, threads));
      if (choice === 'auto' && reasons.length > 0) log.info(`provider auto: using ${provider}; passed over ${reasons.join('; ')}`);
      return { session, provider };
    } catch (err) {
      const why = err instanceof Error ? err.message.split('\n')[0] : String(err);
      reasons.push(`${provider}: ${why}`);
      if (provider === 'cpu') throw err;
    }
  }
  throw new HushError('provider', `execution provider ${choice} is unavailable (${reasons.join('; ')})`);
}
