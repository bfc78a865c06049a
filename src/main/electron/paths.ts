/**
 * Where the tray app finds its files, from facts Electron gives (pure):
 *   resolveAppPaths({ isPackaged: true, appPath: 'C:\\…\\resources\\app.asar', resourcesPath: 'C:\\…\\resources',
 *                     userData: 'C:\\Users\\me\\AppData\\Roaming\\GPU-Z Cloud', env: {} })
 *   → { stateDir: '…\\Roaming\\GPU-Z Cloud', rendererDir: '…\\app.asar\\out\\renderer',
 *       preloadPath: '…\\app.asar\\out\\preload\\index.cjs', trayIconDir: '…\\resources\\tray', … }
 * On Windows userData is %APPDATA%\GPU-Z Cloud, the folder `gpuz-cloud agent` uses too, so both modes share
 * settings, spool and checkpoint. GPUZ_STATE_DIR overrides it (tests, a second profile).
 */
import { join } from 'node:path';

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
  userData: string;
  env: NodeJS.ProcessEnv;
}): AppPaths {
  const resources = input.isPackaged ? input.resourcesPath : join(input.appPath, 'build');
  return {
    stateDir: input.env.GPUZ_STATE_DIR || input.userData,
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
