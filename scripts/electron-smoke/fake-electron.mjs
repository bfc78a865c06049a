// The slices of Electron the main bundle uses, faked for the smoke test (scripts/electron-main-smoke.test.ts).
// When the dashboard window "loads", it plays the page: calls the contract through the registered IPC
// handlers with the window's frame (and once from a foreign frame), fetches the page over app://, reads the
// tray, then quits. Each finding is one `GPUZ_SMOKE {json}` line on stdout.
import { EventEmitter } from 'node:events';

const report = (finding) => process.stdout.write(`GPUZ_SMOKE ${JSON.stringify(finding)}\n`);
const handlers = new Map();
const tray = { image: '', tooltip: '', menu: [] };
let serveApp = null;

export const app = Object.assign(new EventEmitter(), {
  isPackaged: false,
  requestSingleInstanceLock: () => true,
  whenReady: () => Promise.resolve(),
  getAppPath: () => process.env.GPUZ_SMOKE_APP_PATH,
  getPath: () => process.env.GPUZ_STATE_DIR,
  getLoginItemSettings: () => ({ openAtLogin: false }),
  setLoginItemSettings: () => undefined,
  quit() {
    let prevented = false;
    app.emit('before-quit', { preventDefault: () => (prevented = true) });
    if (!prevented) {
      report({ event: 'exit' });
      process.exit(0);
    }
  },
  exit(code) {
    report({ event: 'exit', code });
    process.exit(code);
  },
});

class WebContents extends EventEmitter {
  sent = [];
  send(channel) {
    this.sent.push(channel);
  }
  setWindowOpenHandler() {}
}

export class BrowserWindow extends EventEmitter {
  webContents = new WebContents();
  constructor(options) {
    super();
    this.options = options;
  }
  async loadURL(url) {
    report({ event: 'load', url, webPreferences: { ...this.options.webPreferences, preload: 'set' } });
    this.emit('ready-to-show');
    setTimeout(
      () => playThePage(url).catch((error) => report({ event: 'failed', message: String(error) })),
      0,
    );
  }
  show() {}
  hide() {}
  focus() {}
  restore() {}
  isMinimized() {
    return false;
  }
  isDestroyed() {
    return false;
  }
}

async function call(method, input, frameUrl) {
  const handler = handlers.get(`gpuz:call:${method}`);
  return handler({ senderFrame: { url: frameUrl, parent: null } }, input);
}

async function playThePage(url) {
  let status = null;
  for (let i = 0; i < 100; i++) {
    const reply = await call('getStatus', undefined, url);
    status = reply.ok ? reply.value : null;
    if (status && status.counters.rowsRead > 0) break;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  report({
    event: 'status',
    state: status?.state,
    rowsRead: status?.counters.rowsRead,
    logPath: status?.logPath,
  });
  const settings = await call('getSettings', undefined, url);
  report({ event: 'settings', reply: settings });
  const refused = await call('getSettings', undefined, 'https://evil.example/');
  report({ event: 'foreign', reply: refused });
  const bad = await call('queryChart', { keys: 'abc' }, url);
  report({ event: 'badInput', reply: bad });
  const page = await serveApp(new Request('app://gpuz/index.html'));
  report({
    event: 'page',
    status: page.status,
    csp: page.headers.get('content-security-policy'),
    html: (await page.text()).includes('<title>GPU-Z Cloud</title>'),
  });
  report({ event: 'tray', ...tray, channels: [...handlers.keys()].length });
  app.quit();
}

export const ipcMain = {
  handle: (channel, handler) => handlers.set(channel, handler),
  removeHandler: (channel) => handlers.delete(channel),
};
export const Menu = { buildFromTemplate: (template) => template };
export const nativeImage = { createFromPath: (path) => ({ path }) };
export class Notification extends EventEmitter {
  static isSupported() {
    return false;
  }
  show() {}
}
export const protocol = {
  registerSchemesAsPrivileged: () => undefined,
  handle: (_scheme, handler) => {
    serveApp = handler;
  },
};
export const safeStorage = {
  isEncryptionAvailable: () => false,
  encryptString: () => Buffer.alloc(0),
  decryptString: () => '',
};
export const session = {
  defaultSession: {
    webRequest: { onHeadersReceived: () => undefined },
    setPermissionRequestHandler: () => undefined,
    setPermissionCheckHandler: () => undefined,
  },
};
export const shell = { openExternal: async () => undefined, openPath: async () => '' };
export class Tray extends EventEmitter {
  constructor(image) {
    super();
    tray.image = image.path;
  }
  setImage(image) {
    tray.image = image.path;
  }
  setToolTip(text) {
    tray.tooltip = text;
  }
  setContextMenu(menu) {
    tray.menu = menu.filter((item) => item.label).map((item) => item.label);
  }
  destroy() {}
}
