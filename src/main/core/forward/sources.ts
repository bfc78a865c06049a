import { createHash } from 'node:crypto';
import { readdir, readFile, stat } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { GetObjectCommand, paginateListObjectsV2, S3Client, type S3ClientConfig } from '@aws-sdk/client-s3';
import type { ListedObject, Store } from '../store/types';

/**
 * Where `forward` reads processed objects: the part of a Store it needs (list + get).
 *
 *   createS3Source({ bucket: 'gpuz-processed', region: 'eu-central-1', profile: 'home' })
 *   createFolderSource('D:/gpuz-store')      // the local store: one file per key below the folder
 */
export type ProcessedSource = Pick<Store, 'list' | 'get' | 'description'>;

export function createS3Source(options: {
  bucket: string;
  endpoint?: string;
  region?: string;
  profile?: string;
}): ProcessedSource {
  const config: S3ClientConfig = {
    ...(options.region ? { region: options.region } : {}),
    ...(options.profile ? { profile: options.profile } : {}),
    ...(options.endpoint
      ? {
          endpoint: options.endpoint,
          forcePathStyle: true,
          requestChecksumCalculation: 'WHEN_REQUIRED',
          responseChecksumValidation: 'WHEN_REQUIRED',
        }
      : {}),
  };
  const s3 = new S3Client(config);
  return {
    description: `s3://${options.bucket}`,
    async list(prefix) {
      const objects: ListedObject[] = [];
      for await (const page of paginateListObjectsV2(
        { client: s3 },
        { Bucket: options.bucket, Prefix: prefix },
      )) {
        for (const o of page.Contents ?? []) {
          objects.push({
            key: o.Key!,
            size: o.Size ?? 0,
            etag: o.ETag ?? '',
            lastModified: o.LastModified ?? new Date(0),
          });
        }
      }
      return objects.sort((a, b) => (a.key < b.key ? -1 : 1));
    },
    async get(key) {
      const response = await s3.send(new GetObjectCommand({ Bucket: options.bucket, Key: key }));
      const body = await response.Body!.transformToByteArray();
      return { body, etag: response.ETag ?? '', metadata: response.Metadata ?? {} };
    },
  };
}

export function createFolderSource(root: string): ProcessedSource {
  return {
    description: root,
    async list(prefix) {
      const files = await walk(join(root, ...prefix.split('/').filter(Boolean)));
      const objects: ListedObject[] = [];
      for (const file of files) {
        const key = relative(root, file).split(sep).join('/');
        if (!key.startsWith(prefix)) continue;
        const info = await stat(file);
        objects.push({ key, size: info.size, etag: fileTag(info), lastModified: info.mtime });
      }
      return objects.sort((a, b) => (a.key < b.key ? -1 : 1));
    },
    async get(key) {
      const file = join(root, ...key.split('/'));
      try {
        const [body, info] = await Promise.all([readFile(file), stat(file)]);
        return { body, etag: fileTag(info), metadata: {} };
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
        throw error;
      }
    },
  };
}

/** A change tag for a file: size + mtime (hashing every file on every run would read them all). */
function fileTag(info: { size: number; mtimeMs: number }): string {
  return `"${createHash('sha1').update(`${info.size}:${info.mtimeMs}`).digest('hex').slice(0, 16)}"`;
}

async function walk(dir: string): Promise<string[]> {
  let entries: import('node:fs').Dirent[];
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  const nested = await Promise.all(
    entries.map((entry) =>
      entry.isDirectory() ? walk(join(dir, entry.name)) : Promise.resolve([join(dir, entry.name)]),
    ),
  );
  return nested.flat();
}
