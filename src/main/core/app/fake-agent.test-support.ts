/**
 * A fake of our own Agent interface for app-service tests: records calls, emits what the test tells it to.
 *   const agent = createFakeAgent(); agent.pause(); agent.status().state → 'paused'
 */

import { agentStatus } from '../../../test-support/agent-status';
import type {
  Agent,
  AgentStatus,
  LiveRowsListener,
  LiveSnapshot,
  UploadProgress,
  UploadRecord,
} from '../agent/types';
import type { ProcessedData } from '../data/processed-data';

export function createFakeAgent(live: LiveSnapshot = { columns: [], rows: [] }) {
  let state: AgentStatus['state'] = 'starting';
  let lastError: AgentStatus['lastError'] = null;
  const calls: string[] = [];
  const listeners = {
    status: new Set<(s: AgentStatus) => void>(),
    upload: new Set<(r: UploadRecord) => void>(),
    progress: new Set<(p: UploadProgress) => void>(),
    live: new Set<LiveRowsListener>(),
  };
  const status = (): AgentStatus =>
    agentStatus({
      state,
      lastError,
      target: 'memory',
      host: 'pc',
      spool: { batches: 0, bytes: 0, capBytes: 1_000_000 },
      counters: {
        rawBytesUploaded: 15_000,
        compressedBytesUploaded: 1_000,
        batchesUploaded: 1,
        requests: { put: 2, get: 0, list: 0 },
        requestsThisMonth: { month: '2026-11', put: 2, get: 0, list: 0 },
      },
    });
  const setState = (next: AgentStatus['state']) => {
    state = next;
    for (const listener of listeners.status) listener(status());
  };
  const on =
    <T>(set: Set<T>) =>
    (listener: T) => {
      set.add(listener);
      return () => {
        set.delete(listener);
      };
    };
  const agent: Agent = {
    start: async () => {
      calls.push('start');
      setState(state === 'paused' ? 'paused' : 'watching');
    },
    stop: async () => {
      calls.push('stop');
      setState('stopped');
    },
    pause: () => {
      calls.push('pause');
      setState('paused');
    },
    resume: () => {
      calls.push('resume');
      setState('watching');
    },
    uploadNow: async () => {
      calls.push('uploadNow');
    },
    retry: async (batchId) => {
      calls.push(`retry:${batchId}`);
    },
    note: (notice) => {
      calls.push(`note:${notice.code}`);
    },
    status,
    history: () => [],
    live: () => live,
    pending: () => [],
    onStatus: on(listeners.status),
    onUpload: on(listeners.upload),
    onProgress: on(listeners.progress),
    onLiveRows: on(listeners.live),
  };
  /** What the agent says when it stops for good (a refusal, the state folder taken over). */
  const fail = (error: NonNullable<AgentStatus['lastError']>) => {
    lastError = error;
    setState('error');
  };
  return { agent, calls, listeners, fail };
}

/** A runtime for app-service tests: a fake agent and processed data that has nothing stored. */
export function createFakeRuntime(live?: LiveSnapshot): {
  agent: Agent;
  data: ProcessedData;
  fake: ReturnType<typeof createFakeAgent>;
} {
  const fake = createFakeAgent(live);
  return {
    agent: fake.agent,
    fake,
    data: {
      listSensors: async () => [],
      extent: async () => ({ first: null, last: null }),
      storedDays: async () => 0,
      loggedBytes: async () => null,
      query: async () => ({ resolution: 'rows', t: [], series: [] }),
      hosts: async () => [],
      sessionRows: async () => ({ starts: [], groups: [], pieces: async function* () {} }),
    },
  };
}
