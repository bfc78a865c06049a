/**
 * Keeps the saved agent settings pointed at buckets that exist:
 *   await pointSettingsAtStack({ store, outputs, access: { profile: 'home' } })
 *     → { previous: { …, target: { kind: 'local', dir: '…/store' } }, current: { …, target: { kind: 's3', … } }, changed: true }
 *   await pointSettingsAwayFrom({ store, buckets: ['gpuz-cloud-dev-raw-…', …], fallback: { kind: 'local', dir } })
 *     → changed only when the saved target used one of those buckets
 *   describeTarget({ kind: 's3', bucket: 'b', region: 'eu-central-1', profile: 'home' }) → 's3://b (eu-central-1, profile home)'
 * Nothing is written when nothing changes.
 */
import { isDeepStrictEqual } from 'node:util';
import type { Settings, TargetSettings } from '../../../shared/contract';
import { AppError } from '../../../shared/errors';
import type { SettingsStore } from '../settings';
import { type StackOutputs, withDeployedTarget } from './outputs';

export interface SettingsChange {
  previous: Settings;
  current: Settings;
  changed: boolean;
}

export async function pointSettingsAtStack(options: {
  store: SettingsStore;
  outputs: StackOutputs;
  access?: { profile?: string | undefined; endpoint?: string | undefined };
}): Promise<SettingsChange> {
  const saved = await options.store.load();
  return saveIfChanged(options.store, saved, withDeployedTarget(saved, options.outputs, options.access));
}

/** After a destroy: an agent left on a deleted bucket would only fail with BUCKET_MISSING. */
export async function pointSettingsAwayFrom(options: {
  store: SettingsStore;
  buckets: readonly string[];
  fallback: TargetSettings;
}): Promise<SettingsChange> {
  const saved = await options.store.load();
  const target = saved.target;
  const usesThem =
    target.kind === 's3' &&
    (options.buckets.includes(target.bucket) ||
      (target.processedBucket !== undefined && options.buckets.includes(target.processedBucket)));
  return saveIfChanged(options.store, saved, usesThem ? { ...saved, target: options.fallback } : saved);
}

export function describeTarget(target: TargetSettings): string {
  if (target.kind === 'local') return `the local folder ${target.dir}`;
  const details = [
    target.region,
    ...(target.profile ? [`profile ${target.profile}`] : []),
    ...(target.endpoint ? [`endpoint ${target.endpoint}`] : []),
  ];
  return `s3://${target.bucket} (${details.join(', ')})`;
}

async function saveIfChanged(store: SettingsStore, saved: Settings, next: Settings): Promise<SettingsChange> {
  if (isDeepStrictEqual(saved, next)) return { previous: saved, current: saved, changed: false };
  const result = await store.save(next);
  if (!result.ok) {
    const first = result.errors[0]!;
    throw new AppError(
      'SETTINGS_NOT_SAVED',
      `The new target was refused: ${first.field}: ${first.message}`,
      'Set the target in the Settings view, or fix the stack outputs and run the command again.',
    );
  }
  return { previous: saved, current: result.settings, changed: true };
}
