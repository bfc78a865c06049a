/**
 * The dashboard window, created on demand and hidden (not destroyed) on close, so reopening it from the
 * tray is instant and keeps the view's state:
 *   const dashboard = createDashboardWindow({ BrowserWindow, shell, options, startUrl, isQuitting })
 *   dashboard.show()                 creates it the first time, then restores and focuses it
 *   dashboard.show('costs')          the same, on that view (the page's #costs route)
 *   dashboard.send(channel, data)    to the page when the window exists (events from the agent)
 * Navigation and window.open never leave our origin; web links go to the default browser.
 */
import type { BrowserWindow, BrowserWindowConstructorOptions, Session, Shell, WebContents } from 'electron';
import { classifyNavigation } from './window-options';

/** The views the main process opens the window on (tray items); the page routes on its location hash. */
export type DashboardView = 'overview' | 'costs';

export interface DashboardWindow {
  show(view?: DashboardView): void;
  send(channel: string, payload: unknown): void;
  /** The live window, for tests and the e2e hook. */
  current(): BrowserWindow | null;
}

export interface DashboardWindowDeps {
  BrowserWindow: typeof BrowserWindow;
  shell: Pick<Shell, 'openExternal'>;
  options: BrowserWindowConstructorOptions;
  /** app://gpuz/index.html, or the Vite dev server's URL under `electron-vite dev`. */
  startUrl: string;
  /** True once the user chose Quit: then close really closes. */
  isQuitting(): boolean;
}

export function createDashboardWindow(deps: DashboardWindowDeps): DashboardWindow {
  let window: BrowserWindow | null = null;

  function create(view?: DashboardView): BrowserWindow {
    const win = new deps.BrowserWindow(deps.options);
    lockNavigation(win.webContents, deps.startUrl, deps.shell);
    win.once('ready-to-show', () => win.show());
    win.on('close', (event) => {
      if (deps.isQuitting()) return;
      event.preventDefault();
      win.hide();
    });
    win.on('closed', () => {
      window = null;
    });
    void win.loadURL(view ? `${deps.startUrl}#${view}` : deps.startUrl);
    return win;
  }

  return {
    show(view) {
      if (!window || window.isDestroyed()) {
        window = create(view);
        return;
      }
      // A route change in the page, not a load: the view's state and the page's subscriptions stay.
      if (view) {
        // A page still loading (or gone) keeps the view it has: never an unhandled rejection in the main process.
        window.webContents
          .executeJavaScript(`location.hash = ${JSON.stringify(view)}`)
          .catch(() => undefined);
      }
      if (window.isMinimized()) window.restore();
      window.show();
      window.focus();
    },
    send(channel, payload) {
      if (window && !window.isDestroyed()) window.webContents.send(channel, payload);
    },
    current: () => window,
  };
}

function lockNavigation(contents: WebContents, startUrl: string, shell: Pick<Shell, 'openExternal'>): void {
  const guard = (event: { preventDefault(): void }, url: string) => {
    const verdict = classifyNavigation(url, startUrl);
    if (verdict === 'allow') return;
    event.preventDefault();
    if (verdict === 'external') void shell.openExternal(url);
  };
  contents.on('will-navigate', guard);
  contents.on('will-redirect', guard);
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    if (classifyNavigation(url, startUrl) === 'external') void shell.openExternal(url);
    return { action: 'deny' };
  });
}

/** Session-wide: the CSP on every response (also the dev server's), and no permission (camera, geolocation…). */
export function hardenSession(session: Session, csp: string): void {
  session.webRequest.onHeadersReceived((details, callback) => {
    const headers = { ...details.responseHeaders };
    for (const name of Object.keys(headers)) {
      if (name.toLowerCase() === 'content-security-policy') delete headers[name];
    }
    callback({ responseHeaders: { ...headers, 'Content-Security-Policy': [csp] } });
  });
  session.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
}
