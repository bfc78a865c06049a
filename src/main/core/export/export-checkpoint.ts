import { readFile } from 'node:fs/promises';
import type { ExportFormat } from '../../../shared/analytics/day-file';
import { AppError } from '../../../shared/errors';
import { writeFileAtomic } from '../../../shared/fs/atomic-file';

/**
 * What an export folder already holds, kept in the folder itself (`.gpuz-export.json`; engines skip dot
 * files), so a rerun resumes and an incremental run rewrites only the days that changed.
 *
 *   const cp = await loadExportCheckpoint('/out/.gpuz-export.json', { source: 's3://p', format: 'parquet' })
 *   cp.doc('processed/pc/2026/08/06/b.json.gz') → { etag: '"e1"', days: ['2026-08-05', '2026-08-06'] } | undefined
 *   cp.dayDone('pc', '2026-08-06') → true once that partition's file was written
 *   await cp.save()   // atomic: temp, fsync, rename
 *
 * A different source or format starts over (the file says which it describes).
 */
export interface DocEntry {
  etag: string;
  /** Dates (the log's clock) this document has rows on. */
  days: string[];
}

export interface ExportCheckpoint {
  readonly docs: ReadonlyMap<string, DocEntry>;
  doc(key: string): DocEntry | undefined;
  recordDoc(key: string, entry: DocEntry): void;
  dayDone(host: string, date: string): boolean;
  recordDay(host: string, date: string, rows: number): void;
  forgetDay(host: string, date: string): void;
  save(): Promise<void>;
}

interface CheckpointFile {
  version: 1;
  source: string;
  format: ExportFormat;
  docs: Record<string, DocEntry>;
  days: Record<string, { rows: number }>;
}

export const CHECKPOINT_FILE = '.gpuz-export.json';

export async function loadExportCheckpoint(
  path: string,
  identity: { source: string; format: ExportFormat },
): Promise<ExportCheckpoint> {
  const loaded = await readState(path);
  const state: CheckpointFile =
    loaded && loaded.source === identity.source && loaded.format === identity.format
      ? loaded
      : { version: 1, ...identity, docs: {}, days: {} };
  const docs = new Map(Object.entries(state.docs));
  return {
    docs,
    doc: (key) => docs.get(key),
    recordDoc(key, entry) {
      docs.set(key, entry);
    },
    dayDone: (host, date) => `${host}/${date}` in state.days,
    recordDay(host, date, rows) {
      state.days[`${host}/${date}`] = { rows };
    },
    forgetDay(host, date) {
      delete state.days[`${host}/${date}`];
    },
    async save() {
      state.docs = Object.fromEntries(docs);
      await writeFileAtomic(path, `${JSON.stringify(state)}\n`);
    },
  };
}

async function readState(path: string): Promise<CheckpointFile | null> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
  let parsed: Partial<CheckpointFile>;
  try {
    parsed = JSON.parse(text) as Partial<CheckpointFile>;
  } catch (error) {
    throw damaged(path, error);
  }
  if (parsed.version !== 1 || typeof parsed.docs !== 'object' || typeof parsed.days !== 'object') {
    throw damaged(path);
  }
  return parsed as CheckpointFile;
}

function damaged(path: string, cause?: unknown): AppError {
  return new AppError(
    'EXPORT_CHECKPOINT_UNREADABLE',
    `The export state ${path} is damaged or from another version`,
    'Delete it to export everything again (the files in the folder are rewritten, none is duplicated).',
    { cause },
  );
}
