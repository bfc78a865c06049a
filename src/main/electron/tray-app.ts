/**
 * The tray app's life, with Electron passed in (menubar-style, so nothing here imports electron at run time):
 *   startTrayApp({ electron: { app, BrowserWindow, ipcMain, … }, openAppService: (stateDir) => createAppService(…) })
 * One instance (a second launch shows the window of the first); the agent runs while the window is hidden;
 * Quit seals and uploads what is complete before exiting.
 */

import { dirname, join } from 'node:path';
import type * as Electron from 'electron';
import type { AgentStatus, UploadRecord } from '../../shared/agent-status';
import type { CostView } from '../../shared/contract';
import { formatErrorLine } from '../../shared/errors';
import type { AppService } from '../core/app/app-service';
import type { DeployBundle } from '../core/deploy/prepare';
import { registerAppScheme, serveAppScheme } from './app-protocol';
import { serveContractOverIpc } from './ipc-transport';
import { createLoginItem, launchCommand, wasStartedAtLogin } from './login-item';
import { createNotificationPolicy } from './notification-policy';
import { createNotifier } from './notifications';
import { resolveAppPaths } from './paths';
import { createSecretBox, createSecretStore, SECRETS_FILE, type SecretStore } from './secrets';
import { createAppTray } from './tray';
import { buildTrayView, type TrayActionId, type TrayView } from './tray-menu';
import { createDashboardWindow, hardenSession } from './window';
import { APP_START_URL, contentSecurityPolicy, windowOptions } from './window-options';

export type ElectronModules = Pick<
  typeof Electron,
  | 'app'
  | 'BrowserWindow'
  | 'ipcMain'
  | 'Menu'
  | 'nativeImage'
  | 'Notification'
  | 'protocol'
  | 'safeStorage'
  | 'session'
  | 'shell'
  | 'Tray'
>;

export interface TrayAppOptions {
  electron: ElectronModules;
  /** Core wiring (settings + agent + data) for a state folder; the same as `gpuz-cloud agent`'s. */
  /** `bundle`: the synthesized stack and Lambda zip this install ships, for the provisioning wizard. */
  openAppService(
    stateDir: string,
    secrets: SecretStore,
    bundle: DeployBundle,
  ): AppService | Promise<AppService>;
  env: NodeJS.ProcessEnv;
  argv: readonly string[];
  home: string;
}

/** What the e2e spec reads through `globalThis.__gpuzE2E` when GPUZ_E2E=1. */
export interface TrayAppHandle {
  trayView(): TrayView | null;
  action(id: TrayActionId): Promise<void>;
}

const REFRESH_MS = 60_000;

export function startTrayApp(options: TrayAppOptions): TrayAppHandle | null {
  const { app, protocol } = options.electron;
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return null;
  }
  registerAppScheme(protocol);
  let quitting = false;
  let act: (id: TrayActionId) => Promise<void> = async () => undefined;
  let tray: ReturnType<typeof createAppTray> | null = null;

  // A tray app lives on with no window; without this listener Electron would quit.
  app.on('window-all-closed', () => undefined);
  app.whenReady().then(
    async () => {
      const started = await onReady(options, () => quitting);
      act = started.act;
      tray = started.tray;
      app.on('second-instance', () => void act('open-dashboard'));
      app.on('before-quit', (event) => {
        if (quitting) return;
        quitting = true;
        event.preventDefault();
        // Seal and upload what is complete, then really quit.
        void started.stop().finally(() => app.quit());
      });
    },
    (error: unknown) => {
      console.error(`GPU-Z Cloud could not start: ${formatErrorLine(error)}`);
      app.exit(1);
    },
  );
  return { trayView: () => tray?.current() ?? null, action: (id) => act(id) };
}

async function onReady(options: TrayAppOptions, isQuitting: () => boolean) {
  const {
    app,
    BrowserWindow,
    ipcMain,
    Menu,
    nativeImage,
    Notification,
    protocol,
    safeStorage,
    session,
    shell,
    Tray,
  } = options.electron;
  const paths = resolveAppPaths({
    isPackaged: app.isPackaged,
    appPath: app.getAppPath(),
    resourcesPath: process.resourcesPath,
    env: options.env,
    platform: process.platform,
    home: options.home,
  });
  const devServerUrl =
    !app.isPackaged && options.env.ELECTRON_RENDERER_URL ? options.env.ELECTRON_RENDERER_URL : null;
  const csp = contentSecurityPolicy(devServerUrl);
  hardenSession(session.defaultSession, csp);
  serveAppScheme(protocol, paths.rendererDir, csp);

  const secrets = createSecretStore({
    box: createSecretBox(safeStorage, process.platform),
    file: join(paths.stateDir, SECRETS_FILE),
  });
  const service = await options.openAppService(paths.stateDir, secrets, {
    stackJsonPath: join(paths.infraStacksDir, 'gpuz-cloud', 'cdk.tf.json'),
    lambdaZipPath: paths.lambdaZipPath,
  });
  const startUrl = devServerUrl ?? APP_START_URL;
  const dashboard = createDashboardWindow({
    BrowserWindow,
    shell,
    options: windowOptions({
      preloadPath: paths.preloadPath,
      ...(process.platform === 'linux' ? { iconPath: paths.windowIconPath } : {}),
    }),
    startUrl,
    isQuitting,
  });
  const stopIpc = serveContractOverIpc({
    ipcMain,
    handlers: service.handlers,
    events: service.events,
    send: dashboard.send,
    expectedUrl: startUrl,
  });
  const loginItem = createLoginItem({
    platform: process.platform,
    app,
    launch: launchCommand({
      execPath: process.execPath,
      env: options.env,
      ...(process.defaultApp ? { sourceAppPath: app.getAppPath() } : {}),
    }),
    env: options.env,
    home: options.home,
  });

  let status: AgentStatus | null = null;
  let history: UploadRecord[] = [];
  let loginItemEnabled = await loginItem.isEnabled().catch(() => false);
  let cost: CostView | null = null;
  /** The Costs view's own answer (estimateCost with the settings' interval and today's regime). */
  const refreshCost = () =>
    service.handlers.estimateCost({}).then(
      (view) => {
        cost = view;
        refresh();
      },
      () => undefined,
    );
  const act = async (id: TrayActionId) => {
    try {
      await runAction(id);
    } catch (error) {
      console.error(`${id}: ${formatErrorLine(error)}`);
    }
  };
  const tray = createAppTray({
    Tray,
    Menu,
    nativeImage,
    iconDir: paths.trayIconDir,
    onAction: (id) => void act(id),
  });
  const refresh = () =>
    tray.show(
      buildTrayView({
        status,
        history,
        loginItemEnabled,
        cost,
        now: new Date(),
        timeZone: Intl.DateTimeFormat().resolvedOptions().timeZone,
      }),
    );

  async function runAction(id: TrayActionId): Promise<void> {
    switch (id) {
      case 'open-dashboard':
        return dashboard.show();
      case 'open-costs':
        return dashboard.show('costs');
      case 'repair-state':
        return dashboard.show('overview');
      case 'pause':
        status = await service.handlers.pause();
        return refresh();
      case 'resume':
        status = await service.handlers.resume();
        return refresh();
      case 'upload-now':
        status = await service.handlers.uploadNow();
        return refresh();
      case 'open-log-folder':
        if (status) await shell.openPath(dirname(status.logPath));
        return;
      case 'toggle-login-item':
        await loginItem.setEnabled(!loginItemEnabled);
        loginItemEnabled = await loginItem.isEnabled();
        return refresh();
      case 'quit':
        return options.electron.app.quit();
    }
  }

  const notifier = createNotifier({
    Notification,
    policy: createNotificationPolicy({ clock: Date.now }),
    iconPath: paths.windowIconPath,
    onClick: () => dashboard.show(),
  });
  const offs = [
    service.events.on('status', (next) => {
      status = next;
      notifier.onStatus(next);
      refresh();
    }),
    service.events.on('settings', () => void refreshCost()),
    service.events.on('cloudHealth', (health) => notifier.onCloudHealth(health)),
    service.events.on('alert', (alert) => notifier.onAlert(alert)),
    service.events.on('upload', (record) => {
      history = [...history.filter((r) => r.batchId !== record.batchId), record].slice(-500);
      notifier.onUpload(record);
      refresh();
    }),
  ];
  refresh();
  try {
    await service.start();
    status = await service.handlers.getStatus();
    history = await service.handlers.getHistory();
    await refreshCost();
  } catch (error) {
    // The window's Settings view is where this gets fixed, so open it and say why in the log.
    console.error(`The agent did not start: ${formatErrorLine(error)}`);
    dashboard.show();
  }
  refresh();
  const timer = setInterval(refresh, REFRESH_MS);
  if (!wasStartedAtLogin(options.argv)) dashboard.show();

  return {
    act,
    tray,
    async stop() {
      clearInterval(timer);
      for (const off of offs) off();
      stopIpc();
      await service.stop().catch((error: unknown) => console.error(`stopping: ${formatErrorLine(error)}`));
      tray.destroy();
    },
  };
}
