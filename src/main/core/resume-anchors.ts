import { createHash } from 'node:crypto';
import { forEachLine } from './log-lines';

/**
 * The last complete lines before a claimed offset, each by its place in the log and a hash of its bytes: how a
 * restart finds, by content alone, how much of what it sealed the log still holds after a power cut cut or
 * NUL-filled its end — without comparing time stamps (GPU-Z logs local time: in the repeated hour of a DST
 * fall-back, or after the clock is set back, later rows carry earlier stamps).
 *
 *   anchorsOf(rangeBytes, 333_882)                 → [[333882, 558, '9f2c…'], [334440, 558, '41ab…'], …]  (≤ 256)
 *   joinAnchors(checkpoint.anchors, batch.anchors) → the older ones kept when the batch follows them directly
 *   await anchoredEnd(read, anchors)               → 334998  (the lines up to there are still in the log, byte for
 *                                                             byte, where they were; the next one is not)
 *                                                 → null    (not even the oldest line is: the damage reaches further)
 *
 * A line counts only at its own place: the same bytes elsewhere (a repeated reading) are never taken for it.
 */
export type Anchor = [at: number, length: number, sha256: string];

/** How many lines back an anchor list reaches: ~4 minutes of a 1 s GPU-Z log, far more than a power cut loses. */
export const ANCHOR_LINES = 256;
/** Hex digits kept of each line's sha256 (64 bits: a line is only ever compared with the bytes at its own place). */
const HASH_DIGITS = 16;
const LF = 0x0a;

/** The complete lines of `range` (which starts at byte `start` of the log), the last ANCHOR_LINES of them. */
export function anchorsOf(range: Buffer, start: number): Anchor[] {
  // Found from the end: only the last ANCHOR_LINES lines are hashed (an 8 MiB batch holds ≈ 15,000).
  let lf = range.lastIndexOf(LF);
  for (let lines = 0; lf >= 0 && lines < ANCHOR_LINES; lines++)
    lf = lf > 0 ? range.lastIndexOf(LF, lf - 1) : -1;
  const first = lf + 1;
  const tail = range.subarray(first);
  const anchors: Anchor[] = [];
  forEachLine(tail, (from, to) => {
    anchors.push([start + first + from, to - from, lineHash(tail.subarray(from, to))]);
  });
  return anchors;
}

/** `next` after `older` when it starts where they end (a gap — damaged bytes, another file — starts afresh). */
export function joinAnchors(older: readonly Anchor[] | null, next: readonly Anchor[]): Anchor[] {
  const last = older?.[older.length - 1];
  const first = next[0];
  if (!older || !last || !first || last[0] + last[1] !== first[0]) return [...next];
  return [...older, ...next].slice(-ANCHOR_LINES);
}

/**
 * The end of the last line of the longest run of `anchors`, from the oldest, that the log still holds at the same
 * place; null when the oldest already differs (or there are none). `read(at, length)` reads the log (short at EOF).
 */
export async function anchoredEnd(
  read: (at: number, length: number) => Promise<Buffer>,
  anchors: readonly Anchor[],
): Promise<number | null> {
  let end: number | null = null;
  for (const [at, length, hash] of anchors) {
    const bytes = await read(at, length);
    if (bytes.length !== length || lineHash(bytes) !== hash) break;
    end = at + length;
  }
  return end;
}

/** Whether `value` is an anchor list as saved (for the checkpoint's and the manifest's shape checks). */
export function isAnchorList(value: unknown): value is Anchor[] {
  if (!Array.isArray(value) || value.length > ANCHOR_LINES) return false;
  let end = -1;
  for (const item of value) {
    if (!Array.isArray(item) || item.length !== 3) return false;
    const [at, length, hash] = item as unknown[];
    if (
      !Number.isSafeInteger(at) ||
      !Number.isSafeInteger(length) ||
      (at as number) < 0 ||
      (length as number) < 1
    )
      return false;
    if (typeof hash !== 'string' || !/^[0-9a-f]{16}$/.test(hash)) return false;
    if ((at as number) < end) return false;
    end = (at as number) + (length as number);
  }
  return true;
}

function lineHash(line: Uint8Array): string {
  return createHash('sha256').update(line).digest('hex').slice(0, HASH_DIGITS);
}
