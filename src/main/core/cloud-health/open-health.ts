/**
 * The cloud-health reader and reprocessor for the settings the agent runs with, or null when the target is not one
 * of our stacks (a local folder, or a bucket the stack did not make — its names are predictable from the raw bucket):
 *   const source = openCloudHealth(runtimeSettings, { stateDir, lambdaZipPath })
 *     → { names, read({ lists, previous }), reprocess() } | null
 * With where this PC's deploys are (`code`), each read also says whether the function runs this app's processor.
 */
import type { CloudHealth, ReprocessResult } from '../../../shared/contract';
import { type StackNames, stackOfRawBucket } from '../../../shared/stack/names';
import type { RuntimeSettings } from '../app/runtime';
import { createAwsClients } from '../deploy/aws-clients';
import { readProcessorCode } from '../deploy/processor-code';
import { readCloudHealth } from './read-health';
import { lambdaInvoker, reprocessFailed } from './reprocess';

export interface CloudHealthSource {
  names: StackNames;
  read(options: { lists: boolean; previous?: CloudHealth | null }): Promise<CloudHealth>;
  reprocess(): Promise<ReprocessResult>;
}

/** Where this PC's deploys left their Terraform state, and the processor bundle this app deploys. */
export interface DeployedCode {
  stateDir: string;
  lambdaZipPath: string;
}

export function openCloudHealth(settings: RuntimeSettings, code?: DeployedCode): CloudHealthSource | null {
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
    read: async (options) => {
      const health = await readCloudHealth(clients, names, settings.host, options, new Date());
      const processor = code ? await readProcessorCode({ ...code, names }) : null;
      return processor ? { ...health, processor } : health;
    },
    reprocess: () =>
      reprocessFailed({
        s3: clients.s3,
        failedBucket: names.failedBucket,
        functionName: names.functionName,
        invoke: lambdaInvoker(clients.lambda, names.functionName),
      }),
  };
}
