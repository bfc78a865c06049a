/**
 * The one state folder the tray app and every CLI command share (settings.json, spool, checkpoint, deploy state):
 *   defaultStateDir({ APPDATA: 'C:\\Users\\ann\\AppData\\Roaming' }, 'win32', 'C:\\Users\\ann')
 *     → 'C:\\Users\\ann\\AppData\\Roaming\\GPU-Z Cloud'   (= Electron's userData for productName "GPU-Z Cloud")
 *   defaultStateDir({}, 'darwin', '/Users/ann') → '/Users/ann/Library/Application Support/GPU-Z Cloud'
 *   defaultStateDir({}, 'linux', '/home/ann')   → '/home/ann/.local/state/gpuz-cloud'  ($XDG_STATE_HOME respected)
 *   defaultStateDir({ GPUZ_STATE_DIR: '/tmp/s' }, …) → '/tmp/s' on every platform (tests, a second profile)
 * On Linux Electron's userData would be ~/.config/GPU-Z Cloud; the tray app uses this folder instead, because a
 * spool and a checkpoint are state, not configuration, in the XDG layout.
 */
import { posix, win32 } from 'node:path';

export function defaultStateDir(env: NodeJS.ProcessEnv, platform: NodeJS.Platform, home: string): string {
  if (env.GPUZ_STATE_DIR) return env.GPUZ_STATE_DIR;
  if (platform === 'win32')
    return win32.join(env.APPDATA || win32.join(home, 'AppData', 'Roaming'), 'GPU-Z Cloud');
  if (platform === 'darwin') return posix.join(home, 'Library', 'Application Support', 'GPU-Z Cloud');
  return posix.join(env.XDG_STATE_HOME || posix.join(home, '.local', 'state'), 'gpuz-cloud');
}

/**
 * The machine-local folder for big things that need not roam with a Windows profile (the downloaded Terraform, its
 * AWS provider plugin cache of several hundred MB):
 *   defaultLocalDataDir({ LOCALAPPDATA: 'C:\\Users\\ann\\AppData\\Local' }, 'win32', …) → 'C:\\Users\\ann\\AppData\\Local\\GPU-Z Cloud'
 *   defaultLocalDataDir({}, 'darwin', '/Users/ann') → '/Users/ann/Library/Caches/GPU-Z Cloud'
 *   defaultLocalDataDir({}, 'linux', '/home/ann')   → '/home/ann/.cache/gpuz-cloud'  ($XDG_CACHE_HOME respected)
 *   GPUZ_LOCAL_DIR overrides it everywhere.
 */
export function defaultLocalDataDir(env: NodeJS.ProcessEnv, platform: NodeJS.Platform, home: string): string {
  if (env.GPUZ_LOCAL_DIR) return env.GPUZ_LOCAL_DIR;
  if (platform === 'win32')
    return win32.join(env.LOCALAPPDATA || win32.join(home, 'AppData', 'Local'), 'GPU-Z Cloud');
  if (platform === 'darwin') return posix.join(home, 'Library', 'Caches', 'GPU-Z Cloud');
  return posix.join(env.XDG_CACHE_HOME || posix.join(home, '.cache'), 'gpuz-cloud');
}
