import { readdir, readFile, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { readJsonFile, syncDir, writeFileAtomic } from './atomic-file';

/**
 * Sealed batches waiting for the store, as files: `spool/<batchId>.csv[.gz]` (the exact body to PUT) and
 * `spool/<batchId>.json` (its manifest, written last: a batch is in the spool once its manifest exists).
 *
 *   const spool = await openSpool({ dir: '/state/spool', capBytes: 512 << 20 })
 *   await spool.add(manifest, gzippedBody) → []            (or the oldest manifests dropped to make room)
 *   spool.list()                            → [manifest, …] oldest first
 *   await spool.remove('3f9a0c2e7b11-0-4096')              (after the store confirmed it)
 */
export interface SpoolManifest {
  version: 1;
  batchId: string;
  key: string;
  fileId: string;
  start: number;
  end: number;
  /** Order of sealing (oldest first); drops and uploads follow it. */
  seq: number;
  rows: number;
  firstLocal: string | null;
  lastLocal: string | null;
  /** Bytes before compression (prepended header + range). */
  rawBytes: number;
  storedBytes: number;
  /** sha256 of the raw bytes (S3 metadata, so anyone can verify the object against the log). */
  sha256: string;
  compressed: boolean;
  contentType: string;
  encoding: string | null;
  timeZone: string;
  /** The header in effect at `end` (latin1), so a crash right after spooling resumes with it. */
  sessionHeader: string | null;
  sealedAt: string;
}

export interface Spool {
  add(manifest: Omit<SpoolManifest, 'seq'>, body: Uint8Array): Promise<SpoolManifest[]>;
  list(): SpoolManifest[];
  get(batchId: string): SpoolManifest | undefined;
  read(batchId: string): Promise<Buffer>;
  remove(batchId: string): Promise<void>;
  /** The furthest sealed end for a file (null when none is spooled): recovery after a crash. */
  maxEndFor(fileId: string): number | null;
  readonly bytes: number;
  readonly count: number;
  readonly capBytes: number;
}

export async function openSpool(options: { dir: string; capBytes: number }): Promise<Spool> {
  const { dir, capBytes } = options;
  const manifests = new Map<string, SpoolManifest>();
  const names = await readdir(dir).catch(() => [] as string[]);
  for (const name of names.filter((n) => n.endsWith('.json') && !n.startsWith('.'))) {
    const manifest = await readJsonFile<SpoolManifest | null>(join(dir, name), null);
    if (manifest?.version === 1) manifests.set(manifest.batchId, manifest);
  }
  // Bodies without a manifest were being written when the process died: their range was never sealed.
  for (const name of names) {
    const isBody = name.endsWith('.csv') || name.endsWith('.csv.gz');
    const isTemp = name.startsWith('.') && name.endsWith('.tmp');
    if ((isBody && !manifests.has(name.replace(/\.csv(\.gz)?$/, ''))) || isTemp) {
      await unlink(join(dir, name)).catch(() => undefined);
    }
  }
  let seq = Math.max(0, ...[...manifests.values()].map((m) => m.seq)) + 1;
  const bodyPath = (m: Pick<SpoolManifest, 'batchId' | 'compressed'>) =>
    join(dir, `${m.batchId}.${m.compressed ? 'csv.gz' : 'csv'}`);
  const sorted = () => [...manifests.values()].sort((a, b) => a.seq - b.seq);
  const total = () => sorted().reduce((sum, m) => sum + m.storedBytes, 0);

  async function remove(batchId: string): Promise<void> {
    const manifest = manifests.get(batchId);
    if (!manifest) return;
    manifests.delete(batchId);
    await unlink(join(dir, `${batchId}.json`)).catch(() => undefined);
    await unlink(bodyPath(manifest)).catch(() => undefined);
  }

  return {
    async add(input, body) {
      const dropped: SpoolManifest[] = [];
      for (const oldest of sorted()) {
        if (total() + body.byteLength <= capBytes) break;
        if (oldest.batchId === input.batchId) continue;
        dropped.push(oldest);
        await remove(oldest.batchId);
      }
      const manifest: SpoolManifest = { ...input, seq: manifests.get(input.batchId)?.seq ?? seq++ };
      await writeFileAtomic(bodyPath(manifest), body);
      await writeFileAtomic(join(dir, `${manifest.batchId}.json`), `${JSON.stringify(manifest)}\n`);
      manifests.set(manifest.batchId, manifest);
      return dropped;
    },
    list: sorted,
    get: (batchId) => manifests.get(batchId),
    async read(batchId) {
      const manifest = manifests.get(batchId);
      if (!manifest) throw new Error(`Batch ${batchId} is not in the spool`);
      return readFile(bodyPath(manifest));
    },
    async remove(batchId) {
      await remove(batchId);
      await syncDir(dir).catch(() => undefined);
    },
    maxEndFor(fileId) {
      const ends = sorted()
        .filter((m) => m.fileId === fileId)
        .map((m) => m.end);
      return ends.length > 0 ? Math.max(...ends) : null;
    },
    get bytes() {
      return total();
    },
    get count() {
      return manifests.size;
    },
    capBytes,
  };
}
