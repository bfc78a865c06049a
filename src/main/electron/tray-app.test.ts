import { EventEmitter } from 'node:events';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ipcCallChannel } from '../../shared/transport/channels';
import { agentStatus } from '../../test-support/agent-status';
import { createAppService } from '../core/app/app-service';
import { buildCostView } from '../core/app/cost-view';
import { createFakeAgent } from '../core/app/fake-agent.test-support';
import { createSettingsStore, defaultSettings } from '../core/settings';
import { type ElectronModules, startTrayApp } from './tray-app';

// The tray app's wiring, run against fakes of the Electron slices it touches (no Electron here): what a
// person sees at launch, what the tray does, how IPC is guarded, and that Quit stops the agent first.

type Handler = (event: unknown, ...args: unknown[]) => unknown;

function createFakeElectron(options: { locked?: boolean } = {}) {
  const log: string[] = [];
  const windows: FakeWindow[] = [];
  const handlers = new Map<string, Handler>();
  let trayMenu: { label?: string; click?: () => void; checked?: boolean }[] = [];
  let trayTooltip = '';
  let trayImage = '';
  let resolveReady: () => void = () => undefined;
  const ready = new Promise<void>((resolve) => {
    resolveReady = resolve;
  });

  class FakeContents extends EventEmitter {
    sent: [string, unknown][] = [];
    send(channel: string, payload: unknown) {
      this.sent.push([channel, payload]);
    }
    setWindowOpenHandler() {}
    scripts: string[] = [];
    async executeJavaScript(code: string) {
      this.scripts.push(code);
    }
  }
  class FakeWindow extends EventEmitter {
    webContents = new FakeContents();
    visible = false;
    url = '';
    constructor(readonly options: unknown) {
      super();
      windows.push(this);
    }
    async loadURL(url: string) {
      this.url = url;
      this.emit('ready-to-show');
    }
    show() {
      this.visible = true;
    }
    hide() {
      this.visible = false;
    }
    focus() {}
    restore() {}
    isMinimized() {
      return false;
    }
    isDestroyed() {
      return false;
    }
    close() {
      let prevented = false;
      this.emit('close', { preventDefault: () => (prevented = true) });
      if (!prevented) this.emit('closed');
    }
  }
  class FakeTray extends EventEmitter {
    constructor(image: { path: string }) {
      super();
      trayImage = image.path;
    }
    setImage(image: { path: string }) {
      trayImage = image.path;
    }
    setToolTip(text: string) {
      trayTooltip = text;
    }
    setContextMenu(menu: typeof trayMenu) {
      trayMenu = menu;
    }
    destroy() {
      log.push('tray destroyed');
    }
  }
  const app = Object.assign(new EventEmitter(), {
    isPackaged: false,
    requestSingleInstanceLock: () => !options.locked,
    whenReady: () => ready,
    getAppPath: () => '/repo',
    getPath: () => '/unused-user-data',
    quit: () => {
      log.push('quit');
      let prevented = false;
      app.emit('before-quit', { preventDefault: () => (prevented = true) });
      if (!prevented) log.push('exited');
    },
    exit: (code: number) => log.push(`exit ${code}`),
    getLoginItemSettings: () => ({ openAtLogin: false }),
    setLoginItemSettings: () => undefined,
  });
  const electron = {
    app,
    BrowserWindow: FakeWindow,
    ipcMain: {
      handle: (channel: string, handler: Handler) => handlers.set(channel, handler),
      removeHandler: (channel: string) => handlers.delete(channel),
    },
    Menu: { buildFromTemplate: (template: typeof trayMenu) => template },
    nativeImage: { createFromPath: (path: string) => ({ path }) },
    Notification: Object.assign(
      class {
        on() {}
        show() {}
      },
      { isSupported: () => false },
    ),
    protocol: {
      registerSchemesAsPrivileged: () => log.push('scheme registered'),
      handle: (scheme: string) => log.push(`serving ${scheme}://`),
    },
    safeStorage: {
      isEncryptionAvailable: () => true,
      encryptString: (s: string) => Buffer.from(s),
      decryptString: (b: Buffer) => b.toString(),
    },
    session: {
      defaultSession: {
        webRequest: { onHeadersReceived: () => log.push('csp installed') },
        setPermissionRequestHandler: () => undefined,
        setPermissionCheckHandler: () => undefined,
      },
    },
    shell: {
      openExternal: async () => undefined,
      openPath: async (p: string) => {
        log.push(`open ${p}`);
        return '';
      },
    },
    Tray: FakeTray,
  } as unknown as ElectronModules;
  return {
    electron,
    log,
    windows,
    handlers,
    ready: resolveReady,
    tray: () => ({ menu: trayMenu, tooltip: trayTooltip, image: trayImage }),
    click: (label: string) => trayMenu.find((item) => item.label === label)!.click!(),
  };
}

/** Waits until the agent was started (settings are read from disk first), then lets the wiring finish. */
async function started(agent: ReturnType<typeof createFakeAgent>) {
  await expect.poll(() => agent.calls.includes('start')).toBe(true);
  await settle();
}

async function settle() {
  for (let i = 0; i < 20; i++) await new Promise((resolve) => setImmediate(resolve));
}

describe('tray app wiring', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'gpuz-tray-app-'));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  function launch(argv: string[] = ['electron', '/repo'], locked = false) {
    const fake = createFakeElectron({ locked });
    const agent = createFakeAgent();
    const handle = startTrayApp({
      electron: fake.electron,
      env: { GPUZ_STATE_DIR: dir, XDG_CONFIG_HOME: join(dir, 'config') },
      argv,
      home: dir,
      openAppService: (stateDir, secrets) =>
        createAppService({
          secrets,
          settings: createSettingsStore({
            stateDir,
            defaults: defaultSettings(stateDir, '/logs/GPU-Z Sensor Log.txt'),
          }),
          openRuntime: async () => ({
            agent: agent.agent,
            data: {
              listSensors: async () => [],
              extent: async () => ({ first: null, last: null }),
              storedDays: async () => 0,
              loggedBytes: async () => null,
              query: async () => ({ resolution: 'rows', t: [], series: [] }),
              hosts: async () => [],
              sessionRows: async () => ({ starts: [], groups: [], pieces: async function* () {} }),
            },
          }),
          estimateCost: (query, context) => buildCostView(query, context),
          detectLogFiles: async () => [],
        }),
    });
    return { fake, agent, handle };
  }

  it('a second instance quits at once and leaves everything to the first', () => {
    const { fake, handle } = launch(undefined, true);
    expect(handle).toBeNull();
    expect(fake.log).toEqual(['quit', 'exited']);
  });

  it('starts: app:// served with the CSP, agent watching, tray icon and tooltip, dashboard window shown', async () => {
    const { fake, agent, handle } = launch();
    fake.ready();
    await started(agent);
    expect(fake.log).toEqual(['scheme registered', 'csp installed', 'serving app://']);
    expect(agent.calls).toEqual(['start']);
    expect(fake.tray().image).toBe(join('/repo', 'build', 'tray', 'watching.png'));
    expect(fake.tray().tooltip).toMatch(/^GPU-Z Cloud: watching the log\nNo upload yet\nToday 0 rows$/);
    expect(handle!.trayView()?.icon).toBe('watching');
    expect(fake.windows).toHaveLength(1);
    expect(fake.windows[0]!.url).toBe('app://gpuz/index.html');
    expect(fake.windows[0]!.visible).toBe(true);
  });

  it('started at login (--hidden): tray only; the tray opens the window, close hides it, reopen reuses it', async () => {
    const { fake, agent } = launch(['GPU-Z Cloud.exe', '--hidden']);
    fake.ready();
    await started(agent);
    expect(fake.windows).toHaveLength(0);
    fake.click('Open dashboard');
    await settle();
    expect(fake.windows).toHaveLength(1);
    fake.windows[0]!.close();
    expect(fake.windows[0]!.visible).toBe(false);
    fake.electron.app.emit('second-instance');
    await settle();
    expect(fake.windows).toHaveLength(1);
    expect(fake.windows[0]!.visible).toBe(true);
  });

  it('serves the contract over IPC to the dashboard frame only, and pushes agent events to the window', async () => {
    const { fake, agent } = launch();
    fake.ready();
    await started(agent);
    const pause = fake.handlers.get(ipcCallChannel('pause'))!;
    const refused = await pause({ senderFrame: { url: 'https://evil.example/' } });
    expect(refused).toMatchObject({ ok: false, error: { code: 'UNTRUSTED_SENDER' } });
    expect(agent.agent.status().state).toBe('watching');
    const reply = (await pause({ senderFrame: { url: 'app://gpuz/index.html' } })) as {
      value: { state: string };
    };
    expect(reply.value.state).toBe('paused');
    expect(fake.windows[0]!.webContents.sent.at(-1)).toEqual(['gpuz:event:status', agent.agent.status()]);
    expect(fake.tray().image).toBe(join('/repo', 'build', 'tray', 'paused.png'));
    expect(fake.tray().menu.map((item) => item.label)).toContain('Resume uploads');
  });

  it('a damaged state file: the tray offers Check and repair, which opens the dashboard on the Overview', async () => {
    const { fake, agent } = launch(['GPU-Z Cloud.exe', '--hidden']);
    fake.ready();
    await started(agent);
    expect(fake.tray().menu.map((item) => item.label)).not.toContain('Check and repair…');
    const damaged = agentStatus({
      state: 'error',
      lastError: {
        code: 'STATE_DAMAGED',
        message: 'checkpoint.json is damaged',
        advice: 'Check and repair',
        at: '2026-12-03T17:00:00Z',
      },
    });
    for (const listener of agent.listeners.status) listener(damaged);
    await settle();
    expect(fake.tray().menu.map((item) => item.label)).toContain('Check and repair…');

    fake.click('Check and repair…');
    await settle();
    expect(fake.windows).toHaveLength(1);
    expect(fake.windows[0]!.url).toBe('app://gpuz/index.html#overview');
    fake.windows[0]!.close(); // hidden, not destroyed: the next click routes the page it has
    fake.click('Check and repair…');
    await settle();
    expect(fake.windows).toHaveLength(1);
    expect(fake.windows[0]!.visible).toBe(true);
    expect(fake.windows[0]!.webContents.scripts).toEqual(['location.hash = "overview"']);
  });

  it('tray actions reach the agent; start at login writes the autostart entry; Quit stops the agent first', async () => {
    const { fake, agent } = launch();
    fake.ready();
    await started(agent);
    fake.click('Pause uploads');
    await settle();
    expect(agent.agent.status().state).toBe('paused');
    fake.click('Resume uploads');
    fake.click('Upload now');
    await settle();
    expect(agent.calls).toEqual(['start', 'pause', 'resume', 'uploadNow']);
    fake.click('Open log folder');
    await settle();
    expect(fake.log).toContain('open /logs');
    if (process.platform === 'linux') {
      fake.click('Start at login');
      await expect
        .poll(() => fake.tray().menu.find((item) => item.label === 'Start at login')?.checked)
        .toBe(true);
      expect(await readFile(join(dir, 'config', 'autostart', 'gpuz-cloud.desktop'), 'utf8')).toContain(
        '--hidden',
      );
    }
    fake.click('Quit GPU-Z Cloud');
    await settle();
    expect(agent.calls.at(-1)).toBe('stop');
    expect(fake.log.slice(-3)).toEqual(['tray destroyed', 'quit', 'exited']);
    fake.windows[0]!.close();
    expect(fake.windows[0]!.visible).toBe(true); // quitting: close is not turned into hide
  });
});
