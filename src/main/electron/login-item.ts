/**
 * Start at login, off by default. Windows: the Run key through app.setLoginItemSettings; Linux (for
 * development): an XDG autostart entry. Both start the app with `--hidden` (tray only, no window).
 *   windowsLoginItemSettings(true, { command: 'C:\\…\\GPU-Z Cloud.exe', args: [] })
 *   → { openAtLogin: true, path: 'C:\\…\\GPU-Z Cloud.exe', args: ['--hidden'] }
 *   autostartDesktopEntry({ command: '/opt/GPU-Z Cloud.AppImage', args: [] })
 *   → '[Desktop Entry]\nType=Application\nName=GPU-Z Cloud\nExec="/opt/GPU-Z Cloud.AppImage" --hidden\n…'
 */
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { App, LoginItemSettingsOptions, Settings } from 'electron';

export const HIDDEN_ARG = '--hidden';
export const AUTOSTART_FILE = 'gpuz-cloud.desktop';

/** What runs at login: the executable, plus the app folder when running from sources (`electron .`). */
export interface LaunchCommand {
  command: string;
  args: string[];
}

/**
 * The program to register. The portable build runs from a temp copy, so its launcher path comes from
 * PORTABLE_EXECUTABLE_FILE; an AppImage is mounted anew each start, so its own path comes from APPIMAGE.
 */
export function launchCommand(input: {
  execPath: string;
  env: NodeJS.ProcessEnv;
  /** The app folder when Electron runs from sources (process.defaultApp), else undefined. */
  sourceAppPath?: string;
}): LaunchCommand {
  const command = input.env.PORTABLE_EXECUTABLE_FILE || input.env.APPIMAGE || input.execPath;
  return { command, args: input.sourceAppPath ? [input.sourceAppPath] : [] };
}

export function wasStartedAtLogin(argv: readonly string[]): boolean {
  return argv.includes(HIDDEN_ARG);
}

export function windowsLoginItemSettings(enabled: boolean, launch: LaunchCommand): Settings {
  return { openAtLogin: enabled, path: launch.command, args: [...launch.args, HIDDEN_ARG] };
}

export function windowsLoginItemQuery(launch: LaunchCommand): LoginItemSettingsOptions {
  return { path: launch.command, args: [...launch.args, HIDDEN_ARG] };
}

/** `$XDG_CONFIG_HOME/autostart/gpuz-cloud.desktop` (default `~/.config/autostart/…`). */
export function autostartPath(env: NodeJS.ProcessEnv, home: string): string {
  return join(env.XDG_CONFIG_HOME || join(home, '.config'), 'autostart', AUTOSTART_FILE);
}

export function autostartDesktopEntry(launch: LaunchCommand): string {
  const exec = [launch.command, ...launch.args, HIDDEN_ARG].map(quoteExecArg).join(' ');
  return [
    '[Desktop Entry]',
    'Type=Application',
    'Name=GPU-Z Cloud',
    'Comment=Uploads GPU-Z sensor logs to your own AWS account',
    `Exec=${exec}`,
    'Terminal=false',
    'X-GNOME-Autostart-enabled=true',
    '',
  ].join('\n');
}

/**
 * Desktop Entry spec quoting: an argument with reserved characters is double-quoted with `"` `` ` `` `$` `\`
 * backslash-escaped; then the string-value rule doubles every backslash again, and `%` becomes `%%`.
 */
export function quoteExecArg(arg: string): string {
  const needsQuotes = arg === '' || /[\s"'\\><~|&;$*?#()`=]/.test(arg);
  const quoted = needsQuotes ? `"${arg.replace(/(["`$\\])/g, '\\$1')}"` : arg;
  return quoted.replace(/\\/g, '\\\\').replace(/%/g, '%%');
}

export interface LoginItem {
  isEnabled(): Promise<boolean>;
  setEnabled(enabled: boolean): Promise<void>;
}

export interface LoginItemDeps {
  platform: NodeJS.Platform;
  app: Pick<App, 'getLoginItemSettings' | 'setLoginItemSettings'>;
  launch: LaunchCommand;
  env: NodeJS.ProcessEnv;
  home: string;
}

export function createLoginItem(deps: LoginItemDeps): LoginItem {
  if (deps.platform === 'linux') {
    const file = autostartPath(deps.env, deps.home);
    return {
      isEnabled: () =>
        readFile(file, 'utf8').then(
          (text) => text.includes(`${HIDDEN_ARG}\n`),
          () => false,
        ),
      async setEnabled(enabled) {
        if (!enabled) return rm(file, { force: true });
        await mkdir(join(file, '..'), { recursive: true });
        await writeFile(file, autostartDesktopEntry(deps.launch));
      },
    };
  }
  return {
    isEnabled: async () => deps.app.getLoginItemSettings(windowsLoginItemQuery(deps.launch)).openAtLogin,
    setEnabled: async (enabled) =>
      deps.app.setLoginItemSettings(windowsLoginItemSettings(enabled, deps.launch)),
  };
}
