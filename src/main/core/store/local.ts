import { createHash } from 'node:crypto';
import type { Dirent } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { isAbsolute, join, parse, relative, resolve, sep } from 'node:path';
import { AppError } from '../../../shared/errors';
import { readJsonFile, sweepStaleTempFiles, writeFileAtomic } from '../../../shared/fs/atomic-file';
import { readFileCb, statCb } from '../../../shared/fs/callback-fs';
import { pathExists } from '../../../shared/fs/path-exists';
import { folderMayHold, withinRange } from './key-range';
import { driveNotThere, localStoreError, storeFolderGone } from './local-errors';
import { createRequestCounts, type RequestCounts } from './request-counts';
import type { KeyRange, ListedObject, PutOptions, Store, StoredObject } from './types';

/**
 * A folder with the S3 key layout: the embedded default that needs no AWS account.
 *
 *   const store = createLocalStore({ root: 'D:/gpuz-store' })
 *   await store.put('raw/pc/2024/04/20/ab-0-9.csv.gz', body, { contentType: 'application/gzip' })
 *   → D:/gpuz-store/raw/pc/2024/04/20/ab-0-9.csv.gz  (+ D:/gpuz-store/.meta/raw/pc/…/ab-0-9.csv.gz.json)
 *
 * Objects are written atomically (temp, fsync, rename), so a crash never leaves half an object. Metadata
 * lives in a sidecar under `.meta/`, outside every listed prefix. File-system errors come out worded for a folder
 * (local-errors.ts: a file in its place, no access, a full or unplugged drive), never as the network.
 *
 * The folder is made at the first put, but only while it has never been there: once seen (or once the agent says
 * it held data, `expectRoot`), a missing folder is STORE_GONE, an outage, and is not made again. A drive that is
 * not mounted would otherwise take the writes on its empty mount point (Linux), or a folder deleted or moved while
 * the agent runs would be made anew with only the rows after it — the checkpoint saying the rest are stored.
 */
export interface LocalStore extends Store {
  readonly root: string;
  readonly requests: RequestCounts;
}

interface Sidecar {
  etag: string;
  contentType: string;
  contentEncoding?: string;
  metadata: Record<string, string>;
}

const META_DIR = '.meta';

export function createLocalStore(options: { root: string }): LocalStore {
  const root = resolve(options.root);
  const requests = createRequestCounts();
  /** The object's file; refuses (before anything is written) a key that would leave the folder or hide in .meta. */
  const pathOf = (key: string) => {
    const path = resolve(root, key);
    const segments = key.split(/[\\/]/);
    if (
      segments.some((s) => s === '..' || s === '') ||
      isAbsolute(key) ||
      key.startsWith(META_DIR) ||
      !path.startsWith(root + sep)
    ) {
      throw new AppError(
        'BAD_KEY',
        `The key "${key}" points outside the store folder ${root}`,
        'Nothing was written. A spool manifest with this key was edited or damaged: run `gpuz-cloud repair`.',
      );
    }
    return path;
  };
  const sidecarOf = (key: string) => join(root, META_DIR, `${key}.json`);
  const keyOf = (path: string) => relative(root, path).split(sep).join('/');
  let rootSeen = false;
  /**
   * Before each request: the folder is there (now seen), never was (put makes it), or went away (STORE_GONE). A
   * request refused here is not counted: it touched nothing (an upload that waited out the drive said "PUT requests:
   * 11" with nothing stored).
   */
  const rootReady = async () => {
    const there = await statCb(root).then(
      () => true,
      (error: NodeJS.ErrnoException) => {
        if (error.code === 'ENOENT') return false;
        throw localStoreError(error, root);
      },
    );
    if (there) rootSeen = true;
    else if (rootSeen) throw storeFolderGone(root);
    // Never seen, and not even its drive is there (a USB drive not plugged in, a mapped network drive not yet
    // reconnected at login): the store cannot be asked what it holds. Before, a LIST said "nothing", so a start
    // without a checkpoint read the whole log again, and sent it again once the drive was back.
    else if (!(await pathExists(parse(root).root))) throw driveNotThere(root);
  };

  return {
    kind: 'local',
    description: root,
    root,
    requests,
    expectRoot() {
      rootSeen = true;
    },
    async put(key: string, body: Uint8Array, options: PutOptions) {
      const path = pathOf(key);
      await rootReady();
      requests.put += 1;
      const etag = `"${createHash('md5').update(body).digest('hex')}"`;
      const sidecar: Sidecar = { etag, contentType: options.contentType, metadata: options.metadata ?? {} };
      if (options.contentEncoding) sidecar.contentEncoding = options.contentEncoding;
      try {
        // Sidecar first: an object is never visible without its metadata (a crash leaves an orphan sidecar only).
        await writeFileAtomic(sidecarOf(key), `${JSON.stringify(sidecar)}\n`);
        await writeFileAtomic(path, body);
      } catch (error) {
        throw localStoreError(error, root);
      }
      rootSeen = true;
      return { etag };
    },
    async get(key: string): Promise<StoredObject | null> {
      await rootReady();
      requests.get += 1;
      let body: Buffer;
      try {
        body = await readFileCb(pathOf(key));
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
        throw localStoreError(error, root);
      }
      const sidecar = await readJsonFile<Partial<Sidecar>>(sidecarOf(key), {});
      const etag = sidecar.etag ?? `"${createHash('md5').update(body).digest('hex')}"`;
      return { body, etag, metadata: sidecar.metadata ?? {} };
    },
    async list(prefix: string, range?: KeyRange): Promise<ListedObject[]> {
      await rootReady();
      requests.list += 1;
      // Walk only the folder the prefix names (raw/pc/2024/ → that folder), not the whole store, and within it
      // only the folders that can hold a key of the range (a day's objects of a year: that day's folder).
      const base = join(root, prefix.slice(0, prefix.lastIndexOf('/') + 1));
      const files = await listFiles(base, (dir) => folderMayHold(`${keyOf(dir)}/`, range)).catch(
        (error: unknown) => {
          throw localStoreError(error, root);
        },
      );
      // A put cut by a kill or a power cut leaves its temp copy beside the objects: gone once it is stale.
      void sweepStaleTempFiles(files);
      const found = withinRange(
        files
          .map((path) => ({ path, key: keyOf(path) }))
          .filter(({ key }) => key.startsWith(prefix) && !key.startsWith(`${META_DIR}/`) && !isTemp(key))
          .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0)),
        range,
      );
      const listed = async ({ path, key }: { path: string; key: string }): Promise<ListedObject> => {
        const info = await statCb(path);
        const sidecar = await readJsonFile<Partial<Sidecar>>(sidecarOf(key), {});
        return {
          key,
          size: info.size,
          etag: sidecar.etag ?? `"${info.size.toString(16)}-${info.mtimeMs.toString(16)}"`,
          lastModified: info.mtime,
        };
      };
      return inTurns(found, LIST_IN_FLIGHT, listed);
    },
    async listFolders(prefix: string): Promise<string[]> {
      await rootReady();
      requests.list += 1;
      const dir = join(root, prefix);
      try {
        const entries = await readdir(dir, { withFileTypes: true });
        return entries
          .filter((e) => e.isDirectory() && !e.name.startsWith('.'))
          .map((e) => e.name)
          .sort();
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
        throw localStoreError(error, root);
      }
    },
  };
}

/**
 * Objects a LIST looks at together (a stat and the sidecar each): one at a time, a month of hourly objects (720)
 * took 0.43–0.68 s here with the sidecars real objects have.
 */
const LIST_IN_FLIGHT = 16;

/** `work` for every item, at most `inFlight` at a time; the results in the items' order. */
async function inTurns<T, R>(items: T[], inFlight: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await work(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(inFlight, items.length) }, worker));
  return results;
}

/** The files under `dir`, at any depth, leaving out the folders `enter` says no to (by their path). */
async function listFiles(dir: string, enter: (dir: string) => boolean): Promise<string[]> {
  let entries: Dirent[];
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  const files = entries.filter((e) => e.isFile()).map((e) => join(dir, e.name));
  const folders = entries.filter((e) => e.isDirectory()).map((e) => join(dir, e.name));
  for (const found of await Promise.all(folders.filter(enter).map((folder) => listFiles(folder, enter))))
    files.push(...found);
  return files;
}

function isTemp(key: string): boolean {
  const name = key.slice(key.lastIndexOf('/') + 1);
  return name.startsWith('.') && name.endsWith('.tmp');
}
