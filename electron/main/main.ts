/**
 * Electron main: lifecycle, the window, permissions, navigation lock-down and IPC binding. All the
 * work is done by HushService (plain Node, shared with browser mode).
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { app, BrowserWindow, desktopCapturer, ipcMain, session, type IpcMainEvent, type IpcMainInvokeEvent, type WebContents } from 'electron';
import { dispatchRequest } from '../core/contract/host.js';
import { toWireError } from '../core/contract/rpc.js';
import type { BridgeResult } from '../core/contract/client.js';
import { logger } from '../core/log.js';
import { IPC } from '../preload/ipc-names.js';
import { appRoot, appVersion, rendererDist } from '../server/paths.js';
import { HushService } from '../server/service/index.js';
import { HOST, ORIGIN, SCHEME, handleProtocol, registerScheme } from './protocol.js';
import { spawnUtilityJobWorker, spawnUtilityWorker } from './worker-utility.js';

const log = logger('main');
const LOOPBACK = process.platform === 'win32' || process.platform === 'darwin';

registerScheme();
app.enableSandbox();
if (!app.requestSingleInstanceLock()) app.quit();

let service: HushService | null = null;
let win: BrowserWindow | null = null;

function isOurs(url: string | undefined): boolean {
  if (!url) return false;
  try {
    const u = new URL(url);
    return u.protocol === `${SCHEME}:` && u.host === HOST;
  } catch {
    return false;
  }
}

/** IPC sender validation: only our window's main frame, loaded from app://hushscribe. */
function validSender(e: IpcMainEvent | IpcMainInvokeEvent): boolean {
  const frame = e.senderFrame;
  return !!win && e.sender === win.webContents && !!frame && frame === win.webContents.mainFrame && isOurs(frame.url);
}

function lockDown(contents: WebContents): void {
  contents.on('will-navigate', (e, url) => {
    if (!isOurs(url)) e.preventDefault();
  });
  contents.on('will-redirect', (e, url) => {
    if (!isOurs(url)) e.preventDefault();
  });
  contents.on('will-attach-webview', (e) => e.preventDefault());
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
}

function configureSession(): void {
  const ses = session.defaultSession;
  ses.setPermissionRequestHandler((contents, permission, callback, details) => {
    const types: string[] = 'mediaTypes' in details ? (details.mediaTypes ?? []) : [];
    const media = permission === 'media' && types.every((t) => t === 'audio');
    callback(media && isOurs(details.requestingUrl) && contents === win?.webContents);
  });
  ses.setPermissionCheckHandler((_contents, permission, origin) => permission === 'media' && isOurs(origin));
  ses.setDevicePermissionHandler(() => false);
  // System audio ('Others'): the screen's loopback audio; the renderer drops the video track.
  ses.setDisplayMediaRequestHandler(
    (request, callback) => {
      if (!isOurs(request.securityOrigin) || !LOOPBACK) return callback({});
      void desktopCapturer.getSources({ types: ['screen'] }).then((sources) => callback(sources[0] ? { video: sources[0], audio: 'loopback' } : {}));
    },
    { useSystemPicker: false },
  );
  // No network: anything that is not our own scheme (or devtools) is cancelled.
  ses.webRequest.onBeforeRequest((details, callback) => {
    const ok = isOurs(details.url) || details.url.startsWith('devtools:');
    if (!ok) log.warn(`blocked a request to ${details.url}`);
    callback({ cancel: !ok });
  });
}

function createWindow(): BrowserWindow {
  const w = new BrowserWindow({
    width: 1200,
    height: 820,
    title: 'Hushscribe',
    show: false,
    webPreferences: {
      preload: path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'preload', 'preload.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      spellcheck: false,
      navigateOnDragDrop: false,
    },
  });
  w.once('ready-to-show', () => w.show());
  void w.loadURL(`${ORIGIN}/index.html`);
  return w;
}

function bindIpc(svc: HushService): void {
  ipcMain.handle(IPC.request, async (e, channel: unknown, payload: unknown): Promise<BridgeResult> => {
    if (!validSender(e)) return { ok: false, err: { code: 'forbidden', message: 'request from an unknown sender' } };
    try {
      return { ok: true, v: await dispatchRequest(svc.handlers, channel, payload) };
    } catch (err) {
      log.debug(`request ${String(channel)} failed`, err);
      return { ok: false, err: toWireError(err) };
    }
  });
  ipcMain.on(IPC.frame, (e, frame: unknown) => {
    if (validSender(e) && frame instanceof Uint8Array) svc.pushFrame(frame);
  });
  svc.subscribe((channel, payload) => {
    if (win && !win.isDestroyed()) win.webContents.send(IPC.event, channel, payload);
  });
}

app.on('web-contents-created', (_e, contents) => lockDown(contents));

app.on('second-instance', () => {
  if (win) {
    if (win.isMinimized()) win.restore();
    win.focus();
  }
});

void app.whenReady().then(async () => {
  const userData = app.getPath('userData');
  const svc = new HushService({
    mode: 'electron',
    version: appVersion(),
    configDir: userData,
    defaultStorageDir: process.env.HUSHSCRIBE_DATA_DIR ?? userData,
    spawnWorker: spawnUtilityWorker,
    spawnJobWorker: spawnUtilityJobWorker,
    loopback: LOOPBACK,
  });
  service = svc;
  configureSession();
  handleProtocol(rendererDist(), svc);
  bindIpc(svc);
  await svc.start();
  win = createWindow();
  log.info(`app root ${appRoot()}`);
});

let quitting = false;
app.on('before-quit', (e) => {
  if (quitting || !service) return;
  e.preventDefault();
  quitting = true;
  void service.close().finally(() => app.quit());
});

app.on('window-all-closed', () => app.quit());
