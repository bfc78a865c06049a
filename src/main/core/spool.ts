import { createHash } from 'node:crypto';
import { readdir, readFile, rename, stat, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { gunzip as gunzipCallback } from 'node:zlib';
import { AppError, toError } from '../../shared/errors';
import { syncDir, writeFileAtomic } from '../../shared/fs/atomic-file';
import { makeFolder } from '../../shared/fs/make-folder';
import { type Anchor, isAnchorList } from './resume-anchors';
import { isHex, isOffset, isRecord, readStateJson, shown } from './state-file';

const gunzip = promisify(gunzipCallback);
/**
 * zlib's output pieces for a batch (gzip and gunzip), instead of its 16 KiB default: each piece is a hop from libuv's
 * pool back to this thread, which is busy reading and cutting the next lines meanwhile, so each waited for a turn of
 * that work. An 8 MiB batch: its gzip (≈ 0.5 MB) in one piece, its gunzip in 8 (figures where they are used).
 */
export const ZLIB_PIECE_BYTES = 1 << 20;

/**
 * Sealed batches waiting for the store, as files: `spool/<batchId>.csv[.gz]` (the exact body to PUT) and
 * `spool/<batchId>.json` (its manifest, written last: a batch is in the spool once its manifest exists).
 *
 *   const spool = await openSpool({ dir: '/state/spool', capBytes: 512 << 20 })
 *   spool.findings → [{ kind: 'orphan-body', name: 'ab12-0-4096.csv.gz', … }]   (what the folder held that is not
 *                    a whole batch: nothing is deleted for it, spool-repair.ts decides)
 *   await spool.add(manifest, gzippedBody) → []            (or the oldest manifests dropped to make room)
 *   spool.list()                            → [manifest, …] oldest first
 *   await spool.read('ab12-0-4096')         → the body, checked against the manifest (size, sha256) or
 *                                             AppError SPOOL_BODY_DAMAGED / SPOOL_BODY_MISSING
 *   await spool.readChecked('ab12-0-4096')  → { body, raw }: the same, plus the log bytes the check gunzipped (a
 *                                             batch just added with its raw bytes: from memory, no read, no check)
 *   await spool.setAside('ab12-0-4096')     → its files moved to spool/damaged/ (kept, never sent)
 *   await spool.remove('ab12-0-4096')       (after the store confirmed it)
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
  /** What a restart checks the log against at `end` (see checkpoint.ts); absent in manifests before version 2. */
  tail?: { length: number; sha256: string };
  lastRow?: { local: string; sha256: string; t?: number } | null;
  /** The instant the agent gave the first row (ISO), stored as metadata `first-utc`; absent before it was kept. */
  firstUtc?: string | null;
  /** The range's last lines by place and hash (resume-anchors.ts); absent in manifests written before them. */
  anchors?: Anchor[];
  /** The checkpoint's generation when this batch was cut (its id ends in `-g<n>` when > 0). */
  generation?: number;
}

/** What openSpool found that is not a whole batch. */
export type SpoolFinding =
  /** A body without a (valid) manifest: its range was sealed, or was about to be. */
  | { kind: 'orphan-body'; name: string; batchId: string; compressed: boolean }
  /** A manifest that is no manifest (garbage, wrong types, a key that leaves raw/); set aside already. */
  | { kind: 'damaged-manifest'; name: string; problem: string; keptAs: string }
  /** A manifest whose body is missing or has the wrong size. */
  | { kind: 'damaged-body'; name: string; manifest: SpoolManifest; problem: string }
  /** A file that is no part of any batch: left alone. */
  | { kind: 'junk'; name: string };

export interface Spool {
  /**
   * `raw`: the log bytes `body` was made from, when the caller has them: the spool keeps the last FRESH_BATCHES
   * batches added in memory, and readChecked() answers for them without reading the file back and checking it
   * (the bytes were written from this memory a moment ago). The caller must not change them afterwards.
   */
  add(manifest: Omit<SpoolManifest, 'seq'>, body: Uint8Array, raw?: Buffer): Promise<SpoolManifest[]>;
  list(): SpoolManifest[];
  get(batchId: string): SpoolManifest | undefined;
  read(batchId: string): Promise<Buffer>;
  /** read(), and the log bytes it checked the body against (the body itself when not compressed). */
  readChecked(batchId: string): Promise<{ body: Buffer; raw: Buffer }>;
  remove(batchId: string): Promise<void>;
  /** Moves a batch's files (or a stray body) to spool/damaged/: never sent, never deleted. Returns where. */
  setAside(batchIdOrName: string): Promise<string>;
  /** The furthest sealed end for a file (null when none is spooled): recovery after a crash. */
  maxEndFor(fileId: string): number | null;
  readonly findings: SpoolFinding[];
  readonly dir: string;
  readonly bytes: number;
  /** The batches' bytes before compression (as the log holds them, with prepended headers). */
  readonly rawBytes: number;
  readonly count: number;
  readonly capBytes: number;
}

export const BATCH_ID = /^([0-9a-f]{12})-(\d+)-(\d+)(?:-g(\d+))?$/;
const BODY = /^(.+)\.csv(\.gz)?$/;
const DAMAGED_DIR = 'damaged';
/** Batches the spool keeps in memory after adding them (a one-shot upload sends each moments after sealing it). */
export const FRESH_BATCHES = 2;

/** `inspect`: only look (for `gpuz-cloud repair` without --yes): nothing is moved or deleted. */
export async function openSpool(options: {
  dir: string;
  capBytes: number;
  inspect?: boolean;
}): Promise<Spool> {
  const { dir, capBytes } = options;
  const manifests = new Map<string, SpoolManifest>();
  const findings: SpoolFinding[] = [];
  const names = await readdir(dir).catch(() => [] as string[]);
  const bodyPath = (m: Pick<SpoolManifest, 'batchId' | 'compressed'>) =>
    join(dir, `${m.batchId}.${m.compressed ? 'csv.gz' : 'csv'}`);

  async function moveAside(name: string): Promise<string> {
    if (options.inspect) return join(dir, DAMAGED_DIR, name);
    await makeFolder(join(dir, DAMAGED_DIR));
    const target = join(dir, DAMAGED_DIR, name);
    await rename(join(dir, name), target);
    return target;
  }

  for (const name of names.filter((n) => n.endsWith('.json') && !n.startsWith('.'))) {
    const batchId = name.slice(0, -'.json'.length);
    let problem: string | null;
    let data: unknown;
    try {
      data = await readStateJson(join(dir, name));
      problem = manifestProblem(data, batchId);
    } catch (error) {
      problem = toError(error).message.replace(/^.* is damaged: /, '');
    }
    if (problem === null) {
      const manifest = data as SpoolManifest;
      const size = await stat(bodyPath(manifest)).then(
        (info) => info.size,
        () => null,
      );
      if (size === manifest.storedBytes) manifests.set(batchId, manifest);
      else {
        const what =
          size === null ? 'its body is missing' : `its body has ${size} bytes, not ${manifest.storedBytes}`;
        findings.push({ kind: 'damaged-body', name, manifest, problem: what });
      }
    } else {
      findings.push({ kind: 'damaged-manifest', name, problem, keptAs: await moveAside(name) });
    }
  }
  for (const name of names) {
    if (name.startsWith('.') && name.endsWith('.tmp')) {
      // An atomic write that did not finish: the file it was for was never renamed into place.
      if (!options.inspect) await unlink(join(dir, name)).catch(() => undefined);
      continue;
    }
    if (name.endsWith('.json') || name === DAMAGED_DIR) continue;
    const body = BODY.exec(name);
    const batchId = body?.[1];
    if (body && batchId && BATCH_ID.test(batchId)) {
      const damagedBody = findings.some((f) => f.kind === 'damaged-body' && f.manifest.batchId === batchId);
      if (!manifests.has(batchId) && !damagedBody) {
        findings.push({ kind: 'orphan-body', name, batchId, compressed: body[2] !== undefined });
      }
    } else {
      findings.push({ kind: 'junk', name });
    }
  }
  let seq = Math.max(0, ...[...manifests.values()].map((m) => m.seq)) + 1;
  const sorted = () => [...manifests.values()].sort((a, b) => a.seq - b.seq);
  /** A sum over the batches (no order needed: `total` runs once per batch dropped at the cap). */
  const sumOf = (field: 'storedBytes' | 'rawBytes') => {
    let sum = 0;
    for (const m of manifests.values()) sum += m[field];
    return sum;
  };
  const total = () => sumOf('storedBytes');

  /** Batches just added, with the bytes they were written from (oldest first, at most FRESH_BATCHES). */
  const fresh = new Map<string, { body: Buffer; raw: Buffer }>();

  async function readChecked(batchId: string): Promise<{ body: Buffer; raw: Buffer }> {
    const manifest = manifests.get(batchId);
    if (!manifest) throw new Error(`Batch ${batchId} is not in the spool`);
    const kept = fresh.get(batchId);
    if (kept) {
      // Handed out once: the caller may move the raw bytes to another thread.
      fresh.delete(batchId);
      return kept;
    }
    const body = await readFile(bodyPath(manifest)).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'ENOENT') throw error;
      throw new AppError('SPOOL_BODY_MISSING', `${bodyPath(manifest)} is missing`);
    });
    const checked = await checkBody(manifest, body);
    if (typeof checked === 'string') {
      throw new AppError('SPOOL_BODY_DAMAGED', `${bodyPath(manifest)} is damaged: ${checked}`);
    }
    return { body, raw: checked };
  }

  async function remove(batchId: string): Promise<void> {
    const manifest = manifests.get(batchId);
    if (!manifest) return;
    manifests.delete(batchId);
    fresh.delete(batchId);
    await unlink(join(dir, `${batchId}.json`)).catch(() => undefined);
    await unlink(bodyPath(manifest)).catch(() => undefined);
  }

  return {
    async add(input, body, raw) {
      const dropped: SpoolManifest[] = [];
      for (const oldest of sorted()) {
        if (total() + body.byteLength <= capBytes) break;
        if (oldest.batchId === input.batchId) continue;
        dropped.push(oldest);
        await remove(oldest.batchId);
      }
      const manifest: SpoolManifest = { ...input, seq: manifests.get(input.batchId)?.seq ?? seq++ };
      await writeFileAtomic(bodyPath(manifest), body);
      try {
        await writeFileAtomic(join(dir, `${manifest.batchId}.json`), `${JSON.stringify(manifest)}\n`);
      } catch (error) {
        // Not in the spool (no manifest): its body goes too, or the next start would adopt it as an orphan while
        // the caller cuts its lines again into another batch (the same rows twice).
        if (!manifests.has(manifest.batchId)) await unlink(bodyPath(manifest)).catch(() => undefined);
        throw error;
      }
      manifests.set(manifest.batchId, manifest);
      fresh.delete(manifest.batchId);
      if (raw) {
        fresh.set(manifest.batchId, {
          body: Buffer.from(body.buffer, body.byteOffset, body.byteLength),
          raw,
        });
        for (const old of fresh.keys()) if (fresh.size > FRESH_BATCHES) fresh.delete(old);
      }
      return dropped;
    },
    list: sorted,
    get: (batchId) => manifests.get(batchId),
    async read(batchId) {
      return (await readChecked(batchId)).body;
    },
    readChecked,
    async remove(batchId) {
      await remove(batchId);
      await syncDir(dir).catch(() => undefined);
    },
    async setAside(batchIdOrName) {
      const manifest = manifests.get(batchIdOrName);
      const files = manifest
        ? [`${manifest.batchId}.json`, bodyPath(manifest).slice(dir.length + 1)]
        : [batchIdOrName];
      manifests.delete(batchIdOrName);
      fresh.delete(batchIdOrName);
      for (const name of files) await moveAside(name).catch(() => undefined);
      return join(dir, DAMAGED_DIR);
    },
    maxEndFor(fileId) {
      const ends = sorted()
        .filter((m) => m.fileId === fileId)
        .map((m) => m.end);
      return ends.length > 0 ? Math.max(...ends) : null;
    },
    findings,
    dir,
    get bytes() {
      return total();
    },
    get rawBytes() {
      return sumOf('rawBytes');
    },
    get count() {
      return manifests.size;
    },
    capBytes,
  };
}

/** What is wrong with a body against its manifest (size, then the sha256 of the uncompressed bytes), or null. */
export async function bodyProblem(manifest: SpoolManifest, body: Buffer): Promise<string | null> {
  const checked = await checkBody(manifest, body);
  return typeof checked === 'string' ? checked : null;
}

/** The body's log bytes when it matches its manifest, else what is wrong (as bodyProblem). */
async function checkBody(manifest: SpoolManifest, body: Buffer): Promise<Buffer | string> {
  if (body.length !== manifest.storedBytes) return `${body.length} bytes, not ${manifest.storedBytes}`;
  let raw: Buffer;
  try {
    // 1 MiB output pieces instead of zlib's 16 KiB: an 8 MiB batch in 8 hops to the pool, not 512 (12 batches:
    // 0.55 s → 0.10 s wall, 0.24 s → 0.10 s CPU; the check runs before every upload).
    raw = manifest.compressed ? await gunzip(body, { chunkSize: ZLIB_PIECE_BYTES }) : body;
  } catch (error) {
    return `it does not decompress (${toError(error).message})`;
  }
  if (raw.length !== manifest.rawBytes) return `${raw.length} bytes uncompressed, not ${manifest.rawBytes}`;
  const sha = createHash('sha256').update(raw).digest('hex');
  return sha === manifest.sha256 ? raw : 'its sha256 is not the manifest’s';
}

const KEY = /^raw\/[a-z0-9][a-z0-9._-]{0,62}\/\d{4}\/\d{2}\/\d{2}\/([^/]+)\.csv(\.gz)?$/;

/** What is wrong with a parsed manifest (named `<batchId>.json`), or null. */
export function manifestProblem(data: unknown, batchId: string): string | null {
  if (!isRecord(data)) return `it holds ${shown(data)}, not a manifest`;
  if (data.version !== 1) return `version is ${shown(data.version)}`;
  if (data.batchId !== batchId) return `batchId is ${shown(data.batchId)}, not the file's name ${batchId}`;
  const id = BATCH_ID.exec(batchId);
  if (!id) return `${batchId} is not a batch id ({fileId}-{start}-{end})`;
  if (data.fileId !== id[1] || data.start !== Number(id[2]) || data.end !== Number(id[3]))
    return 'fileId, start or end differ from the batch id';
  const key = typeof data.key === 'string' ? KEY.exec(data.key) : null;
  if (!key || key[1] !== batchId || (key[2] !== undefined) !== (data.compressed === true))
    return `key is ${shown(data.key)}, not raw/{host}/{yyyy}/{mm}/{dd}/${batchId}.csv[.gz]`;
  for (const field of ['seq', 'rows', 'rawBytes', 'storedBytes'] as const)
    if (!isOffset(data[field])) return `${field} is ${shown(data[field])}, not a count`;
  if (!isHex(data.sha256, 64)) return `sha256 is ${shown(data.sha256)}`;
  if (typeof data.contentType !== 'string' || typeof data.timeZone !== 'string')
    return 'contentType or timeZone is not text';
  if (data.sessionHeader !== null && typeof data.sessionHeader !== 'string')
    return 'sessionHeader is not text';
  if (data.anchors !== undefined && !isAnchorList(data.anchors)) return `anchors is ${shown(data.anchors)}`;
  return null;
}
