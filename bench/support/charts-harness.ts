/**
 * The headless dashboard over stored processed data with an idle agent — what the Charts benchmark measures:
 *   const h = await startChartsHarness({ storeDir, stateDir, host }); h.url …; await h.close()
 * Everything except the agent is the real code path: the app's local store (its sidecars, as the app and the local
 * processing write them), app service, ETag cache, data layer, HTTP transport. charts-process.ts runs it in a
 * process of its own.
 */
import { join } from 'node:path';
import { createAppService } from '../../src/main/core/app/app-service';
import { buildCostView } from '../../src/main/core/app/cost-view';
import { createFakeAgent } from '../../src/main/core/app/fake-agent.test-support';
import { decodeProcessed, outlineProcessed } from '../../src/main/core/data/decode-processed';
import { createBatchCache, createProcessedBatchCache } from '../../src/main/core/data/etag-cache';
import { createProcessedData } from '../../src/main/core/data/processed-data';
import { createHeadlessVault } from '../../src/main/core/secret-vault';
import { createSettingsStore, defaultSettings } from '../../src/main/core/settings';
import { createLocalStore } from '../../src/main/core/store/local';
import type { RequestCounts } from '../../src/main/core/store/request-counts';
import type { Store } from '../../src/main/core/store/types';
import { startHeadlessServer } from '../../src/main/headless/server';

export async function startChartsHarness(options: {
  /** The local store over this directory, unless `store` is given (the S3 store over moto: `--s3`). */
  storeDir: string;
  store?: Store & { requests: RequestCounts };
  stateDir: string;
  host: string;
  rendererDir: string;
  /** Ignore the day documents: every processed object is read itself (the path before them). */
  objectsOnly?: boolean;
}) {
  const store = options.store ?? createLocalStore({ root: options.storeDir });
  const defaults = { ...defaultSettings(options.stateDir, '/tmp/none.txt'), host: options.host };
  const app = createAppService({
    settings: createSettingsStore({ stateDir: options.stateDir, defaults }),
    secrets: createHeadlessVault(),
    openRuntime: async () => {
      const data = createProcessedData({
        store,
        cache: options.objectsOnly
          ? createBatchCache({
              store,
              dir: join(options.stateDir, 'cache'),
              decode: decodeProcessed,
              outline: outlineProcessed,
            })
          : createProcessedBatchCache({ store, dir: join(options.stateDir, 'cache') }),
      });
      return { agent: createFakeAgent().agent, data, close: async () => data.close?.() };
    },
    estimateCost: buildCostView,
    detectLogFiles: async () => [],
  });
  await app.start();
  const server = await startHeadlessServer({
    handlers: app.handlers,
    events: app.events,
    rendererDir: options.rendererDir,
    port: 0,
  });
  // GETs counted from here: a store shared by several harnesses keeps its counts.
  const getsBefore = store.requests.get;
  return {
    url: server.url,
    requests: {
      get get() {
        return store.requests.get - getsBefore;
      },
    },
    close: async () => {
      await server.close();
      await app.stop();
    },
  };
}
