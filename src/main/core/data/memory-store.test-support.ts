/**
 * An in-memory Store (our own interface) that counts requests, for unit tests of the data layer:
 *   const store = createCountingStore(); await store.put(k, body, opts); store.requests → { put: 1, get: 0, list: 0 }
 * A LIST counts its pages of 1,000 keys, as S3 bills them.
 */
import { createHash } from 'node:crypto';
import { withinRange } from '../store/key-range';
import type { KeyRange, ListedObject, PutOptions, Store, StoredObject } from '../store/types';

export function createCountingStore(): Store & { requests: { put: number; get: number; list: number } } {
  const objects = new Map<string, StoredObject & { lastModified: Date }>();
  const requests = { put: 0, get: 0, list: 0 };
  return {
    kind: 'local',
    description: 'memory',
    requests,
    async put(key: string, body: Uint8Array, options: PutOptions) {
      requests.put += 1;
      const etag = `"${createHash('md5').update(body).digest('hex')}"`;
      objects.set(key, { body, etag, metadata: options.metadata ?? {}, lastModified: new Date() });
      return { etag };
    },
    async get(key: string) {
      requests.get += 1;
      const object = objects.get(key);
      return object ? { body: object.body, etag: object.etag, metadata: object.metadata } : null;
    },
    async list(prefix: string, range?: KeyRange): Promise<ListedObject[]> {
      const sorted = [...objects.entries()]
        .filter(([key]) => key.startsWith(prefix))
        .sort(([a], [b]) => (a < b ? -1 : 1))
        .map(([key, o]) => ({ key, size: o.body.length, etag: o.etag, lastModified: o.lastModified }));
      const listed = withinRange(sorted, range);
      // Billed as S3 would: a request per page of 1,000 keys of the range (one for a first page).
      requests.list += range?.limit !== undefined ? 1 : Math.max(1, Math.ceil(listed.length / 1000));
      return listed;
    },
    async listFolders(prefix: string): Promise<string[]> {
      requests.list += 1;
      const names = new Set<string>();
      for (const key of objects.keys()) {
        const rest = key.startsWith(prefix) ? key.slice(prefix.length) : '';
        if (rest.includes('/')) names.add(rest.slice(0, rest.indexOf('/')));
      }
      return [...names].sort();
    },
  };
}
