import { readFile } from 'node:fs/promises';
import { AppError } from '../../../shared/errors';
import { writeFileAtomic } from '../../../shared/fs/atomic-file';

/**
 * What `forward` already sent, per processed object: its ETag and how many of its rows were acknowledged.
 *
 *   const cp = await loadCheckpoint('/state/forward-ab12.json')
 *   cp.sentRows('processed/pc/…/b.json.gz', '"e1"') → 0 (never sent, or the object changed since)
 *   await cp.record('processed/pc/…/b.json.gz', '"e1"', 356)   // written atomically: temp, fsync, rename
 *
 * A changed ETag means the object was reprocessed: its rows are sent again (same message keys, so a
 * consumer that de-duplicates by key sees no difference).
 */
export interface Checkpoint {
  sentRows(key: string, etag: string): number;
  record(key: string, etag: string, rows: number): Promise<void>;
}

interface CheckpointFile {
  version: 1;
  objects: Record<string, { etag: string; rows: number }>;
}

export async function loadCheckpoint(path: string): Promise<Checkpoint> {
  const state = await readState(path);
  return {
    sentRows(key, etag) {
      const entry = state.objects[key];
      return entry && entry.etag === etag ? entry.rows : 0;
    },
    async record(key, etag, rows) {
      state.objects[key] = { etag, rows };
      await writeFileAtomic(path, `${JSON.stringify(state)}\n`);
    },
  };
}

async function readState(path: string): Promise<CheckpointFile> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { version: 1, objects: {} };
    throw error;
  }
  const parsed = JSON.parse(text) as Partial<CheckpointFile>;
  if (parsed.version !== 1 || typeof parsed.objects !== 'object' || parsed.objects === null) {
    throw new AppError(
      'CHECKPOINT_UNREADABLE',
      `The forward checkpoint ${path} is not one this version understands`,
      'Move it away to start over (rows already sent will be sent again, with the same keys).',
    );
  }
  return { version: 1, objects: parsed.objects };
}
