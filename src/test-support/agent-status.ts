/**
 * An agent status for tests, as a watching agent on a local store reports it; override what the test is about:
 *   agentStatus({ state: 'offline', spool: { batches: 1, bytes: 300, capBytes: 1_000_000 } })
 */
import { type AgentCounters, type AgentStatus, emptyCounters } from '../shared/agent-status';

export function agentStatus(
  overrides: Partial<Omit<AgentStatus, 'counters'>> & { counters?: Partial<AgentCounters> } = {},
): AgentStatus {
  const { counters, ...rest } = overrides;
  return {
    state: 'watching',
    logPath: '/logs/GPU-Z Sensor Log.txt',
    target: '/store',
    targetKind: 'local',
    host: 'rig',
    lastUploadAt: null,
    nextUploadAt: null,
    intervalMs: 3_600_000,
    spool: { batches: 1, bytes: 300, capBytes: 1_000_000 },
    lastError: null,
    ...rest,
    counters: { ...emptyCounters('2026-12'), ...counters },
  };
}
