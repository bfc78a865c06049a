import { readFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { AppError, toError } from '../../shared/errors';
import { renameRetrying, writeFileAtomic } from '../../shared/fs/atomic-file';
import { DISK_FULL_CODES } from './store/local-errors';

/**
 * The agent's own files (checkpoint, counters, lock, spool manifests) read with distrust: a file that is not what
 * it should be is refused with its path, what is wrong and the command that fixes it — never silently reset.
 *
 *   await readStateJson('/state/checkpoint.json') → the parsed JSON, or undefined when the file does not exist
 *   → throws AppError STATE_DAMAGED "/state/checkpoint.json is damaged: it is empty" — advice: run `gpuz-cloud repair …`
 *   await setAside('/state/stats.json') → '/state/stats.json.damaged-20260806T191436Z' (kept for a person to look at)
 */
export function damagedStateFile(path: string, problem: string, cause?: unknown): AppError {
  return new AppError(
    'STATE_DAMAGED',
    `${path} is damaged: ${problem}`,
    `Run \`gpuz-cloud repair --state-dir "${dirname(path)}"\` to check the state folder and rebuild it from the store (nothing is sent twice).`,
    {
      cause,
      gui: 'Nothing is read from the log until the state folder is repaired. Press “Check and repair” to see what would be done: the file is set aside and the checkpoint rebuilt from the store (nothing is sent twice).',
    },
  );
}

/**
 * A write to the state folder that failed (a full disk, a folder that went away) → STATE_WRITE_FAILED, naming the
 * place; nothing is lost: the rows wait in the log, and the next look (or the next start) reads them again.
 * AppErrors pass through.
 */
export function stateWriteError(error: unknown, where: string): unknown {
  if (error instanceof AppError) return error;
  const code = (error as NodeJS.ErrnoException).code;
  const full = code !== undefined && DISK_FULL_CODES.has(code);
  return new AppError(
    'STATE_WRITE_FAILED',
    `${full ? 'The disk of the state folder is full' : 'The state folder could not be written'} (${code ?? toError(error).message}, ${where}): the rows wait in the log`,
    full
      ? 'Free some space on that disk: the rows are read once there is room (a watching agent goes on by itself), none lost or sent twice.'
      : code === 'EROFS'
        ? 'Its drive became read-only (remounted read-only after a disk error, or write-protected): make it writable, and the rows are read once it is (a watching agent goes on by itself).'
        : 'Check that the state folder stays writable: the rows are read once it is (a watching agent goes on by itself).',
    { cause: error },
  );
}

export async function readStateJson(path: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw damagedStateFile(
      path,
      `it cannot be read (${(error as NodeJS.ErrnoException).code ?? error})`,
      error,
    );
  }
  if (text.trim() === '') throw damagedStateFile(path, 'it is empty');
  const zeros = zeroFilled(text);
  if (zeros) throw damagedStateFile(path, zeros);
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw damagedStateFile(path, `it is not JSON (${toError(error).message})`, error);
  }
}

/**
 * What NTFS or ext4 can leave of a file being written when the power went: its length, not yet its bytes.
 *   zeroFilled('\0\0\0') → 'it is 3 zero bytes, as a power cut can leave a file';  zeroFilled('{}') → null
 */
export function zeroFilled(text: string): string | null {
  return /^\0+$/.test(text)
    ? `it is ${text.length.toLocaleString('en-US')} zero bytes, as a power cut can leave a file`
    : null;
}

/** Renames a damaged file beside itself so it is neither used nor lost; returns the new path. */
export async function setAside(path: string, now = new Date()): Promise<string> {
  const stamp = now
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z');
  const target = join(dirname(path), `${basename(path)}.damaged-${stamp}`);
  await renameRetrying(path, target);
  return target;
}

/**
 * Sets a damaged file aside (when it can) and words what happened for a notice:
 *   await setAsideNotice('/state/stats.json', error, now, { code: 'STATS_RESET', after: 'the counters start again
 *     from zero', unaffected: 'Uploading is not affected.' })
 *   → { code, message: '/state/stats.json was damaged (it is empty); the counters …', advice: 'The damaged file is kept as …' }
 */
export async function setAsideNotice(
  path: string,
  error: unknown,
  now: Date,
  words: { code: string; after: string; unaffected: string },
): Promise<{ code: string; message: string; advice: string }> {
  const kept = await setAside(path, now).catch(() => null);
  const why = (error instanceof Error ? error.message : String(error)).replace(/^.* is damaged: /, '');
  return {
    code: words.code,
    message: `${path} was damaged (${why}); ${words.after}`,
    advice: kept ? `The damaged file is kept as ${kept}. ${words.unaffected}` : words.unaffected,
  };
}

/**
 * A state file the agent can start again without (counters, histories): read and checked by `parse`, or — damaged
 * or refused by `parse` — set aside with a notice, and started again empty:
 *   await readOrSetAside('/state/alerts.json', parseAlerts, now, { code: 'ALERTS_RESET', … })
 *     → { value: [...] , notice: null } | { value: undefined, notice: { code: 'ALERTS_RESET', … } } (also: no file)
 */
export async function readOrSetAside<T>(
  path: string,
  parse: (data: unknown) => T,
  now: Date,
  words: { code: string; after: string; unaffected: string },
): Promise<{ value: T | undefined; notice: { code: string; message: string; advice: string } | null }> {
  try {
    const data = await readStateJson(path);
    return { value: data === undefined ? undefined : parse(data), notice: null };
  } catch (error) {
    return { value: undefined, notice: await setAsideNotice(path, error, now, words) };
  }
}

/** Small shape checks that say what is wrong, for the messages above. */
export const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
export const isOffset = (v: unknown): v is number => Number.isSafeInteger(v) && (v as number) >= 0;
export const isHex = (v: unknown, length: number): v is string =>
  typeof v === 'string' && v.length === length && /^[0-9a-f]+$/.test(v);
export const shown = (v: unknown): string =>
  v === undefined ? 'missing' : Array.isArray(v) ? 'a list' : JSON.stringify(v).slice(0, 40);

/**
 * The saves of one state file, each atomic, one at a time in the order asked, in the background; a failed write is
 * kept and thrown once by flush():
 *   const file = serialWriter('/state/uploads.json'); file.save('[…]\n'); … await file.flush()  // on stop
 */
export function serialWriter(path: string): { save(text: string): void; flush(): Promise<void> } {
  let saving: Promise<void> = Promise.resolve();
  let failed: unknown = null;
  return {
    save(text) {
      saving = saving
        .then(() => writeFileAtomic(path, text))
        .catch((error: unknown) => {
          failed = error;
        });
    },
    async flush() {
      await saving;
      if (failed) {
        const error = failed;
        failed = null;
        throw error;
      }
    },
  };
}
