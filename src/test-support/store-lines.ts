/**
 * What a local store folder holds, read from the Linux side:
 *   storedLines('/…/drive_c/users/Jörg/GPU-Z Store') → { data: ['2024-04-20 13:02:09 , …\r\n', …], objects: 7, keys: […] }
 *   storedKeys(root, 'processed') → ['processed/joerg-pc/2024/04/20/fb24…-0-9080.json.gz', …]
 *   logDataLines(bytes) → the complete data lines of a log (headers and blank lines left out)
 *   lineStarts(bytes)   → where each line of a log starts: [0, 252, 501, …] (a cut at starts[i] keeps i lines)
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { isBlankLine, isHeaderLine } from '../main/core/log-lines';

export interface StoredLines {
  keys: string[];
  objects: number;
  data: string[];
}

export function storedLines(root: string): StoredLines {
  const keys = storedKeys(root, 'raw').filter((key) => /\.csv(\.gz)?$/.test(key));
  const data = keys.flatMap((key) => {
    const bytes = readFileSync(join(root, key));
    return logDataLines(key.endsWith('.gz') ? gunzipSync(bytes) : bytes);
  });
  return { keys, objects: keys.length, data };
}

export function storedKeys(root: string, prefix: string): string[] {
  const dir = join(root, prefix);
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name).slice(root.length + 1))
    .sort();
}

export function logDataLines(bytes: Buffer): string[] {
  const lines: string[] = [];
  for (let start = 0; ; ) {
    const lf = bytes.indexOf(0x0a, start);
    if (lf < 0) break;
    const line = bytes.subarray(start, lf + 1);
    if (!isHeaderLine(line) && !isBlankLine(line)) lines.push(line.toString('latin1'));
    start = lf + 1;
  }
  return lines;
}

export function lineStarts(bytes: Buffer): number[] {
  const starts = [0];
  for (let at = bytes.indexOf(0x0a); at >= 0; at = bytes.indexOf(0x0a, at + 1)) starts.push(at + 1);
  return starts;
}
