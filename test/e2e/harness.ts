/** Shared e2e plumbing: the browser-mode host as a child process, Debian's Chromium with fake audio, network audits. */
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const SCREENSHOTS = path.join(ROOT, 'build', 'screenshots');
export const CHROMIUM = process.env.HUSHSCRIBE_CHROMIUM ?? '/usr/bin/chromium';

/** The spoken-digits WAV (made once by the fixture script) and its words. */
export function speechFixture(): { wav: string; words: string[] } {
  const wav = execFileSync('bash', [path.join(ROOT, 'test', 'fixtures', 'make-e2e-audio.sh')], { encoding: 'utf8' }).trim().split('\n').pop() ?? '';
  const words = fs.readFileSync(wav.replace(/\.wav$/, '.txt'), 'utf8').trim().split(/\s+/);
  return { wav, words };
}

/** Builds the renderer unless renderer/dist is newer than every source file. */
export function ensureRendererBuilt(): void {
  const index = path.join(ROOT, 'renderer', 'dist', 'index.html');
  const newest = (dir: string): number =>
    fs.readdirSync(dir, { withFileTypes: true }).reduce((m, e) => Math.max(m, e.isDirectory() ? newest(path.join(dir, e.name)) : fs.statSync(path.join(dir, e.name)).mtimeMs), 0);
  const src = Math.max(newest(path.join(ROOT, 'renderer', 'src')), newest(path.join(ROOT, 'electron', 'core', 'contract')), newest(path.join(ROOT, 'electron', 'core', 'library')));
  if (fs.existsSync(index) && fs.statSync(index).mtimeMs > src) return;
  execFileSync(process.execPath, [path.join(ROOT, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', '--config', 'renderer/vite.config.ts', '--logLevel', 'warn'], { cwd: ROOT, stdio: 'inherit' });
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const a = s.address();
      s.close(() => resolve(typeof a === 'object' && a ? a.port : 0));
    });
  });
}

export function tempDataDir(name: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `hushscribe-${name}-`));
}

export interface Host {
  url: string;
  origin: string;
  port: number;
  proc: ChildProcess;
  stderr: () => string;
  stop(): Promise<void>;
  kill(): Promise<void>;
}

/** `hushscribe serve --port N` with its data in dataDir; resolves on the first stdout line (the URL). */
export async function startHost(dataDir: string, port: number, extraEnv: Record<string, string> = {}): Promise<Host> {
  const proc = spawn(process.execPath, [path.join(ROOT, 'electron', 'cli', 'hushscribe.mjs'), 'serve', '--port', String(port)], {
    cwd: ROOT,
    env: { ...process.env, HUSHSCRIBE_DATA_DIR: dataDir, HUSHSCRIBE_LOG: 'info', ...extraEnv },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let err = '';
  proc.stderr?.on('data', (d: Buffer) => (err += d.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`serve printed no URL in 30 s\n${err}`)), 30_000);
    proc.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      const nl = out.indexOf('\n');
      if (nl >= 0) {
        clearTimeout(timer);
        resolve(out.slice(0, nl));
      }
    });
    proc.once('exit', (code) => reject(new Error(`serve exited ${code}\n${err}`)));
  });
  const exited = new Promise<void>((r) => proc.once('exit', () => r()));
  return {
    url,
    origin: new URL(url).origin,
    port,
    proc,
    stderr: () => err,
    stop: async () => {
      if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGTERM');
      await exited;
    },
    kill: async () => {
      proc.kill('SIGKILL');
      await exited;
    },
  };
}

export async function launchChromium(wav: string): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-background-networking',
      '--disable-component-update',
      '--use-fake-ui-for-media-stream',
      '--use-fake-device-for-media-stream',
      `--use-file-for-fake-audio-capture=${wav}`,
      '--autoplay-policy=no-user-gesture-required',
    ],
  });
}

/** Records every request the page makes that does not go to our own origin (or stays in-page). */
export function auditRequests(page: Page, origin: string): string[] {
  const foreign: string[] = [];
  page.on('request', (req) => {
    const u = req.url();
    if (u.startsWith('data:') || u.startsWith('blob:')) return;
    const o = new URL(u);
    const ours = (o.protocol === 'http:' || o.protocol === 'ws:') && o.host === new URL(origin).host;
    if (!ours) foreign.push(u);
  });
  page.on('websocket', (ws) => {
    const o = new URL(ws.url());
    if (o.host !== new URL(origin).host) foreign.push(ws.url());
  });
  return foreign;
}

/** The process and its descendants (Linux /proc). */
export function processTree(pid: number): number[] {
  const all = fs.readdirSync('/proc').filter((d) => /^\d+$/.test(d));
  const parent = new Map<number, number>();
  for (const d of all) {
    try {
      const stat = fs.readFileSync(`/proc/${d}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      parent.set(Number(d), ppid);
    } catch {
      // gone
    }
  }
  const out = [pid];
  for (let i = 0; i < out.length; i++) for (const [c, p] of parent) if (p === out[i]) out.push(c);
  return out;
}

/**
 * Every TCP/UDP socket the processes hold, from /proc/net: returns the ones that are neither
 * listening on 127.0.0.1 nor connected to 127.0.0.1 (i.e. any outbound or public socket).
 */
export function nonLoopbackSockets(pids: number[]): string[] {
  const inodes = new Set<string>();
  for (const pid of pids) {
    try {
      for (const fd of fs.readdirSync(`/proc/${pid}/fd`)) {
        try {
          const m = /^socket:\[(\d+)\]$/.exec(fs.readlinkSync(`/proc/${pid}/fd/${fd}`));
          if (m) inodes.add(m[1]);
        } catch {
          // closed meanwhile
        }
      }
    } catch {
      // process gone
    }
  }
  const bad: string[] = [];
  const hexIp4 = (h: string) => h.match(/../g)?.reverse().map((x) => parseInt(x, 16)).join('.') ?? h;
  for (const table of ['tcp', 'udp', 'tcp6', 'udp6']) {
    let text = '';
    try {
      text = fs.readFileSync(`/proc/net/${table}`, 'utf8');
    } catch {
      continue;
    }
    for (const line of text.trim().split('\n').slice(1)) {
      const f = line.trim().split(/\s+/);
      if (!inodes.has(f[9])) continue;
      const [lip] = f[1].split(':');
      const [rip] = f[2].split(':');
      const v6 = table.endsWith('6');
      const loop = (ip: string) => (v6 ? ip === '00000000000000000000000001000000' || /0000FFFF0100007F$/i.test(ip) : hexIp4(ip) === '127.0.0.1');
      const unconnected = /^0+$/.test(rip);
      if (!loop(lip) || (!unconnected && !loop(rip))) bad.push(`${table} ${f[1]} -> ${f[2]}`);
    }
  }
  return bad;
}

export async function waitFor<T>(fn: () => Promise<T | null | undefined | false> | T | null | undefined | false, what: string, timeoutMs = 30_000, everyMs = 250): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

export function shot(name: string): string {
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
  return path.join(SCREENSHOTS, `${name}.png`);
}

/** Open the UI and wait until the transcriber settles; returns its state ('ready', or why not: 'unavailable', 'restarting', 'error'). */
export async function openAndSettleState(page: Page, url: string): Promise<string> {
  await page.goto(url);
  await page.locator('.dot.up').waitFor({ timeout: 15_000 });
  return waitFor(
    async () => {
      const s = await page.getByTestId('transcriber-status').getAttribute('data-state');
      return s && s !== 'loading' && s !== 'off' ? s : null;
    },
    'the transcriber status',
    60_000,
  );
}

/** Open the UI and wait until the transcriber settles; true when it is ready (false: no model built). */
export async function openAndSettle(page: Page, url: string): Promise<boolean> {
  return (await openAndSettleState(page, url)) === 'ready';
}

/**
 * Switches the after-stop high-accuracy pass off in Settings, as a user would. Tests and the bench of
 * the live path need it: the pass replaces the live words with the teacher's once it finishes, which
 * on a slow CPU lands mid-test. Returns whether the pass was on (false: no teacher, nothing to do).
 */
export async function switchOffHighAccuracyPass(page: Page): Promise<boolean> {
  await page.getByTestId('nav-settings').click();
  const box = page.getByTestId('settings-hipass');
  await box.waitFor();
  if ((await box.isDisabled()) || !(await box.isChecked())) return false;
  await box.uncheck();
  await waitFor(async () => !(await box.isChecked()), 'the high-accuracy pass to switch off', 10_000);
  return true;
}

export async function chooseModel(page: Page, model: string): Promise<void> {
  const status = page.getByTestId('transcriber-status');
  await page.getByTestId('nav-settings').click();
  await page.getByTestId('settings-model').selectOption(model);
  await waitFor(async () => (await status.getAttribute('data-state')) === 'ready' && (await status.innerText()).includes(model), `the ${model} model to load`, 60_000);
}
