/** The app:// protocol: the built UI with the strict CSP, and session audio (with byte ranges for seeking). */
import fs from 'node:fs';
import path from 'node:path';
import { protocol } from 'electron';
import { chunksOf, openSessionAudio, parseRange } from '../server/audio-response.js';
import { contentSecurityPolicy } from '../server/csp.js';
import type { HushService } from '../server/service/index.js';

export const SCHEME = 'app';
export const HOST = 'hushscribe';
export const ORIGIN = `${SCHEME}://${HOST}`;

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
};

/** Must run before app is ready. */
export function registerScheme(): void {
  protocol.registerSchemesAsPrivileged([{ scheme: SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true, stream: true } }]);
}

export function handleProtocol(distDir: string, service: HushService): void {
  const dist = path.resolve(distDir);
  const base = { 'Content-Security-Policy': contentSecurityPolicy(), 'X-Content-Type-Options': 'nosniff' };
  protocol.handle(SCHEME, (req) => {
    const url = new URL(req.url);
    if (url.host !== HOST) return new Response(null, { status: 404 });
    const audio = /^\/audio\/([A-Za-z0-9_-]{1,100})\.wav$/.exec(url.pathname);
    if (audio) {
      const wav = openSessionAudio(service.audioFiles(audio[1]));
      if (!wav) return new Response(null, { status: 404, headers: base });
      const h = { ...base, 'Content-Type': 'audio/wav', 'Accept-Ranges': 'bytes' };
      const range = parseRange(req.headers.get('range'), wav.size);
      if (range === 'unsatisfiable') return new Response(null, { status: 416, headers: { ...h, 'Content-Range': `bytes */${wav.size}` } });
      const { start, end } = range ?? { start: 0, end: wav.size - 1 };
      const headers = { ...h, 'Content-Length': String(end - start + 1), ...(range ? { 'Content-Range': `bytes ${start}-${end}/${wav.size}` } : {}) };
      return new Response(webStream(chunksOf(wav, start, end)), { status: range ? 206 : 200, headers });
    }
    const rel = url.pathname === '/' ? '/index.html' : decodeURIComponent(url.pathname);
    const file = path.resolve(dist, `.${rel}`);
    if (!file.startsWith(dist + path.sep) || !fs.existsSync(file)) return new Response(null, { status: 404, headers: base });
    return new Response(new Uint8Array(fs.readFileSync(file)), { headers: { ...base, 'Content-Type': TYPES[path.extname(file)] ?? 'application/octet-stream' } });
  });
}

/** A pull stream over the chunks: each is read from disk only when the renderer asks for more. */
function webStream(chunks: Iterator<Uint8Array>): ReadableStream<Uint8Array> {
  return new ReadableStream({
    pull(controller) {
      const next = chunks.next();
      if (next.done) controller.close();
      else controller.enqueue(next.value);
    },
  });
}
