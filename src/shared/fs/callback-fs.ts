/**
 * Promise forms of the callback fs API for the hot small-file paths (a month of charts reads and writes thousands
 * of files of ≈ 60 KB and their sidecars of ≈ 200 B):
 *   const body = await readFileCb(path)            // Buffer
 *   await writeFileCb(path, [head, body])          // one write of both, no concatenation
 * `fs/promises` does the same work through a FileHandle object per call (created, tracked, closed through more
 * round trips to the thread pool): reading 1,440 such files took ≈ 190 ms of CPU that way against ≈ 125 ms
 * with the callback API (node 22, this machine; docs/benchmarks.md, Dashboard). Same semantics, still asynchronous:
 * the files may live on a network drive, so no synchronous calls.
 */
import { close, open, read, readFile, stat, writev } from 'node:fs';
import { promisify } from 'node:util';

export const readFileCb = promisify(readFile);
export const statCb = promisify(stat);

const openCb = promisify(open);
const writevCb = promisify(writev);
const closeCb = promisify(close);
const readCb = promisify(read);

/** The first `length` bytes of `path` (fewer when the file is shorter). */
export async function readPrefixCb(path: string, length: number): Promise<Buffer> {
  const fd = await openCb(path, 'r');
  try {
    const buffer = Buffer.allocUnsafe(length);
    let got = 0;
    while (got < length) {
      const { bytesRead } = await readCb(fd, buffer, got, length - got, got);
      if (bytesRead === 0) break;
      got += bytesRead;
    }
    return buffer.subarray(0, got);
  } finally {
    await closeCb(fd);
  }
}

/**
 * Creates or replaces `path` with the buffers one after the other, in one writev (not atomic: for cache copies,
 * whose readers check the length they record). A short write (a full drive) throws.
 */
export async function writeFileCb(path: string, buffers: NodeJS.ArrayBufferView[]): Promise<void> {
  const fd = await openCb(path, 'w');
  try {
    const total = buffers.reduce((sum, b) => sum + b.byteLength, 0);
    const { bytesWritten: written } = await writevCb(fd, buffers);
    if (written < total) throw new Error(`${path}: wrote ${written} of ${total} bytes`);
  } finally {
    await closeCb(fd);
  }
}
