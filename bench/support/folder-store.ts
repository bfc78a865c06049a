/**
 * A read-only Store over a folder with the local store's key layout, counting requests, for the benchmark
 * (ETag = size + mtime, as a file store would give):
 *   const store = createFolderStore(dir); await store.list('processed/pc/') → [{ key, etag, size, lastModified }]
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import type { ListedObject, Store } from '../../src/main/core/store/types';

export function createFolderStore(root: string): Store & { requests: { get: number; list: number } } {
  const requests = { get: 0, list: 0 };
  const etagOf = (size: number, mtime: Date) => `"${size.toString(16)}-${mtime.getTime().toString(16)}"`;
  return {
    kind: 'local',
    description: root,
    requests,
    async put() {
      throw new Error('read-only benchmark store');
    },
    async get(key) {
      requests.get += 1;
      const path = join(root, key);
      const [body, info] = await Promise.all([readFile(path), stat(path)]).catch(() => [null, null] as const);
      return body && info ? { body, etag: etagOf(info.size, info.mtime), metadata: {} } : null;
    },
    async listFolders(prefix) {
      requests.list += 1;
      const entries = await readdir(join(root, prefix), { withFileTypes: true }).catch(() => []);
      return entries
        .filter((e) => e.isDirectory())
        .map((e) => e.name)
        .sort();
    },
    async list(prefix) {
      requests.list += 1;
      const entries = await readdir(join(root, prefix), { recursive: true, withFileTypes: true }).catch(
        () => [],
      );
      const objects: ListedObject[] = [];
      for (const entry of entries) {
        if (!entry.isFile()) continue;
        const path = join(entry.parentPath, entry.name);
        const info = await stat(path);
        const key = relative(root, path).split(sep).join('/');
        objects.push({ key, size: info.size, etag: etagOf(info.size, info.mtime), lastModified: info.mtime });
      }
      return objects.sort((a, b) => (a.key < b.key ? -1 : 1));
    },
  };
}
