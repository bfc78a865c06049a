/**
 * The paths a Windows user of the app has, in the prefix (user Jörg), emptied for each test:
 *   const paths = freshUserPaths(wine)
 *   paths.log     → <prefix>/drive_c/users/Jörg/Documents/GPU-Z Sensor Log.txt   (LOG on the Windows side)
 *   paths.store   → <prefix>/drive_c/users/Jörg/GPU-Z Store                       (STORE)
 *   paths.state   → <prefix>/drive_c/users/Jörg/AppData/Roaming/GPU-Z Cloud      (the default state folder)
 *   paths.control → a folder for files the harness and a GPU-Z stand-in exchange
 *   watchArgs('1s', '--tz', 'UTC') → node.exe's arguments for `gpuz-cloud upload --watch` on LOG into STORE
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { WinePrefix } from './wine';

export const LOG = 'C:\\Users\\Jörg\\Documents\\GPU-Z Sensor Log.txt';
export const STORE = 'C:\\Users\\Jörg\\GPU-Z Store';

/** `gpuz-cloud upload --watch` of the user's log into the user's store, every `interval`, then `extra`. */
export function watchArgs(interval: string, ...extra: string[]): string[] {
  return [
    'bin/gpuz-cloud.mjs',
    'upload',
    '--watch',
    '--interval',
    interval,
    '--file',
    LOG,
    '--local',
    STORE,
    ...extra,
  ];
}

export function freshUserPaths(wine: WinePrefix) {
  const paths = {
    log: wine.toLinux(LOG),
    store: wine.toLinux(STORE),
    state: wine.toLinux(`${wine.info.appData}\\GPU-Z Cloud`),
    control: mkdtempSync(join(wine.root, 'control-')),
  };
  rmSync(paths.log, { force: true });
  rmSync(paths.store, { recursive: true, force: true });
  rmSync(paths.state, { recursive: true, force: true });
  mkdirSync(join(paths.log, '..'), { recursive: true });
  return paths;
}

/** Polls `check` every 200 ms until it is true; throws naming `what` after `timeoutMs`. */
export async function until(what: string, check: () => boolean, timeoutMs = 90_000): Promise<void> {
  const end = performance.now() + timeoutMs;
  while (!check()) {
    if (performance.now() > end) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
