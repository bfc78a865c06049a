/**
 * What the app service runs for one set of settings, assembled from factories passed in:
 *   openRuntimeWith(parts, settings, { stateDir })
 *     → { agent (tailing settings.logPath into the target), data (processed objects through the ETag cache) }
 * With a local target the Lambda's processing runs in-process on every stored raw batch (onRawStored), so the
 * dashboard has processed data without an AWS account. The ETag cache lives in {stateDir}/cache/{target id}.
 * Access keys from the secret vault ride on the S3 target in memory only (withAccessKeys); settings.json never
 * sees them, and the target id ignores them.
 */
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import type { Settings, TargetSettings } from '../../../shared/contract';
import type { AccessKeys } from '../access-keys';
import type { Agent } from '../agent/types';
import { decodeProcessed } from '../data/decode-processed';
import { createBatchCache } from '../data/etag-cache';
import { createProcessedData } from '../data/processed-data';
import type { OpenTarget } from '../store';
import type { Store } from '../store/types';
import type { Runtime } from './app-service';

/** Settings as the runtime opens them: an S3 target may carry the vault's access keys. */
export type RuntimeSettings = Omit<Settings, 'target'> & { target: OpenTarget };

/**
 *   withAccessKeys(s3Settings, keys) → a copy whose target carries the keys (the S3 client uses them)
 *   withAccessKeys(settings, null) or a local target → the same settings (profile / default chain)
 */
export function withAccessKeys(settings: Settings, keys: AccessKeys | null): RuntimeSettings {
  if (!keys || settings.target.kind !== 's3') return settings;
  return { ...settings, target: { ...settings.target, accessKeys: keys } };
}

export interface RuntimeParts {
  /** The store for raw batches (`processed: false`) or for processed documents (`processed: true`). */
  createStore(target: OpenTarget, role: 'raw' | 'processed'): Store;
  createAgent(
    settings: Settings,
    deps: { store: Store; stateDir: string; onRawStored?: (key: string, store: Store) => Promise<unknown> },
  ): Agent;
  createLocalProcessor(options: { timeZone: string }): {
    onRawStored(key: string, store: Store): Promise<unknown>;
  };
}

export function openRuntimeWith(
  parts: RuntimeParts,
  settings: RuntimeSettings,
  options: { stateDir: string },
): Runtime {
  const raw = parts.createStore(settings.target, 'raw');
  const processed = needsSecondStore(settings.target) ? parts.createStore(settings.target, 'processed') : raw;
  const processor =
    settings.target.kind === 'local'
      ? parts.createLocalProcessor({ timeZone: settings.timeZone })
      : undefined;
  const agent = parts.createAgent(settings, {
    store: raw,
    stateDir: options.stateDir,
    ...(processor ? { onRawStored: (key: string, store: Store) => processor.onRawStored(key, store) } : {}),
  });
  const cache = createBatchCache({
    store: processed,
    dir: join(options.stateDir, 'cache', targetId(settings.target)),
    decode: decodeProcessed,
  });
  const data = createProcessedData({ store: processed, cache });
  return { agent, data, close: async () => data.close?.() };
}

function needsSecondStore(target: TargetSettings): boolean {
  return (
    target.kind === 's3' && target.processedBucket !== undefined && target.processedBucket !== target.bucket
  );
}

/** A short stable id per target, so switching targets never mixes cached objects. */
export function targetId(target: TargetSettings): string {
  const identity =
    target.kind === 'local'
      ? `local:${target.dir}`
      : `s3:${target.endpoint ?? ''}/${target.processedBucket ?? target.bucket}`;
  return createHash('sha256').update(identity).digest('hex').slice(0, 16);
}
