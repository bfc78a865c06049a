/**
 * The cloud-health reader and reprocessor for the settings the agent runs with, or null when the target is not one
 * of our stacks (a local folder, or a bucket the stack did not make — its names are predictable from the raw bucket):
 *   const source = openCloudHealth(runtimeSettings)   → { names, read({ lists, previous }), reprocess() } | null
 */
import type { CloudHealth, ReprocessResult } from '../../../shared/contract';
import { type StackNames, stackOfRawBucket } from '../../../shared/stack/names';
import type { RuntimeSettings } from '../app/runtime';
import { createAwsClients } from '../deploy/aws-clients';
import { readCloudHealth } from './read-health';
import { lambdaInvoker, reprocessFailed } from './reprocess';

export interface CloudHealthSource {
  names: StackNames;
  read(options: { lists: boolean; previous?: CloudHealth | null }): Promise<CloudHealth>;
  reprocess(): Promise<ReprocessResult>;
}

export function openCloudHealth(settings: RuntimeSettings): CloudHealthSource | null {
  const { target } = settings;
  if (target.kind !== 's3') return null;
  const names = stackOfRawBucket(target.bucket);
  if (!names) return null;
  const clients = createAwsClients({
    region: target.region,
    ...(target.profile ? { profile: target.profile } : {}),
    ...(target.endpoint ? { endpoint: target.endpoint } : {}),
    ...(target.accessKeys ? { credentials: target.accessKeys } : {}),
  });
  return {
    names,
    read: (options) => readCloudHealth(clients, names, settings.host, options, new Date()),
    reprocess: () =>
      reprocessFailed({
        s3: clients.s3,
        failedBucket: names.failedBucket,
        functionName: names.functionName,
        invoke: lambdaInvoker(clients.lambda, names.functionName),
      }),
  };
}
