import { type AgentCounters, emptyCounters } from '../../shared/agent-status';
import type { ErrorData } from '../../shared/errors';
import { writeFileAtomic } from '../../shared/fs/atomic-file';
import { isRecord, readStateJson, setAsideNotice } from './state-file';

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
  save(): Promise<void>;
}

export async function loadStats(
  path: string,
  now: () => Date,
): Promise<{ stats: Stats; notice: ErrorData | null }> {
  const monthOf = () => now().toISOString().slice(0, 7);
  let saved: Partial<AgentCounters> = {};
  let notice: ErrorData | null = null;
  try {
    const data = await readStateJson(path);
    const problem = data === undefined ? null : countersProblem(data);
    if (problem) throw new Error(problem);
    saved = (data ?? {}) as Partial<AgentCounters>;
  } catch (error) {
    notice = await setAsideNotice(path, error, now(), {
      code: 'STATS_RESET',
      after: 'the counters start again from zero',
      unaffected: 'Uploading is not affected.',
    });
  }
  const counters: AgentCounters = { ...emptyCounters(monthOf()), ...saved };
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
      save() {
        // One write at a time, each of the counters as they are when it starts: saves that overlapped finished in
        // any order and an older copy could land last (25 of 30 bursts of 20 saves ended stale). A save asked for
        // while one is written joins the next write, which holds its counters; the file ends with the latest.
        next ??= writing.then(() => {
          next = null;
          return writeFileAtomic(path, `${JSON.stringify(counters)}\n`);
        });
        writing = next.catch(() => undefined);
        return next;
      },
    },
  };
}

const isCount = (v: unknown) => typeof v === 'number' && Number.isFinite(v) && v >= 0;

/** What is wrong with parsed counters, or null. */
export function countersProblem(data: unknown): string | null {
  if (!isRecord(data)) return 'it is not a counters object';
  for (const [key, value] of Object.entries(data)) {
    if (key === 'requests' || key === 'requestsThisMonth') {
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
