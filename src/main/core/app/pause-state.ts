import { rm } from 'node:fs/promises';
import { writeFileAtomic } from '../../../shared/fs/atomic-file';
import { isRecord, readStateJson } from '../state-file';

/**
 * Whether the person paused uploads, kept in `{stateDir}/paused.json` as `{ pausedAt }` until they resume: the app
 * pauses every agent it opens while the file says so — after a settings save, a deploy, a restart of the app.
 * Before, each of those resumed uploads without a word.
 *
 *   const pause = createPauseState('/state/paused.json')
 *   await pause.load()                        → null (not paused), or '2026-12-05T20:01:00.000Z'
 *   await pause.save('2026-12-05T20:01:00.000Z')   // paused now
 *   await pause.save(null)                    // resumed: the file is deleted
 * A file that cannot be read as one counts as not paused (uploads go on: the safe side for the data).
 */
export const PAUSE_FILE = 'paused.json';

export interface PauseState {
  load(): Promise<string | null>;
  save(pausedAt: string | null): Promise<void>;
}

export function createPauseState(path: string): PauseState {
  return {
    async load() {
      const data = await readStateJson(path).catch(() => undefined);
      if (!isRecord(data) || typeof data.pausedAt !== 'string') return null;
      return Number.isNaN(Date.parse(data.pausedAt)) ? null : data.pausedAt;
    },
    async save(pausedAt) {
      if (pausedAt === null) await rm(path, { force: true });
      else await writeFileAtomic(path, `${JSON.stringify({ pausedAt })}\n`);
    },
  };
}

/** Kept for this run only (tests, and a service given no state folder). */
export function memoryPauseState(): PauseState {
  let kept: string | null = null;
  return {
    load: async () => kept,
    save: async (pausedAt) => {
      kept = pausedAt;
    },
  };
}
