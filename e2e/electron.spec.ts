/**
 * The tray app as a person runs it, through Playwright's _electron, wherever an Electron binary exists:
 * the window opens on app://, the page is sandboxed, the dashboard talks to main over IPC, the tray is there,
 * closing hides. Elsewhere every test is skipped with the reason. The binary is looked up on disk only:
 * `require('electron')` (and _electron.launch without executablePath, which calls it) would start a
 * download from GitHub since Electron 42.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type ElectronApplication, _electron as electron, expect, type Page, test } from '@playwright/test';
import type { TrayAppHandle } from '../src/main/electron/tray-app';
import type { GpuzApi } from '../src/shared/contract';
import { findElectronBinary, REPO_ROOT as ROOT } from './support/electron-binary';

const binary = findElectronBinary();
const NO_BINARY =
  'No Electron binary on this machine: node_modules/electron/dist is empty and Electron downloads it from ' +
  'GitHub on first use, which this machine cannot reach. Run `npx playwright test e2e/electron.spec.ts` ' +
  'where `node node_modules/electron/install.js` succeeds.';
if (!binary) process.stderr.write(`electron.spec.ts skipped: ${NO_BINARY}\n`);

declare global {
  interface Window {
    gpuz?: GpuzApi;
  }
}

test.describe('tray app (Electron)', () => {
  test.skip(!binary, NO_BINARY);
  test.describe.configure({ mode: 'serial' });

  let app: ElectronApplication;
  let page: Page;
  let stateDir: string;

  test.beforeAll(async () => {
    if (!existsSync(join(ROOT, 'out', 'main', 'index.js'))) {
      const build = spawnSync('npx', ['electron-vite', 'build'], { cwd: ROOT, encoding: 'utf8' });
      expect(build.status, build.stderr).toBe(0);
    }
    stateDir = mkdtempSync(join(tmpdir(), 'gpuz-electron-e2e-'));
    app = await electron.launch({
      executablePath: binary!,
      // Chromium refuses to start as root (CI containers) without --no-sandbox; that concerns the OS-level
      // process sandbox only — the renderer stays sandboxed in Electron's sense (no Node, bridge-only preload).
      args: [ROOT, ...(process.getuid?.() === 0 ? ['--no-sandbox'] : [])],
      env: { ...process.env, GPUZ_E2E: '1', GPUZ_STATE_DIR: stateDir },
      timeout: 60_000,
    });
    page = await app.firstWindow();
    await page.waitForLoadState('domcontentloaded');
  });

  test.afterAll(async () => {
    await app?.close();
    if (stateDir) rmSync(stateDir, { recursive: true, force: true });
  });

  test('opens the dashboard from app:// in a sandboxed, isolated page', async () => {
    expect(page.url()).toBe('app://gpuz/index.html');
    await expect(page).toHaveTitle('GPU-Z Cloud');
    const pageGlobals = await page.evaluate(() => {
      const scope = globalThis as unknown as Record<string, unknown>;
      return [typeof scope.require, typeof scope.process];
    });
    expect(pageGlobals).toEqual(['undefined', 'undefined']);
    // Electron's sandboxed preload world (id 999) has a reduced `process` with sandboxed: true.
    const preloadWorld = await app.evaluate(({ BrowserWindow }) =>
      BrowserWindow.getAllWindows()[0]!.webContents.executeJavaScriptInIsolatedWorld(999, [
        {
          code: '({ sandboxed: process.sandboxed, contextIsolated: process.contextIsolated, require: typeof require })',
        },
      ]),
    );
    expect(preloadWorld).toMatchObject({ sandboxed: true, contextIsolated: true });
  });

  test('enforces the CSP and blocks new windows', async () => {
    const evalVerdict = await page.evaluate(() => {
      try {
        // biome-ignore lint/security/noGlobalEval: the point is to prove the CSP forbids it.
        eval('1');
        return 'allowed';
      } catch {
        return 'blocked';
      }
    });
    expect(evalVerdict).toBe('blocked');
    expect(await page.evaluate(() => window.open('app://gpuz/index.html') === null)).toBe(true);
    expect(await app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows().length)).toBe(1);
  });

  test('the dashboard talks to the main process through the contract over IPC', async () => {
    expect(await page.evaluate(() => Object.keys(window.gpuz ?? {}).sort())).toContain('getStatus');
    const settings = await page.evaluate(() => window.gpuz!.getSettings());
    // The default store lives in the state folder this run gave the app (settings.ts: `{stateDir}/store`).
    expect(settings.target).toEqual({ kind: 'local', dir: join(stateDir, 'store') });
    await expect(page.locator('#global-state')).not.toBeEmpty();
  });

  test('the tray exists with its menu, and pause/resume from it reach the agent', async () => {
    const view = await app.evaluate(() =>
      (globalThis as unknown as { __gpuzE2E: TrayAppHandle }).__gpuzE2E.trayView(),
    );
    expect(view).not.toBeNull();
    expect(['watching', 'uploading', 'paused', 'error']).toContain(view!.icon);
    expect(view!.items.filter((i) => i.type !== 'separator').map((i) => ('id' in i ? i.id : ''))).toEqual([
      'open-dashboard',
      'pause',
      'upload-now',
      'open-log-folder',
      'toggle-login-item',
      'quit',
    ]);
    const trayAction = (id: 'pause' | 'resume') =>
      app.evaluate((_electron, action) => {
        return (globalThis as unknown as { __gpuzE2E: TrayAppHandle }).__gpuzE2E.action(action);
      }, id);
    await trayAction('pause');
    expect((await page.evaluate(() => window.gpuz!.getStatus())).state).toBe('paused');
    await trayAction('resume');
    expect((await page.evaluate(() => window.gpuz!.getStatus())).state).not.toBe('paused');
  });

  test('closing the window hides it; opening from the tray shows the same window', async () => {
    const closed = await app.evaluate(({ BrowserWindow }) => {
      const win = BrowserWindow.getAllWindows()[0]!;
      win.close();
      return { destroyed: win.isDestroyed(), visible: win.isVisible() };
    });
    expect(closed).toEqual({ destroyed: false, visible: false });
    await app.evaluate(() =>
      (globalThis as unknown as { __gpuzE2E: TrayAppHandle }).__gpuzE2E.action('open-dashboard'),
    );
    expect(
      await app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows().map((w) => w.isVisible())),
    ).toEqual([true]);
  });
});
