import { createHash } from 'node:crypto';
import { type FileHandle, open } from 'node:fs/promises';
import { createLogParser } from '../../shared/parse';
import { TAIL_BYTES } from './batch';
import { damagedPrefixLength, forEachLine, headerToPrepend, isBlankLine, isHeaderLine } from './log-lines';
import { type Anchor, anchoredEnd, anchorFinder } from './resume-anchors';

/**
 * Where to read a log on from, given what the agent claims to have sealed of it (checkpoint, spool or store):
 *
 *   await findResumePoint(log, { offset: 4096, tail: { length: 4096, sha256 }, lastRow, sessionHeader, … })
 *   → { offset: 4096, verified: true, header, before }             the bytes before 4096 are the ones sealed
 *   → { offset: 3540, verified: false, reason: 'shrunk', … }       the log is shorter now (a power loss cut its
 *                                                                   tail, GPU-Z wrote a new session after it)
 *
 * When the bytes under the offset are not the ones sealed (shrunk, a NUL-filled tail, cleared, replaced by a file
 * with the same first row, a hand-edited offset), the offset means nothing, and the resume point is found by
 * content, in this order:
 *   1. anchors (resume-anchors.ts): the claim's last ≤ 256 lines, each checked at its own place; reading resumes
 *      after the last line of the run the log still holds, byte for byte — no time stamp is compared, so the
 *      repeated hour of a DST fall-back or a clock set back changes nothing;
 *   2. when even the oldest anchored line is gone (the damage reaches further back, or a claim written before
 *      anchors): the log is read from its start and reading resumes at the longest end of the file whose rows are
 *      all later than `lastRow` (a row of the same second counts as new only after the stored row's own line) —
 *      this one relies on GPU-Z's clock moving on.
 * Never before a stored row (no duplicate), never after a new one (no loss), always at a line (or a header after a
 * damaged line's broken start).
 */
export interface ResumeClaim {
  offset: number;
  /** sha256 of the `length` bytes before offset; null for claims written before version 2 (line boundary only). */
  tail: { length: number; sha256: string } | null;
  lastRow: { local: string; sha256: string; t?: number } | null;
  /** The last lines before offset by place and hash; null for claims written before checkpoint version 3. */
  anchors: Anchor[] | null;
  /** The header in effect at offset (latin1). */
  sessionHeader: string | null;
}

export interface ResumePoint {
  offset: number;
  verified: boolean;
  /** Why the claim did not hold (for the person: status, events). */
  reason: 'none' | 'shrunk' | 'rewritten';
  /** How the point was found when the claim did not hold: by the anchored lines, or by time stamps (the fallback). */
  foundBy: 'claim' | 'anchors' | 'time' | 'line';
  /** The claim's anchored lines the log still holds up to offset (joined with the next batch's). */
  anchors: Anchor[];
  /** The header in effect at offset, to prepend to a batch that starts there (null: it starts with its own). */
  header: Buffer | null;
  /** The file's bytes just before offset (≤ 4 KiB), for the tailer's check. */
  before: Buffer;
}

export async function findResumePoint(path: string, claim: ResumeClaim | null): Promise<ResumePoint> {
  const handle = await open(path, 'r');
  try {
    const size = (await handle.stat()).size;
    if (!claim) {
      return {
        offset: 0,
        verified: true,
        reason: 'none',
        foundBy: 'claim',
        anchors: [],
        header: null,
        before: Buffer.alloc(0),
      };
    }
    const at = claim.offset;
    if (at <= size) {
      const before = await readRange(handle, Math.max(0, at - TAIL_BYTES), at);
      if (holds(before, claim)) {
        const header = claim.sessionHeader === null ? null : Buffer.from(claim.sessionHeader, 'latin1');
        return {
          offset: at,
          verified: true,
          reason: 'none',
          foundBy: 'claim',
          anchors: claim.anchors ?? [],
          header,
          before,
        };
      }
    }
    const anchored = claim.anchors
      ? await anchoredEnd((from, length) => readRange(handle, from, from + length), claim.anchors)
      : null;
    const found =
      anchored !== null
        ? { offset: anchored, header: await lastHeaderBefore(handle, anchored), foundBy: 'anchors' as const }
        : claim.lastRow === null
          ? { ...(await lineStartBefore(handle, Math.min(at, size))), foundBy: 'line' as const }
          : { ...(await scanForNewRows(handle, size, claim.lastRow)), foundBy: 'time' as const };
    return {
      offset: found.offset,
      verified: false,
      reason: at > size ? 'shrunk' : 'rewritten',
      foundBy: found.foundBy,
      anchors:
        anchored === null ? [] : (claim.anchors ?? []).filter(([from, length]) => from + length <= anchored),
      header: found.header,
      before: await readRange(handle, Math.max(0, found.offset - TAIL_BYTES), found.offset),
    };
  } finally {
    await handle.close();
  }
}

/**
 * Where to read a log with no claim of its own on from, when it holds the anchored lines of the log read before it
 * at other places (resume-anchors.ts `anchorFinder`): a log edited in an editor — its first rows cut away, its line
 * ends rewritten — gets another identity, yet its rows up to those lines are stored. Null when it does not hold
 * them (GPU-Z began a new log; an older log, pointed at on purpose): read from its start. Reads the whole file once.
 *
 *   await findEditedResumePoint(log, checkpoint.anchors) → { offset: 91_204, verified: false, foundBy: 'anchors', … }
 */
export async function findEditedResumePoint(
  path: string,
  anchors: readonly Anchor[],
): Promise<ResumePoint | null> {
  if (anchors.length === 0) return null;
  const handle = await open(path, 'r');
  try {
    const finder = anchorFinder(anchors);
    await forEachFileLine(handle, (await handle.stat()).size, (start, line) => finder.visit(start, line));
    const offset = finder.end();
    if (offset === null) return null;
    return {
      offset,
      verified: false,
      reason: 'rewritten',
      foundBy: 'anchors',
      anchors: finder.anchors(),
      header: await lastHeaderBefore(handle, offset),
      before: await readRange(handle, Math.max(0, offset - TAIL_BYTES), offset),
    };
  } finally {
    await handle.close();
  }
}

function holds(before: Buffer, claim: ResumeClaim): boolean {
  if (claim.tail) {
    if (before.length < claim.tail.length) return false;
    return sha256(before.subarray(before.length - claim.tail.length)) === claim.tail.sha256;
  }
  // A claim without a tail (version 1): only a line boundary can be checked.
  return claim.offset === 0 || before[before.length - 1] === 0x0a;
}

/**
 * The whole log, line by line: the start of its longest end whose rows are all later than `last`, and the
 * header in effect there. Lines are parsed with the shared parser (every format, `local` normalised the same way).
 */
async function scanForNewRows(
  handle: FileHandle,
  size: number,
  last: { local: string; sha256: string },
): Promise<{ offset: number; header: Buffer | null }> {
  const parser = createLogParser({ timeZone: 'UTC' });
  let seenLast = false;
  let header: Buffer | null = null;
  /** The new part found so far: where it starts and the header in effect there. */
  let found: { offset: number; header: Buffer | null } | null = null;
  let pendingHeader: number | null = null;
  let afterOld = { offset: 0, header: null as Buffer | null };
  await forEachFileLine(handle, size, (lineStart, raw) => {
    const damaged = damagedPrefixLength(raw);
    const start = lineStart + damaged;
    const line = raw.subarray(damaged);
    if (line.length === 0 || isBlankLine(line)) return;
    let local: string | null = null;
    try {
      for (const event of parser.push(line)) if (event.type === 'row') local = event.local;
    } catch {
      return; // not a line the parser can place
    }
    const isHeader = isHeaderLine(line);
    if (isHeader && local === null) {
      if (found === null && pendingHeader === null) pendingHeader = start;
      header = headerToPrepend(line);
      return;
    }
    if (local === null) return;
    const isNew = local > last.local || (local === last.local && seenLast && sha256(line) !== last.sha256);
    if (local === last.local && sha256(line) === last.sha256) seenLast = true;
    if (isNew) {
      if (found === null) {
        found =
          pendingHeader !== null || isHeader
            ? { offset: pendingHeader ?? start, header: null }
            : { offset: start, header };
      }
    } else {
      found = null;
      pendingHeader = null;
      afterOld = { offset: lineStart + raw.length, header: isHeader ? headerToPrepend(line) : header };
    }
    if (isHeader) header = headerToPrepend(line);
  });
  if (found) return found;
  if (pendingHeader !== null) return { offset: pendingHeader, header: null };
  return afterOld;
}

/** The start of the line that holds `offset` (a claim without a last row: at least never mid-line). */
async function lineStartBefore(
  handle: FileHandle,
  offset: number,
): Promise<{ offset: number; header: Buffer | null }> {
  const from = Math.max(0, offset - (1 << 20));
  const chunk = await readRange(handle, from, offset);
  const lf = chunk.lastIndexOf(0x0a);
  const start = lf < 0 ? from : from + lf + 1;
  return { offset: start, header: await lastHeaderBefore(handle, start) };
}

/**
 * The header in effect at `offset`: the last header line that starts before it, cut as a batch prefix
 * (headerToPrepend), or null. Reads backwards in 64 KiB steps.
 */
export async function lastHeaderBefore(handle: FileHandle, offset: number): Promise<Buffer | null> {
  let end = offset;
  let carry = Buffer.alloc(0);
  while (end > 0) {
    const start = Math.max(0, end - 65_536);
    const buf = Buffer.concat([await readRange(handle, start, end), carry]);
    let lineEnd = buf.length;
    for (let i = buf.length - 2; i >= -1; i--) {
      if (i >= 0 && buf[i] !== 0x0a) continue;
      if (i < 0 && start > 0) break;
      const line = buf.subarray(i + 1, lineEnd);
      const damaged = damagedPrefixLength(line);
      if (isHeaderLine(line.subarray(damaged))) return headerToPrepend(line.subarray(damaged));
      lineEnd = i + 1;
    }
    carry = buf.subarray(0, lineEnd);
    end = start;
  }
  return null;
}

/** Calls `visit(start, line)` for every complete line of the file (1 MiB reads). */
async function forEachFileLine(
  handle: FileHandle,
  size: number,
  visit: (start: number, line: Buffer) => void,
): Promise<void> {
  let position = 0;
  let carry = Buffer.alloc(0);
  while (position < size) {
    const chunk = await readRange(handle, position, Math.min(size, position + (1 << 20)));
    if (chunk.length === 0) break;
    const buf = carry.length > 0 ? Buffer.concat([carry, chunk]) : chunk;
    const base = position - carry.length;
    let consumed = 0;
    forEachLine(buf, (from, to) => {
      visit(base + from, buf.subarray(from, to));
      consumed = to;
    });
    carry = Buffer.from(buf.subarray(consumed));
    position += chunk.length;
  }
}

async function readRange(handle: FileHandle, from: number, to: number): Promise<Buffer> {
  if (to <= from) return Buffer.alloc(0);
  const buffer = Buffer.alloc(to - from);
  const { bytesRead } = await handle.read(buffer, 0, buffer.length, from);
  return buffer.subarray(0, bytesRead);
}

function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}
