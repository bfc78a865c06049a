/**
 * Where GPU-Z usually writes its sensor log, first existing first:
 *   detectLogCandidates({ env: { USERPROFILE: 'C:\\Users\\ann' }, home: 'C:\\Users\\ann', exists })
 *     → [{ path: 'C:\\Users\\ann\\Documents\\GPU-Z Sensor Log.txt', exists: true, reason: "GPU-Z's default (Documents)" }, …]
 */
import { join, win32 } from 'node:path';
import type { LogCandidate } from '../../../shared/contract';

export const LOG_FILE_NAME = 'GPU-Z Sensor Log.txt';

export interface DetectDeps {
  env: Record<string, string | undefined>;
  home: string;
  exists: (path: string) => Promise<boolean>;
  platform?: NodeJS.Platform;
}

/**
 * GPU-Z's usual places for its log on this machine, in order, whether or not a file is there:
 *   logPlaces({ env: { USERPROFILE: 'C:\\Users\\ann' }, home: 'C:\\Users\\ann' })
 *     → [{ path: 'C:\\Users\\ann\\Documents\\GPU-Z Sensor Log.txt', reason: "GPU-Z's default (Documents)" }, …]
 */
export function logPlaces(deps: Omit<DetectDeps, 'exists'>): { path: string; reason: string }[] {
  const windows = (deps.platform ?? process.platform) === 'win32' || Boolean(deps.env.USERPROFILE);
  const path = windows ? win32.join : join;
  const profile = deps.env.USERPROFILE || deps.home;
  const places: [string | undefined, string][] = [
    [profile && path(profile, 'Documents'), "GPU-Z's default (Documents)"],
    [deps.env.OneDrive && path(deps.env.OneDrive, 'Documents'), 'Documents synced by OneDrive'],
    [deps.env['ProgramFiles(x86)'] && path(deps.env['ProgramFiles(x86)'], 'GPU-Z'), 'GPU-Z install folder'],
    [deps.env.ProgramFiles && path(deps.env.ProgramFiles, 'GPU-Z'), 'GPU-Z install folder'],
    [profile && path(profile, 'Downloads'), 'portable GPU-Z run from Downloads'],
    [profile && path(profile, 'Desktop'), 'Desktop'],
  ];
  const seen = new Set<string>();
  const found: { path: string; reason: string }[] = [];
  for (const [dir, reason] of places) {
    if (!dir) continue;
    const file = path(dir, LOG_FILE_NAME);
    if (seen.has(file)) continue;
    seen.add(file);
    found.push({ path: file, reason });
  }
  return found;
}

export async function detectLogCandidates(deps: DetectDeps): Promise<LogCandidate[]> {
  const candidates: LogCandidate[] = [];
  for (const place of logPlaces(deps)) candidates.push({ ...place, exists: await deps.exists(place.path) });
  return candidates.sort((a, b) => Number(b.exists) - Number(a.exists));
}
