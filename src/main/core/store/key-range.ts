/**
 * The KeyRange rules (types.ts) as functions, for stores that filter a listing themselves and for callers of a
 * store that may return more than asked:
 *   withinRange(sortedObjects, { startAfter: 'a/2026/03/04', limit: 2 }) → the first two keys after it
 *   folderMayHold('a/2026/02/', { startAfter: 'a/2026/03/04' }) → false: every key under it sorts before
 * JavaScript compares strings by UTF-16 unit and S3 by UTF-8 byte: the same order for the ASCII keys we write.
 */
import type { KeyRange } from './types';

export function inKeyRange(key: string, range: KeyRange | undefined): boolean {
  if (!range) return true;
  if (range.startAfter !== undefined && !(key > range.startAfter)) return false;
  if (range.endBefore !== undefined && !(key < range.endBefore)) return false;
  return true;
}

/** The objects (sorted by key) inside the range, at most `limit` of them. */
export function withinRange<T extends { key: string }>(sorted: T[], range: KeyRange | undefined): T[] {
  const inside = sorted.filter((object) => inKeyRange(object.key, range));
  return range?.limit === undefined ? inside : inside.slice(0, range.limit);
}

/**
 * Whether a folder (`a/2026/02/`, with its slash) can hold a key of the range: every key under it starts with the
 * folder, so it sorts after the folder itself, and before any string that passed the folder at an earlier letter.
 */
export function folderMayHold(folder: string, range: KeyRange | undefined): boolean {
  if (!range) return true;
  if (range.endBefore !== undefined && folder >= range.endBefore) return false;
  const after = range.startAfter;
  if (after !== undefined && after > folder && !after.startsWith(folder)) return false;
  return true;
}
