import type { AgentCounters } from '../../shared/agent-status';
import { readJsonFile, writeFileAtomic } from './atomic-file';

/**
 * The agent's counters, persisted in the state folder so the status survives restarts.
 *
 *   const stats = await loadStats('/state/stats.json', () => new Date())
 *   stats.countRequest('put'); stats.counters.requests.put → 1, requestsThisMonth → { month: '2026-05', put: 1, … }
 *   await stats.save()   // atomic; called on seal, upload and stop, never per poll (idle cost)
 */
export interface Stats {
  readonly counters: AgentCounters;
  countRequest(kind: 'put' | 'get' | 'list'): void;
  save(): Promise<void>;
}

export function emptyCounters(month: string): AgentCounters {
  return {
    bytesRead: 0,
    rowsRead: 0,
    rawBytesUploaded: 0,
    compressedBytesUploaded: 0,
    batchesUploaded: 0,
    batchesFailed: 0,
    batchesDropped: 0,
    processingFailures: 0,
    requests: { put: 0, get: 0, list: 0 },
    requestsThisMonth: { month, put: 0, get: 0, list: 0 },
  };
}

export async function loadStats(path: string, now: () => Date): Promise<Stats> {
  const monthOf = () => now().toISOString().slice(0, 7);
  const saved = await readJsonFile<Partial<AgentCounters>>(path, {});
  const counters: AgentCounters = { ...emptyCounters(monthOf()), ...saved };
  return {
    counters,
    countRequest(kind) {
      const month = monthOf();
      if (counters.requestsThisMonth.month !== month) {
        counters.requestsThisMonth = { month, put: 0, get: 0, list: 0 };
      }
      counters.requests[kind] += 1;
      counters.requestsThisMonth[kind] += 1;
    },
    async save() {
      await writeFileAtomic(path, `${JSON.stringify(counters)}\n`);
    },
  };
}
