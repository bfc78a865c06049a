import { createHash } from 'node:crypto';
import { forEachLine, isBlankLine, isHeaderLine } from './log-lines';

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
 *   const finder = anchorFinder(anchors); finder.visit(start, line) for every line of another file; finder.end()
 *                                                 → 91_204  (that file holds the anchored rows, at other places:
 *                                                             the log edited in an editor)
 *
 * In the log itself a line counts only at its own place: the same bytes elsewhere (a repeated reading) are never
 * taken for it. Only anchorFinder looks elsewhere, in a file with another identity.
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

/** Consecutive anchored lines a run needs before its last data row counts (fewer when there are fewer anchors). */
export const MIN_RUN = 4;
const CRLF = Buffer.from('\r\n');
const LF_ONLY = Buffer.from('\n');

/**
 * Finds `anchors` — the last lines sealed of another file — in a file with another identity, at any place and
 * whatever its line ends: a log edited in an editor (its first rows cut away to make it smaller, CRLF rewritten as
 * LF, or back) still holds the rows sealed from it. `visit` every complete line in order; `end()` is the end of the
 * newest anchored data row (later in the file on a tie) that closes a run of MIN_RUN or more consecutive anchored
 * lines (as many as there are anchors up to it, when fewer), or null.
 *
 * A data row carries its time stamp and every reading, so the same bytes are the same row; a header line alone
 * never counts (every log of that card starts with it).
 */
export function anchorFinder(anchors: readonly Anchor[]): {
  visit(start: number, line: Buffer): void;
  end(): number | null;
  /** The run's lines up to end(), at their places in this file and by its bytes: the anchors of a claim on it. */
  anchors(): Anchor[];
} {
  const byHash = new Map<string, number[]>();
  const lengths = new Set<number>();
  anchors.forEach(([, length, hash], index) => {
    byHash.set(hash, [...(byHash.get(hash) ?? []), index]);
    lengths.add(length);
  });
  let run: { next: number; lines: Anchor[] } | null = null;
  let best: { index: number; end: number; lines: Anchor[] } | null = null;
  /** The anchors this line is, in either line end (oldest first). */
  const matches = (line: Buffer): number[] => {
    const content = line.subarray(0, line.length - (line.at(-2) === 0x0d ? 2 : 1));
    const found: number[] = [];
    for (const ending of [CRLF, LF_ONLY]) {
      if (!lengths.has(content.length + ending.length)) continue;
      const hash = createHash('sha256').update(content).update(ending).digest('hex').slice(0, HASH_DIGITS);
      found.push(...(byHash.get(hash) ?? []));
    }
    return found;
  };
  return {
    visit(start, line) {
      if (line.at(-1) !== LF) return;
      const found = matches(line);
      if (found.length === 0) {
        run = null;
        return;
      }
      const goesOn = run !== null && found.includes(run.next);
      const index: number = run && goesOn ? run.next : Math.min(...found);
      const here: Anchor = [start, line.length, lineHash(line)];
      run = { next: index + 1, lines: run && goesOn ? [...run.lines, here].slice(-ANCHOR_LINES) : [here] };
      if (isHeaderLine(line) || isBlankLine(line) || run.lines.length < Math.min(MIN_RUN, index + 1)) return;
      if (!best || index >= best.index) best = { index, end: start + line.length, lines: run.lines };
    },
    end: () => best?.end ?? null,
    anchors: () => [...(best?.lines ?? [])],
  };
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
