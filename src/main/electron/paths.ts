/**
 * Where the tray app finds its files, from facts Electron gives (pure):
 *   resolveAppPaths({ isPackaged: true, appPath: 'C:\\…\\resources\\app.asar', resourcesPath: 'C:\\…\\resources',
 *                     env: { APPDATA: 'C:\\Users\\me\\AppData\\Roaming' }, platform: 'win32', home: 'C:\\Users\\me' })
 *   → { stateDir: '…\\Roaming\\GPU-Z Cloud', rendererDir: '…\\app.asar\\out\\renderer',
 *       preloadPath: '…\\app.asar\\out\\preload\\index.cjs', trayIconDir: '…\\resources\\tray', … }
 * The state folder is the one every `gpuz-cloud` command uses (core/state-dir.ts), so the tray app reads the
 * settings `gpuz-cloud deploy` writes and shares spool and checkpoint with `gpuz-cloud agent`. On Windows and
 * macOS that is also Electron's userData; on Linux it is ~/.local/state/gpuz-cloud, not ~/.config/GPU-Z Cloud.
 * GPUZ_STATE_DIR overrides it (tests, a second profile).
 */
import { join } from 'node:path';
import { defaultStateDir } from '../core/state-dir';

export interface AppPaths {
  stateDir: string;
  rendererDir: string;
  preloadPath: string;
  /** build/tray (sources) or resources/tray (installed): {watching,uploading,paused,error}.png + @2x. */
  trayIconDir: string;
  /** The window icon (Linux; Windows takes the exe's). */
  windowIconPath: string;
  /** Synthesized infrastructure and the Lambda bundle, shipped as extra resources (see electron-builder.yml). */
  lambdaZipPath: string;
  infraStacksDir: string;
}

export function resolveAppPaths(input: {
  isPackaged: boolean;
  appPath: string;
  resourcesPath: string;
  env: NodeJS.ProcessEnv;
  platform: NodeJS.Platform;
  home: string;
}): AppPaths {
  const resources = input.isPackaged ? input.resourcesPath : join(input.appPath, 'build');
  return {
    stateDir: defaultStateDir(input.env, input.platform, input.home),
    rendererDir: join(input.appPath, 'out', 'renderer'),
    preloadPath: join(input.appPath, 'out', 'preload', 'index.cjs'),
    trayIconDir: join(resources, 'tray'),
    windowIconPath: input.isPackaged
      ? join(input.resourcesPath, 'icon.png')
      : join(input.appPath, 'build', 'icon.png'),
    lambdaZipPath: input.isPackaged
      ? join(input.resourcesPath, 'lambda', 'gpu-processor.zip')
      : join(input.appPath, 'dist', 'lambda', 'gpu-processor.zip'),
    infraStacksDir: input.isPackaged
      ? join(input.resourcesPath, 'infra', 'stacks')
      : join(input.appPath, 'cdktf.out', 'stacks'),
  };
}
