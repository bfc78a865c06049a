/**
 * What runs for one set of settings: the upload agent (not started yet) and the processed data the charts read.
 *   const runtime = openRuntime(settings, { stateDir, agentVersion })
 *     → { agent (tailing settings.logPath into the target), data (processed objects through the ETag cache), close }
 * With a local target the Lambda's processing runs in-process on every stored raw batch (onRawStored), so the
 * dashboard — and a store filled by `gpuz-cloud upload --local` — has processed data without an AWS account.
 * The ETag cache lives in {stateDir}/cache/{target id}. Access keys from the secret vault ride on the S3 target in
 * memory only (withAccessKeys); settings.json never sees them, and the target id ignores them.
 * `openRuntimeWith(parts, …)` is the same with the factories passed in (tests).
 */
import { join } from 'node:path';
import type { Settings, TargetSettings } from '../../../shared/contract';
import type { ErrorData } from '../../../shared/errors';
import type { AccessKeys } from '../access-keys';
import { type AgentDeps, createAgent } from '../agent';
import type { Agent } from '../agent/types';
import { cacheFolderOf, sweepCacheFolders } from '../data/cache-folders';
import { createProcessedBatchCache } from '../data/etag-cache';
import { createProcessedData, type ProcessedData } from '../data/processed-data';
import { createSessionMemo, SESSION_MEMO_FILE, type SessionMemo } from '../insights/session-memo';
import { createLocalProcessor, type LeftRawResult, processWorkerEntry, type StoredRaw } from '../pipeline';
import { createStoreFor, type OpenTarget } from '../store';
import type { Store } from '../store/types';
import { type AgentSettings, agentConfigFor } from './agent-config';

export interface Runtime {
  agent: Agent;
  data: ProcessedData;
  /** The Sessions lists read before, kept in the store's cache folder (without: kept for the process only). */
  sessions?: SessionMemo;
  /**
   * A local target: the raw batches an earlier run stored without output, processed in the background from the
   * start (local-processor.ts heal). A one-shot upload waits for it; close() stops it after the batch in hand.
   */
  healed?: Promise<LeftRawResult>;
  /** Releases what openRuntime opened beyond the agent (clients, processors). */
  close?(): Promise<void>;
}

/** Settings as the runtime opens them: an S3 target may carry the vault's access keys. */
export type RuntimeSettings = Omit<Settings, 'target'> & { target: OpenTarget };

export interface RuntimeOptions {
  stateDir: string;
  /** Written into every raw object's metadata. */
  agentVersion: string;
  /** false: `gpuz-cloud upload` without --watch (no timers; uploadNow reads to the end and sends). */
  watch?: boolean;
  /** Said by the agent at its start (the app: time-zone-check.ts). */
  startNotices?: ErrorData[];
  /** The other places GPU-Z may write its log (AgentConfig.otherLogs). */
  otherLogs?: () => Promise<string[]>;
}

/**
 *   withAccessKeys(s3Settings, keys) → a copy whose target carries the keys (the S3 client uses them)
 *   withAccessKeys(settings, null) or a local target → the same settings (profile / default chain)
 */
export function withAccessKeys(settings: Settings, keys: AccessKeys | null): RuntimeSettings {
  if (!keys || settings.target.kind !== 's3') return settings;
  return { ...settings, target: { ...settings.target, accessKeys: keys } };
}

/** The factories a runtime is assembled from; openRuntime passes the production ones. */
export interface RuntimeParts {
  /** The store for raw batches or for processed documents. */
  createStore(target: OpenTarget, role: 'raw' | 'processed'): Store;
  createAgent(settings: AgentSettings, deps: { store: Store } & RuntimeOptions & AgentDeps): Agent;
  createLocalProcessor(options: { timeZone: string; oneShot?: boolean }): {
    onRawStored(key: string, store: Store, stored?: StoredRaw): Promise<unknown>;
    heal?(store: Store): Promise<LeftRawResult>;
    close?(): Promise<void>;
  };
}

export const productionParts: RuntimeParts = {
  createStore: (target, role) => createStoreFor(target, role),
  // On the second core when the program told where the processing worker's bundle is (worker-entry.ts).
  createLocalProcessor: ({ timeZone, oneShot }) =>
    createLocalProcessor({ timeZone, thread: processWorkerEntry(), ...(oneShot ? { oneShot } : {}) }),
  createAgent: (settings, { store, stateDir, agentVersion, watch, startNotices, otherLogs, ...deps }) =>
    createAgent(
      {
        ...agentConfigFor(settings, { stateDir, store, agentVersion, ...(watch === false ? { watch } : {}) }),
        ...(startNotices?.length ? { startNotices } : {}),
        ...(otherLogs ? { otherLogs } : {}),
      },
      deps,
    ),
};

export function openRuntime(
  settings: RuntimeSettings,
  options: RuntimeOptions & Pick<AgentDeps, 'lockStateDir'>,
): Runtime {
  return openRuntimeWith(productionParts, settings, options);
}

export function openRuntimeWith(
  parts: RuntimeParts,
  settings: RuntimeSettings,
  options: RuntimeOptions & Pick<AgentDeps, 'lockStateDir'>,
): Runtime {
  const raw = parts.createStore(settings.target, 'raw');
  const processed = needsSecondStore(settings.target) ? parts.createStore(settings.target, 'processed') : raw;
  const processor =
    settings.target.kind === 'local'
      ? // A one-shot upload has batches coming: the processing thread starts at once (local-processor.ts).
        parts.createLocalProcessor({
          timeZone: settings.timeZone,
          ...(options.watch === false ? { oneShot: true } : {}),
        })
      : undefined;
  // A run killed before it wrote its day documents, with no later batch of those days: written at the next write;
  // raw batches an earlier version stored without processing them: processed now.
  const healed = processor?.heal?.(raw);
  const agent = parts.createAgent(settings, {
    ...options,
    store: raw,
    ...(processor
      ? {
          onRawStored: (key: string, store: Store, stored?: StoredRaw) =>
            processor.onRawStored(key, store, stored),
        }
      : {}),
  });
  const cache = createProcessedBatchCache({
    store: processed,
    dir: cacheFolderOf(options.stateDir, settings.target),
  });
  // The caches of targets no longer used go after a month (cache-folders.ts); never in the way of this start.
  void sweepCacheFolders(options.stateDir, settings.target).catch(() => undefined);
  const data = createProcessedData({ store: processed, cache });
  const sessions = createSessionMemo({
    file: join(cacheFolderOf(options.stateDir, settings.target), SESSION_MEMO_FILE),
  });
  return {
    agent,
    data,
    sessions,
    ...(healed ? { healed } : {}),
    close: async () => {
      await processor?.close?.();
      await data.close?.();
      await sessions.flush();
    },
  };
}

function needsSecondStore(target: TargetSettings): boolean {
  return (
    target.kind === 's3' && target.processedBucket !== undefined && target.processedBucket !== target.bucket
  );
}
