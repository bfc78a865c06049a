import type { AgentStatus } from '../../../shared/agent-status';
import { writeFileAtomic } from '../../../shared/fs/atomic-file';
import { isRecord, readStateJson } from '../state-file';
import type { Timers } from './config';

/**
 * The running agent's status for other processes (`gpuz-cloud status`), kept current in
 * `{stateDir}/agent-status.json` as `{ pid, writtenAt, status }`: written atomically at most once per
 * STATUS_FILE_MS while the status changes (the newest change is always written, at the latest STATUS_FILE_MS
 * later), and once more when the agent stops. stats.json keeps only what was saved at a seal, an upload or a stop,
 * so `status` read 0 rows while an agent was reading.
 *
 *   const file = createStatusFile({ path, pid: process.pid, now: Date.now, timers })
 *   file.update(agent.status())   // from every status the agent emits
 *   await file.close(agent.status())
 *   await readStatusFile(path) → { pid: 4242, writtenAt: '2026-12-02T12:01:05.000Z', status: { state: 'watching', … } }
 */
export const STATUS_FILE_MS = 5_000;

export interface StatusFileContent {
  pid: number;
  writtenAt: string;
  status: AgentStatus;
}

export interface StatusFile {
  update(status: AgentStatus): void;
  /** Writes the last status now and stops writing. */
  close(status: AgentStatus): Promise<void>;
}

export function createStatusFile(options: {
  path: string;
  pid: number;
  now: () => number;
  timers: Timers;
  minIntervalMs?: number;
}): StatusFile {
  const every = options.minIntervalMs ?? STATUS_FILE_MS;
  let lastWrite = Number.NEGATIVE_INFINITY;
  let latest: AgentStatus | null = null;
  let timer: unknown = null;
  let closed = false;
  let writing: Promise<void> = Promise.resolve();

  const write = () => {
    timer = null;
    if (!latest) return writing;
    const content: StatusFileContent = {
      pid: options.pid,
      writtenAt: new Date(options.now()).toISOString(),
      status: latest,
    };
    latest = null;
    lastWrite = options.now();
    // A status file that cannot be written costs `gpuz-cloud status` its live figures, never an upload.
    writing = writing
      .then(() => writeFileAtomic(options.path, `${JSON.stringify(content)}\n`))
      .catch(() => undefined);
    return writing;
  };

  return {
    update(status) {
      if (closed) return;
      latest = status;
      if (timer !== null) return;
      const wait = lastWrite + every - options.now();
      if (wait <= 0) void write();
      else timer = options.timers.setTimeout(() => void write(), wait);
    },
    async close(status) {
      closed = true;
      if (timer !== null) options.timers.clearTimeout(timer);
      latest = status;
      await write();
    },
  };
}

/** The file's content, or null when there is none or it is not what this module writes. */
export async function readStatusFile(path: string): Promise<StatusFileContent | null> {
  let data: unknown;
  try {
    data = await readStateJson(path);
  } catch {
    return null;
  }
  if (
    !isRecord(data) ||
    !Number.isSafeInteger(data.pid) ||
    typeof data.writtenAt !== 'string' ||
    !isRecord(data.status) ||
    !isRecord(data.status.counters)
  ) {
    return null;
  }
  return data as unknown as StatusFileContent;
}
