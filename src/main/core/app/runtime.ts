/**
 * The production runtime for a set of settings, used by `gpuz-cloud agent` and the Electron main process:
 *   const runtime = await openRuntime(settings, { stateDir })   → { agent (not started), data, close }
 * Stores come from the saved target (local folder or S3), the local target processes batches in-process,
 * and the interval follows the schedule: fixed, or spread from the monthly PUT budget over what is left of
 * the month, from the requests the agent counted (src/shared/cost/budget-schedule.ts).
 */
import type { Settings } from '../../../shared/contract';
import { budgetIntervalMs } from '../../../shared/cost';
import { createAgent } from '../agent';
import { createLocalProcessor } from '../pipeline';
import { createStoreFor } from '../store';
import type { Runtime } from './app-service';
import { openRuntimeWith } from './open-runtime';

/** Waits between upload retries: back quickly after a short outage, at most 30 s apart. */
const RETRY = { baseMs: 1000, maxMs: 30_000 };

export async function openRuntime(settings: Settings, options: { stateDir: string }): Promise<Runtime> {
  return openRuntimeWith(
    {
      createStore: (target, role) => createStoreFor(target, role),
      createLocalProcessor: ({ timeZone }) => createLocalProcessor({ timeZone }),
      createAgent: (active, deps) =>
        createAgent(
          {
            logPath: active.logPath,
            host: active.host,
            timeZone: active.timeZone,
            stateDir: deps.stateDir,
            intervalMs:
              active.schedule.kind === 'budget'
                ? budgetIntervalMs({ putBudget: active.schedule.monthlyPuts, clock: () => new Date() })
                : active.schedule.minutes * 60_000,
            compress: active.compression === 'gzip',
            store: deps.store,
            retry: RETRY,
          },
          deps.onRawStored ? { onRawStored: deps.onRawStored } : {},
        ),
    },
    settings,
    options,
  );
}
