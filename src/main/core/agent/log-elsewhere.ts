import { stat } from 'node:fs/promises';
import type { ErrorData } from '../../../shared/errors';
import { formatDuration } from '../../../shared/time-format';

/**
 * Is GPU-Z writing its log somewhere else? Looked at once a minute while watching: the other places GPU-Z writes
 * its log (detect-log.ts: Documents, OneDrive's Documents, its install folder…) are compared with the watched log.
 * A place whose file grew since the last look while the watched log is missing or has not grown for QUIET_MS is
 * said once a run (`LOG_ELSEWHERE`): the agent itself would go on "watching" a log nothing writes, and the person
 * would see no upload and no reason (Windows moves Documents into OneDrive; GPU-Z's "Log to file" may be set to
 * another file than the settings name).
 *
 *   const elsewhere = createLogElsewhere({ logPath, others: async () => [...], now: Date.now })
 *   await elsewhere.look() → null                                   (first look: sizes noted)
 *   await elsewhere.look() → { code: 'LOG_ELSEWHERE', message: 'GPU-Z is writing C:\…\OneDrive\Documents\GPU-Z
 *                              Sensor Log.txt (it grew in the last minute), not …', advice, gui }
 */
export const LOOK_EVERY_MS = 60_000;
/** How long the watched log must not have grown (GPU-Z writes a row a second while it logs). */
export const QUIET_MS = 10 * 60_000;

export interface LogElsewhereOptions {
  logPath: string;
  /** The other places (the watched log among them is left out). */
  others: () => Promise<string[]>;
  now: () => number;
  /** A file's size, or null when it is not there (fs.stat by default). */
  sizeOf?: (path: string) => Promise<number | null>;
}

export function createLogElsewhere(options: LogElsewhereOptions) {
  const sizeOf = options.sizeOf ?? fileSize;
  const sizes = new Map<string, number | null>();
  let watched: { size: number | null; changedAt: number } | null = null;
  const said = new Set<string>();
  return {
    async look(): Promise<ErrorData | null> {
      const now = options.now();
      const size = await sizeOf(options.logPath);
      if (watched === null || size !== watched.size) watched = { size, changedAt: now };
      const quiet = size === null || now - watched.changedAt >= QUIET_MS;
      let found: ErrorData | null = null;
      for (const path of await options.others()) {
        if (samePath(path, options.logPath)) continue;
        const before = sizes.get(path);
        const after = await sizeOf(path);
        sizes.set(path, after);
        const grew = before !== undefined && after !== null && after > (before ?? 0);
        if (!grew || !quiet || said.has(path) || found) continue;
        said.add(path);
        found = elsewhere(path, options.logPath, size === null ? null : now - watched.changedAt);
      }
      return found;
    },
  };
}

function elsewhere(path: string, logPath: string, quietFor: number | null): ErrorData {
  const watched =
    quietFor === null
      ? `${logPath}, which is not there`
      : `${logPath}, which has not grown in the last ${formatDuration(quietFor)}`;
  return {
    code: 'LOG_ELSEWHERE',
    message: `GPU-Z is writing ${path} (it grew in the last minute), not ${watched}`,
    advice: `If that is the log you want uploaded, point the log file setting (--file) at it; or set GPU-Z's "Log to file" to ${logPath}.`,
    guiAdvice: `If that is the log you want uploaded, choose it in Settings → Log file; or set GPU-Z's "Log to file" to ${logPath}.`,
  };
}

/** Windows paths compare without case. */
function samePath(a: string, b: string): boolean {
  return a === b || (/^[a-z]:\\/i.test(a) && a.toLowerCase() === b.toLowerCase());
}

async function fileSize(path: string): Promise<number | null> {
  try {
    const stats = await stat(path);
    return stats.isFile() ? stats.size : null;
  } catch {
    return null;
  }
}
