import { readJsonFile, writeFileAtomic } from './atomic-file';
import type { FileIdentity } from './file-identity';

/**
 * Where reading resumes: the log's identity, the offset up to which every complete line is sealed (in the
 * spool or already in the store) and the header in effect there. Written atomically (temp, fsync, rename,
 * fsync folder) only after the batch that ends at `offset` is durably in the spool.
 *
 *   await saveCheckpoint(path, { identity, offset: 4096, uploadedOffset: 0, sessionHeader: '  Date , …\r\n' })
 *   await loadCheckpoint(path) → the same, or an empty checkpoint for a first run
 */
export interface CheckpointData {
  version: 1;
  identity: FileIdentity | null;
  /** Sealed up to here (spool or store). */
  offset: number;
  /** Confirmed by the store up to here (every batch of this file before it is uploaded). */
  uploadedOffset: number;
  /** latin1 text of the header in effect at `offset`. */
  sessionHeader: string | null;
  updatedAt: string;
}

export function emptyCheckpoint(): CheckpointData {
  return { version: 1, identity: null, offset: 0, uploadedOffset: 0, sessionHeader: null, updatedAt: '' };
}

export async function loadCheckpoint(path: string): Promise<CheckpointData> {
  const data = await readJsonFile<Partial<CheckpointData>>(path, emptyCheckpoint());
  return data.version === 1 ? { ...emptyCheckpoint(), ...data } : emptyCheckpoint();
}

export async function saveCheckpoint(path: string, data: CheckpointData): Promise<void> {
  await writeFileAtomic(path, `${JSON.stringify(data)}\n`);
}
