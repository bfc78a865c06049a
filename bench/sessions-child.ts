/**
 * Child of bench/sessions.ts: the Sessions view's call (`listSessions` over the whole stored range, as "All stored
 * data" asks it) through the app service and data layer, on a cold disk cache, in a fresh process. Prints
 * `{"ms":…,"sessions":…,"plays":…}`; the bench takes wall, CPU and peak RSS from outside (measure.py).
 * Only imports that this file's baseline commit has too: the bench bundles this same file against that commit.
 *
 *   node sessions-child.mjs '{"storeDir":"/tmp/x/store","stateDir":"/tmp/x/state-1","host":"bench-pc"}'
 */
import { createAppService } from '../src/main/core/app/app-service';
import { buildCostView } from '../src/main/core/app/cost-view';
import { createFakeAgent } from '../src/main/core/app/fake-agent.test-support';
import { createProcessedBatchCache } from '../src/main/core/data/etag-cache';
import { createProcessedData } from '../src/main/core/data/processed-data';
import { createHeadlessVault } from '../src/main/core/secret-vault';
import { createSettingsStore, defaultSettings } from '../src/main/core/settings';
import { createLocalStore } from '../src/main/core/store/local';

const options = JSON.parse(process.argv[2] ?? '{}') as { storeDir: string; stateDir: string; host: string };
const store = createLocalStore({ root: options.storeDir });
const app = createAppService({
  settings: createSettingsStore({
    stateDir: options.stateDir,
    defaults: { ...defaultSettings(options.stateDir, '/tmp/none.txt'), host: options.host },
  }),
  secrets: createHeadlessVault(),
  openRuntime: async () => {
    const data = createProcessedData({
      store,
      cache: createProcessedBatchCache({ store, dir: `${options.stateDir}/cache` }),
    });
    return { agent: createFakeAgent().agent, data, close: async () => data.close?.() };
  },
  estimateCost: buildCostView,
  detectLogFiles: async () => [],
});
await app.start();
const started = performance.now();
// As the view asks "All stored data": from the first to the last stored reading.
const extent = await app.handlers.getDataExtent();
const list: unknown = await app.handlers.listSessions({
  from: extent.first ?? 0,
  to: (extent.last ?? 0) + 1000,
});
// The baseline's listSessions answered the sessions themselves; since ff6552b, { sessions, keptOnly }.
const sessions = (Array.isArray(list) ? list : (list as { sessions: unknown[] }).sessions) as {
  plays: unknown[];
}[];
const ms = performance.now() - started;
await app.stop();
const plays = sessions.reduce((n, s) => n + s.plays.length, 0);
console.log(JSON.stringify({ ms, sessions: sessions.length, plays }));
