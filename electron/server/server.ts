/**
 * Browser mode: the built renderer and the contract over a WebSocket, on 127.0.0.1 only, guarded by a
 * random token (WebSocket and audio), a Host/Origin check against DNS rebinding, and a strict CSP.
 */
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import crypto from 'node:crypto';
import { Readable, type Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { dispatchRequest } from '../core/contract/host.js';
import { RpcPeer } from '../core/contract/rpc.js';
import { decodeJson, encodeJson } from '../core/contract/wire.js';
import { logger } from '../core/log.js';
import { chunksOf, openSessionAudio, parseRange, type SessionAudio } from './audio-response.js';
import { contentSecurityPolicy } from './csp.js';
import type { HushService } from './service/index.js';

const log = logger('server');

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
  '.wasm': 'application/wasm',
};

export interface ServerOptions {
  service: HushService;
  /** 0 picks a free port. */
  port: number;
  distDir: string;
  token?: string;
}

export interface RunningServer {
  url: string;
  port: number;
  token: string;
  close(): Promise<void>;
}

function sameToken(given: string | null, token: string): boolean {
  if (!given) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(token);
  return a.length === b.length && crypto.timingSafeEqual(a, b);
}

function refuse(socket: Duplex, status: number, text: string): void {
  socket.write(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
  socket.destroy();
}

export async function startServer(opts: ServerOptions): Promise<RunningServer> {
  const token = opts.token ?? crypto.randomBytes(24).toString('base64url');
  const dist = path.resolve(opts.distDir);
  const server = http.createServer();
  const wss = new WebSocketServer({ noServer: true, maxPayload: 256 * 1024 * 1024 });
  let port = 0;

  const headers = (): Record<string, string> => ({
    'Content-Security-Policy': contentSecurityPolicy([`ws://127.0.0.1:${port}`]),
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Cross-Origin-Resource-Policy': 'same-origin',
    'Permissions-Policy': 'microphone=(self), camera=(), geolocation=()',
  });

  const hostOk = (host: string | undefined) => host === `127.0.0.1:${port}` || host === `localhost:${port}`;

  server.on('request', (req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (!hostOk(req.headers.host)) {
      res.writeHead(421, headers()).end();
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, headers()).end();
      return;
    }
    const audio = /^\/audio\/([A-Za-z0-9_-]{1,100})\.wav$/.exec(url.pathname);
    if (audio) {
      if (!sameToken(url.searchParams.get('token'), token)) {
        res.writeHead(401, headers()).end();
        return;
      }
      const wav = openSessionAudio(opts.service.audioFiles(audio[1]));
      if (!wav) {
        res.writeHead(404, headers()).end();
        return;
      }
      sendAudio(req, res, wav, headers());
      return;
    }
    let rel = decodeURIComponent(url.pathname);
    if (rel === '/' || rel === '') rel = '/index.html';
    const file = path.resolve(dist, `.${rel}`);
    if (!file.startsWith(dist + path.sep) || !fs.existsSync(file) || !fs.statSync(file).isFile()) {
      if (!fs.existsSync(path.join(dist, 'index.html'))) {
        res.writeHead(503, { ...headers(), 'Content-Type': 'text/plain' }).end('The UI is not built: run `npm run build`.\n');
        return;
      }
      res.writeHead(404, headers()).end();
      return;
    }
    const type = TYPES[path.extname(file)] ?? 'application/octet-stream';
    res.writeHead(200, { ...headers(), 'Content-Type': type, 'Cache-Control': rel === '/index.html' ? 'no-store' : 'max-age=3600' });
    if (req.method === 'HEAD') res.end();
    else fs.createReadStream(file).pipe(res);
  });

  server.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const origin = req.headers.origin;
    if (url.pathname !== '/ws' || !hostOk(req.headers.host)) return refuse(socket, 404, 'Not Found');
    if (origin !== undefined && origin !== `http://127.0.0.1:${port}` && origin !== `http://localhost:${port}`) return refuse(socket, 403, 'Forbidden');
    if (!sameToken(url.searchParams.get('token'), token)) {
      log.warn('refused a WebSocket connection without the token');
      return refuse(socket, 401, 'Unauthorized');
    }
    wss.handleUpgrade(req, socket, head, (ws) => bind(ws));
  });

  function bind(ws: WebSocket): void {
    const peer = new RpcPeer(
      (msg) => {
        if (ws.readyState === ws.OPEN) ws.send(encodeJson(msg));
      },
      (channel, payload) => dispatchRequest(opts.service.handlers, channel, payload),
      null,
    );
    const unsubscribe = opts.service.subscribe((channel, payload) => peer.emit(channel, payload));
    ws.on('message', (data, isBinary) => {
      const buf = Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data as ArrayBuffer);
      if (isBinary) {
        opts.service.pushFrame(new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength));
        return;
      }
      try {
        void peer.receive(decodeJson(buf.toString('utf8')));
      } catch (err) {
        log.warn('dropping malformed message', err);
      }
    });
    ws.on('close', () => {
      unsubscribe();
      peer.close();
    });
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const addr = server.address();
  port = typeof addr === 'object' && addr ? addr.port : opts.port;
  return {
    url: `http://127.0.0.1:${port}/#token=${token}`,
    port,
    token,
    close: () =>
      new Promise<void>((resolve) => {
        for (const c of wss.clients) c.terminate();
        wss.close();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** Byte ranges matter: media elements seek with them. Only the range asked for is read, chunk by chunk. */
function sendAudio(req: http.IncomingMessage, res: http.ServerResponse, audio: SessionAudio, base: Record<string, string>): void {
  const h = { ...base, 'Content-Type': 'audio/wav', 'Accept-Ranges': 'bytes', 'Cache-Control': 'no-store' };
  const range = parseRange(req.headers.range, audio.size);
  if (range === 'unsatisfiable') {
    res.writeHead(416, { ...h, 'Content-Range': `bytes */${audio.size}` }).end();
    return;
  }
  const { start, end } = range ?? { start: 0, end: audio.size - 1 };
  res.writeHead(range ? 206 : 200, { ...h, ...(range ? { 'Content-Range': `bytes ${start}-${end}/${audio.size}` } : {}), 'Content-Length': String(end - start + 1) });
  if (req.method === 'HEAD') {
    res.end();
    return;
  }
  Readable.from(chunksOf(audio, start, end)).on('error', (err) => res.destroy(err)).pipe(res);
}
