/** The app:// protocol: the built UI with the strict CSP, and session audio (with byte ranges for seeking). */
import fs from 'node:fs';
import path from 'node:path';
import { protocol } from 'electron';
import { sessionWav } from '../server/audio-response.js';
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
      const wav = sessionWav(service.audioFiles(audio[1]));
      if (!wav) return new Response(null, { status: 404, headers: base });
      const range = /^bytes=(\d*)-(\d*)$/.exec(req.headers.get('range') ?? '');
      const h = { ...base, 'Content-Type': 'audio/wav', 'Accept-Ranges': 'bytes' };
      if (range && range[1]) {
        const start = Number(range[1]);
        const end = Math.min(wav.length - 1, range[2] ? Number(range[2]) : wav.length - 1);
        return new Response(new Uint8Array(wav.subarray(start, end + 1)), { status: 206, headers: { ...h, 'Content-Range': `bytes ${start}-${end}/${wav.length}` } });
      }
      return new Response(new Uint8Array(wav), { headers: h });
    }
    const rel = url.pathname === '/' ? '/index.html' : decodeURIComponent(url.pathname);
    const file = path.resolve(dist, `.${rel}`);
    if (!file.startsWith(dist + path.sep) || !fs.existsSync(file)) return new Response(null, { status: 404, headers: base });
    return new Response(new Uint8Array(fs.readFileSync(file)), { headers: { ...base, 'Content-Type': TYPES[path.extname(file)] ?? 'application/octet-stream' } });
  });
}
