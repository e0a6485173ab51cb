/** `hushscribe serve [--port N]`: browser mode. The first stdout line is the URL to open, token included. */
import { InputError } from '../../core/errors.js';
import { logger } from '../../core/log.js';
import { appVersion, defaultDataDir, rendererDist } from '../../server/paths.js';
import { startServer, type RunningServer } from '../../server/server.js';
import { HushService } from '../../server/service/index.js';
import { spawnNodeJobWorker, spawnNodeWorker } from '../../server/worker-node.js';

const log = logger('serve');
/** A fixed default keeps the page's origin (and so its IndexedDB library) stable across restarts. */
export const DEFAULT_PORT = 4717;

export function parsePort(argv: string[]): number | null {
  const i = argv.indexOf('--port');
  if (i < 0) return null;
  const v = Number(argv[i + 1]);
  if (!Number.isInteger(v) || v < 0 || v > 65535) throw new InputError('--port', 'expected a port number 0–65535');
  return v;
}

export async function serve(argv: string[]): Promise<number> {
  const unknown = argv.filter((a, i) => a.startsWith('-') && a !== '--port' && argv[i - 1] !== '--port');
  if (unknown.length) throw new InputError(unknown[0], 'unknown option (serve takes --port N)');
  const asked = parsePort(argv);
  const dataDir = defaultDataDir();
  const service = new HushService({
    mode: 'browser',
    version: appVersion(),
    configDir: dataDir,
    defaultStorageDir: dataDir,
    spawnWorker: spawnNodeWorker,
    spawnJobWorker: spawnNodeJobWorker,
    loopback: false,
  });
  await service.start();
  let server: RunningServer;
  try {
    server = await startServer({ service, port: asked ?? DEFAULT_PORT, distDir: rendererDist() });
  } catch (err) {
    if (asked !== null || (err as { code?: unknown }).code !== 'EADDRINUSE') throw err;
    server = await startServer({ service, port: 0, distDir: rendererDist() });
  }
  process.stdout.write(`${server.url}\n`);
  log.info(`serving on 127.0.0.1:${server.port}, data in ${dataDir}`);
  return new Promise<number>((resolve) => {
    let closing = false;
    const shutdown = () => {
      if (closing) return;
      closing = true;
      void service
        .close()
        .then(() => server.close())
        .finally(() => resolve(0));
    };
    process.once('SIGINT', shutdown);
    process.once('SIGTERM', shutdown);
  });
}

export const run = serve;
