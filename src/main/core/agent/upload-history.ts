import type { UploadRecord } from '../../../shared/agent-status';
import type { ErrorData } from '../../../shared/errors';
import { isRecord, readOrSetAside, readStateJson, serialWriter } from '../state-file';

/**
 * The Uploads view's history, kept in `{stateDir}/uploads.json` so it survives a restart (it lived in memory only:
 * after a reboot Uploads showed 1 of 2 batches): newest first, one record per batch (a batch that failed and went
 * later keeps only its newest record), at most HISTORY_MAX records.
 *
 *   const { history, notice } = await openUploadHistory('/state/uploads.json', () => new Date())
 *   history.add({ batchId: 'ab-0-9', status: 'uploaded', … })   // saved in the background, one write at a time
 *   history.records() → [newest, …];  await history.flush()     // on stop
 * A record still 'uploading' is shown but never saved: after a crash that batch is still in the spool and is sent
 * again. A damaged file is set aside (uploads.json.damaged-…) and the history starts empty; `notice` says so.
 */
export const HISTORY_MAX = 500;

const SAVED: ReadonlySet<UploadRecord['status']> = new Set(['uploaded', 'failed', 'dropped']);

export interface UploadHistory {
  records(): UploadRecord[];
  /** When the newest batch in the history was stored (an earlier run's too), or null. */
  lastUploadedAt(): string | null;
  add(record: UploadRecord): void;
  /** Resolves when every record added so far is on disk (a failed write rejects here, once). */
  flush(): Promise<void>;
}

export async function openUploadHistory(
  path: string,
  now: () => Date,
): Promise<{ history: UploadHistory; notice: ErrorData | null }> {
  const read = await readOrSetAside(path, parseHistory, now(), {
    code: 'HISTORY_RESET',
    after: 'the upload history starts again empty',
    unaffected: 'Uploads and the store are not affected.',
  });
  let records: UploadRecord[] = read.value ?? [];
  const { notice } = read;
  const file = serialWriter(path);
  const save = () => file.save(`${JSON.stringify(records.filter((r) => SAVED.has(r.status)))}\n`);
  return {
    notice,
    history: {
      records: () => [...records],
      lastUploadedAt: () => records.find((r) => r.status === 'uploaded')?.at ?? null,
      add(record) {
        records = [record, ...records.filter((r) => r.batchId !== record.batchId)].slice(0, HISTORY_MAX);
        if (SAVED.has(record.status)) save();
      },
      flush: () => file.flush(),
    },
  };
}

/**
 * The host of the newest batch this state folder uploaded (`raw/<host>/…`), or null (no history, or it cannot be
 * read: nothing is changed here). `gpuz-cloud repair` without settings or --host looks there before this
 * computer's name, which a CLI agent run with --host does not use.
 *   await lastUploadedHost('/state/uploads.json') → 'gaming-pc'
 */
export async function lastUploadedHost(path: string): Promise<string | null> {
  try {
    const data = await readStateJson(path);
    const newest = data === undefined ? undefined : parseHistory(data).find((r) => r.status === 'uploaded');
    return newest ? (RAW_HOST.exec(newest.key)?.[1] ?? null) : null;
  } catch {
    return null;
  }
}

const RAW_HOST = /^raw\/([^/]+)\//;

/** The saved list, or an error that says what is wrong with it (the caller sets the file aside). */
function parseHistory(data: unknown): UploadRecord[] {
  if (!Array.isArray(data)) throw new Error(`${shape(data)} is not a list of uploads`);
  for (const [i, r] of data.entries()) {
    const ok =
      isRecord(r) &&
      typeof r.batchId === 'string' &&
      typeof r.key === 'string' &&
      typeof r.at === 'string' &&
      typeof r.status === 'string' &&
      SAVED.has(r.status as UploadRecord['status']) &&
      ['rows', 'rawBytes', 'compressedBytes', 'durationMs'].every((k) => Number.isFinite(r[k]));
    if (!ok) throw new Error(`record ${i} is not an upload (${JSON.stringify(r).slice(0, 60)})`);
  }
  return (data as UploadRecord[]).slice(0, HISTORY_MAX);
}

function shape(data: unknown): string {
  return data === null ? 'null' : typeof data === 'object' ? 'an object' : `a ${typeof data}`;
}
