import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LoginItemSettingsOptions, Settings } from 'electron';
import {
  autostartDesktopEntry,
  autostartPath,
  createLoginItem,
  launchCommand,
  quoteExecArg,
  wasStartedAtLogin,
  windowsLoginItemSettings,
} from './login-item';

const EXE = 'C:\\Program Files\\GPU-Z Cloud\\GPU-Z Cloud.exe';

describe('what runs at login', () => {
  it('registers the installed exe, the portable launcher or the AppImage — never a temp copy', () => {
    expect(launchCommand({ execPath: EXE, env: {} })).toEqual({ command: EXE, args: [] });
    expect(
      launchCommand({
        execPath: 'C:\\Users\\me\\AppData\\Local\\Temp\\2abc\\GPU-Z Cloud.exe',
        env: { PORTABLE_EXECUTABLE_FILE: 'D:\\Tools\\GPU-Z Cloud 0.1.0.exe' },
      }),
    ).toEqual({ command: 'D:\\Tools\\GPU-Z Cloud 0.1.0.exe', args: [] });
    expect(
      launchCommand({
        execPath: '/tmp/.mount_gpuzX/gpuz-cloud',
        env: { APPIMAGE: '/home/me/GPU-Z Cloud.AppImage' },
      }),
    ).toEqual({ command: '/home/me/GPU-Z Cloud.AppImage', args: [] });
    expect(
      launchCommand({
        execPath: '/repo/node_modules/electron/dist/electron',
        env: {},
        sourceAppPath: '/repo',
      }),
    ).toEqual({ command: '/repo/node_modules/electron/dist/electron', args: ['/repo'] });
  });

  it('Windows: the login item settings start the app hidden', () => {
    expect(windowsLoginItemSettings(true, { command: EXE, args: [] })).toEqual({
      openAtLogin: true,
      path: EXE,
      args: ['--hidden'],
    });
    expect(windowsLoginItemSettings(false, { command: EXE, args: [] }).openAtLogin).toBe(false);
    expect(wasStartedAtLogin([EXE, '--hidden'])).toBe(true);
    expect(wasStartedAtLogin([EXE])).toBe(false);
  });

  it('Linux: an XDG autostart entry with Exec quoted per the Desktop Entry spec', () => {
    expect(autostartPath({}, '/home/me')).toBe('/home/me/.config/autostart/gpuz-cloud.desktop');
    expect(autostartPath({ XDG_CONFIG_HOME: '/cfg' }, '/home/me')).toBe('/cfg/autostart/gpuz-cloud.desktop');
    expect(autostartDesktopEntry({ command: '/home/me/GPU-Z Cloud.AppImage', args: [] })).toBe(
      [
        '[Desktop Entry]',
        'Type=Application',
        'Name=GPU-Z Cloud',
        'Comment=Uploads GPU-Z sensor logs to your own AWS account',
        'Exec="/home/me/GPU-Z Cloud.AppImage" --hidden',
        'Terminal=false',
        'X-GNOME-Autostart-enabled=true',
        '',
      ].join('\n'),
    );
    expect(quoteExecArg('/opt/app')).toBe('/opt/app');
    expect(quoteExecArg('/opt/100% $HOME "x"')).toBe('"/opt/100%% \\\\$HOME \\\\"x\\\\""');
    expect(quoteExecArg('')).toBe('""');
  });
});

describe('start-at-login toggle', () => {
  it('Linux: off by default, on writes the entry, off removes it', async () => {
    const home = await mkdtemp(join(tmpdir(), 'gpuz-login-'));
    try {
      const item = createLoginItem({
        platform: 'linux',
        app: { getLoginItemSettings: () => ({}) as never, setLoginItemSettings: () => undefined },
        launch: { command: '/opt/gpuz/gpuz-cloud', args: [] },
        env: {},
        home,
      });
      expect(await item.isEnabled()).toBe(false);
      await item.setEnabled(true);
      expect(await item.isEnabled()).toBe(true);
      const text = await readFile(join(home, '.config/autostart/gpuz-cloud.desktop'), 'utf8');
      expect(text).toContain('Exec=/opt/gpuz/gpuz-cloud --hidden\n');
      await item.setEnabled(false);
      expect(await item.isEnabled()).toBe(false);
      await item.setEnabled(false);
    } finally {
      await rm(home, { recursive: true, force: true });
    }
  });

  it('Windows: goes through app.setLoginItemSettings and reads back with the same path and args', async () => {
    const registry = new Map<string, boolean>();
    const keyOf = (o: { path?: string; args?: string[] }) => `${o.path} ${(o.args ?? []).join(' ')}`;
    const queries: LoginItemSettingsOptions[] = [];
    const item = createLoginItem({
      platform: 'win32',
      app: {
        getLoginItemSettings: (options) => {
          queries.push(options!);
          return { openAtLogin: registry.get(keyOf(options ?? {})) ?? false } as ReturnType<
            Parameters<typeof createLoginItem>[0]['app']['getLoginItemSettings']
          >;
        },
        setLoginItemSettings: (settings: Settings) => {
          registry.set(keyOf(settings), settings.openAtLogin ?? false);
        },
      },
      launch: { command: EXE, args: [] },
      env: {},
      home: 'C:\\Users\\me',
    });
    expect(await item.isEnabled()).toBe(false);
    await item.setEnabled(true);
    expect(await item.isEnabled()).toBe(true);
    expect(registry).toEqual(new Map([[`${EXE} --hidden`, true]]));
    await item.setEnabled(false);
    expect(await item.isEnabled()).toBe(false);
    expect(queries.at(-1)).toEqual({ path: EXE, args: ['--hidden'] });
  });
});
