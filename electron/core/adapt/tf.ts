/**
 * TensorFlow.js for in-app adaptation: the WebAssembly backend (its .wasm ships inside
 * the npm package; XNNPACK kernels, SIMD, single thread in Node, which suits a
 * low-priority background job), else the pure-JS CPU backend. Loaded on demand, so
 * transcription never pays for it.
 */
import { logger } from '../log.js';

export type Tf = typeof import('@tensorflow/tfjs');

const log = logger('adapt');
let loading: Promise<Tf> | null = null;

async function init(prefer: 'wasm' | 'cpu'): Promise<Tf> {
  const tf = await import('@tensorflow/tfjs');
  // Production mode: no debug checks, and no console banner about tfjs-node.
  tf.enableProdMode();
  if (prefer === 'wasm') {
    try {
      await import('@tensorflow/tfjs-backend-wasm');
      if (await tf.setBackend('wasm')) {
        await tf.ready();
        return tf;
      }
      log.warn('tfjs wasm backend did not start; training on the (slower) cpu backend');
    } catch (err) {
      log.warn(`tfjs wasm backend unavailable (${err instanceof Error ? err.message.split('\n')[0] : String(err)}); training on the (slower) cpu backend`);
    }
  }
  await tf.setBackend('cpu');
  await tf.ready();
  return tf;
}

/** The tfjs namespace with a backend ready: wasm unless HUSHSCRIBE_TF_BACKEND=cpu. */
export function loadTf(): Promise<Tf> {
  loading ??= init(process.env.HUSHSCRIBE_TF_BACKEND === 'cpu' ? 'cpu' : 'wasm');
  return loading;
}
