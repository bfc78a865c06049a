import { createHash } from 'node:crypto';
import type { FileHandle } from 'node:fs/promises';
import { forEachLine, isBlankLine, isHeaderLine } from './log-lines';

/**
 * Which log is this? The sha256 of its first bytes up to the end of the first data line (header(s) + one
 * row): GPU-Z writes a timestamp in that row, so a new log (GPU-Z restarted, the file deleted and re-created,
 * truncated and rewritten) gets a new identity, while appends keep it.
 *
 *   await readIdentity(handle) → { fileId: '3f9a0c2e7b11', length: 412 }   (header + first row)
 *   await readIdentity(handle) → null                                       (no complete data line yet)
 *
 * Creation time alone is not enough on Windows: NTFS "tunnelling" gives a file re-created under the same
 * name within 15 s the old creation time.
 */
export interface FileIdentity {
  fileId: string;
  /** How many leading bytes the fingerprint covers. */
  length: number;
  fingerprint: string;
}

/** Header + a NUL run (seen after truncations: 40 KB in a real sample) must fit. */
const MAX_PREFIX = 1 << 20;

export async function readIdentity(handle: FileHandle, size: number): Promise<FileIdentity | null> {
  let want = Math.min(size, 64 * 1024);
  for (;;) {
    const { bytesRead, buffer } = await handle.read(Buffer.alloc(want), 0, want, 0);
    const prefix = buffer.subarray(0, bytesRead);
    const end = firstDataLineEnd(prefix);
    if (end > 0) return identityOf(prefix.subarray(0, end));
    if (bytesRead >= MAX_PREFIX) return identityOf(prefix);
    if (want >= size) return null;
    want = Math.min(size, want * 4, MAX_PREFIX);
  }
}

/** True when the file still starts with the bytes the identity was taken from. */
export async function hasIdentity(handle: FileHandle, identity: FileIdentity): Promise<boolean> {
  const { bytesRead, buffer } = await handle.read(Buffer.alloc(identity.length), 0, identity.length, 0);
  if (bytesRead < identity.length) return false;
  return fingerprintOf(buffer) === identity.fingerprint;
}

function identityOf(prefix: Buffer): FileIdentity {
  const fingerprint = fingerprintOf(prefix);
  return { fileId: fingerprint.slice(0, 12), length: prefix.length, fingerprint };
}

function fingerprintOf(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

function firstDataLineEnd(prefix: Buffer): number {
  let found = 0;
  forEachLine(prefix, (start, end) => {
    if (found > 0) return;
    const line = prefix.subarray(start, end);
    if (!isHeaderLine(line) && !isBlankLine(line)) found = end;
  });
  return found;
}
