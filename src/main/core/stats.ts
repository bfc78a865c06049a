import { type AgentCounters, type CatchUpStart, emptyCounters } from '../../shared/agent-status';
import { countLoggingMinute, type LoggingSeen } from '../../shared/cost/logging-share';
import type { ErrorData } from '../../shared/errors';
import { writeFileAtomic } from '../../shared/fs/atomic-file';
import type { ReadPosition } from './ingest';
import { isRecord, readOrSetAside } from './state-file';

/**
 * The agent's counters, persisted in the state folder so the status survives restarts.
 *
 *   const { stats } = await loadStats('/state/stats.json', () => new Date())
 *   stats.countRequest('put'); stats.counters.requests.put → 1, requestsThisMonth → { month: '2026-05', put: 1, … }
 *   await stats.save()   // atomic; called on seal, upload and stop, never per poll (idle cost)
 *
 * Counters never block uploading: a damaged stats.json is set aside beside itself (stats.json.damaged-…), the
 * counting starts again from zero, and `notice` says so.
 */
export interface Stats {
  readonly counters: AgentCounters;
  countRequest(kind: 'put' | 'get' | 'list'): void;
  /** New rows were read at `at` (epoch ms): its minute counts as one GPU-Z logged in (counters.logging), once. */
  countLogging(at: number): void;
  /**
   * Batches whose upload the counters hold while the batch is still in the spool (its local processing not done):
   * saved in the same write as the counters, so a batch sent again after a crash is never counted twice, whatever
   * moment the crash came at. `keepOnly` drops the ones no longer in the spool.
   */
  readonly counted: Set<string>;
  keepOnly(batchIds: Iterable<string>): void;
  /** The catch-up under way (agent/catch-up.ts), saved with the counters so a restart goes on with it; null: none. */
  catchUp: CatchUpStart | null;
  /**
   * How far the log was read when the counters were saved last (null: not known): a restart reads the lines after
   * the checkpoint again, and does not count again those before it (ingest.ts countedUpTo).
   */
  readonly readTo: ReadPosition | null;
  /** Where reading is, asked at each save (set by the agent): saved in the same write as the rows it counted. */
  reading: () => ReadPosition | null;
  save(): Promise<void>;
}

/** The key of `counted` in stats.json: written only while a batch is in it (a moment per batch). */
const COUNTED_KEY = 'countedInSpool';
/**
 * The keys of `catchUp` in stats.json, written only while one is under way: two numbers, which a build from before
 * them reads as counts it does not show (an object there would make it set the file aside as damaged).
 */
const CATCH_UP_AT = 'catchUpSince';
const CATCH_UP_STORED = 'catchUpStoredBytes';
/** The keys of `readTo`: numbers too (the log's 12-hex-digit file id as one), for the same reason. */
const READ_TO_FILE = 'readToFile';
const READ_TO_OFFSET = 'readToOffset';
const READ_TO_CHECK = 'readToCheck';
/**
 * The keys of `counters.logging`: numbers too, one per day (`loggedMinutes:2026-12-07`), which a build from before
 * them keeps as counts it does not show.
 */
const LOGGING_SINCE = 'loggingSince';
const LOGGED_MINUTES = 'loggedMinutes:';

export async function loadStats(
  path: string,
  now: () => Date,
): Promise<{ stats: Stats; notice: ErrorData | null }> {
  const monthOf = () => now().toISOString().slice(0, 7);
  const read = await readOrSetAside(
    path,
    (data) => {
      const problem = countersProblem(data);
      if (problem) throw new Error(problem);
      return splitStats(data);
    },
    now(),
    {
      code: 'STATS_RESET',
      after: 'the counters start again from zero',
      unaffected: 'Uploading is not affected.',
    },
  );
  const { notice } = read;
  const saved: Partial<AgentCounters> = read.value?.counters ?? {};
  const counted = read.value?.counted ?? new Set<string>();
  let catchUp = read.value?.catchUp ?? null;
  const readTo = read.value?.readTo ?? null;
  let reading = (): ReadPosition | null => readTo;
  const counters: AgentCounters = { ...emptyCounters(monthOf()), ...saved };
  // Counting begins at the first start of a build that counts: time before it is not known.
  counters.logging = read.value?.logging ?? { since: now().getTime(), minutesByDay: {} };
  let loggedMinute: number | null = null;
  // Counters an earlier version wrote (before 2026-12-02) have batches but no rows uploaded: those rows are not
  // known, and counting from 0 showed "1 batch, 0 rows" — left out, the views show the batches without rows.
  if (saved.rowsUploaded === undefined && (saved.batchesUploaded ?? 0) > 0) delete counters.rowsUploaded;
  /** The write under way (settled: none), and the one queued behind it that every save asked for meanwhile joins. */
  let writing: Promise<unknown> = Promise.resolve();
  let next: Promise<void> | null = null;
  return {
    notice,
    stats: {
      counters,
      countRequest(kind) {
        const month = monthOf();
        if (counters.requestsThisMonth.month !== month) {
          counters.requestsThisMonth = { month, put: 0, get: 0, list: 0 };
        }
        counters.requests[kind] += 1;
        counters.requestsThisMonth[kind] += 1;
      },
      countLogging(at) {
        if (counters.logging) loggedMinute = countLoggingMinute(counters.logging, at, loggedMinute);
      },
      counted,
      keepOnly(batchIds) {
        const kept = new Set(batchIds);
        for (const id of counted) if (!kept.has(id)) counted.delete(id);
      },
      get catchUp() {
        return catchUp;
      },
      set catchUp(start) {
        catchUp = start;
      },
      readTo,
      get reading() {
        return reading;
      },
      set reading(get) {
        reading = get;
      },
      save() {
        // One write at a time, each of the counters as they are when it starts: saves that overlapped finished in
        // any order and an older copy could land last (25 of 30 bursts of 20 saves ended stale). A save asked for
        // while one is written joins the next write, which holds its counters; the file ends with the latest.
        next ??= writing.then(() => {
          next = null;
          const at = reading();
          const { logging, ...counts } = counters;
          const data = {
            ...counts,
            ...(logging ? loggingKeys(logging) : {}),
            ...(counted.size > 0 ? { [COUNTED_KEY]: [...counted] } : {}),
            ...(catchUp ? { [CATCH_UP_AT]: catchUp.at, [CATCH_UP_STORED]: catchUp.stored } : {}),
            ...(at && /^[0-9a-f]{12}$/.test(at.fileId)
              ? {
                  [READ_TO_FILE]: Number.parseInt(at.fileId, 16),
                  [READ_TO_OFFSET]: at.offset,
                  [READ_TO_CHECK]: at.check,
                }
              : {}),
          };
          return writeFileAtomic(path, `${JSON.stringify(data)}\n`);
        });
        writing = next.catch(() => undefined);
        return next;
      },
    },
  };
}

const isCount = (v: unknown) => typeof v === 'number' && Number.isFinite(v) && v >= 0;

/**
 * Parsed stats.json (checked by countersProblem) → its counters, the batches counted while in the spool, the
 * catch-up under way, how far the log was read and the minutes logged.
 */
export function splitStats(data: unknown): {
  counters: Partial<AgentCounters>;
  counted: Set<string>;
  catchUp: CatchUpStart | null;
  readTo: ReadPosition | null;
  logging: LoggingSeen | null;
} {
  const {
    [COUNTED_KEY]: ids,
    [CATCH_UP_AT]: at,
    [CATCH_UP_STORED]: stored,
    [READ_TO_FILE]: file,
    [READ_TO_OFFSET]: offset,
    [READ_TO_CHECK]: check,
    [LOGGING_SINCE]: since,
    ...rest
  } = data as Record<string, unknown>;
  const counters: Record<string, unknown> = {};
  const minutesByDay: Record<string, number> = {};
  for (const [key, value] of Object.entries(rest)) {
    if (key.startsWith(LOGGED_MINUTES)) minutesByDay[key.slice(LOGGED_MINUTES.length)] = value as number;
    else counters[key] = value;
  }
  return {
    counters: counters as Partial<AgentCounters>,
    logging: typeof since === 'number' ? { since, minutesByDay } : null,
    counted: new Set(Array.isArray(ids) ? (ids as string[]) : []),
    catchUp: typeof at === 'number' && typeof stored === 'number' ? { at, stored } : null,
    readTo:
      typeof file === 'number' && typeof offset === 'number' && typeof check === 'number'
        ? { fileId: file.toString(16).padStart(12, '0'), offset, check }
        : null,
  };
}

/** counters.logging as stats.json's keys: { loggingSince: …, 'loggedMinutes:2026-12-07': 183, … }. */
function loggingKeys(logging: LoggingSeen): Record<string, number> {
  const keys: Record<string, number> = { [LOGGING_SINCE]: logging.since };
  for (const [day, minutes] of Object.entries(logging.minutesByDay))
    keys[`${LOGGED_MINUTES}${day}`] = minutes;
  return keys;
}

/** What is wrong with parsed counters, or null. */
export function countersProblem(data: unknown): string | null {
  if (!isRecord(data)) return 'it is not a counters object';
  for (const [key, value] of Object.entries(data)) {
    if (key === COUNTED_KEY) {
      if (!Array.isArray(value) || !value.every((id) => typeof id === 'string'))
        return `${key} is not a list of batch ids`;
    } else if (key === 'requests' || key === 'requestsThisMonth') {
      if (!isRecord(value) || !['put', 'get', 'list'].every((k) => isCount(value[k])))
        return `${key} is not { put, get, list } counts`;
      if (key === 'requestsThisMonth' && typeof value.month !== 'string')
        return 'requestsThisMonth has no month';
    } else if (!isCount(value)) {
      return `${key} is ${JSON.stringify(value)}, not a count`;
    }
  }
  return null;
}
