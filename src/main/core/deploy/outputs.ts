/**
 * The stack's outputs (`terraform output -json`) and the agent settings they become.
 *
 *   parseStackOutputs('{"raw_bucket":{"value":"gpuz-cloud-dev-raw-1234"}, …}')
 *     → { rawBucket: 'gpuz-cloud-dev-raw-1234', processedBucket: '…', functionName: '…', region: 'eu-central-1', … }
 *   toAgentSettings(outputs) → { target: 's3', rawBucket, processedBucket, region }
 *   withDeployedTarget(settings, outputs, { profile: 'home' })
 *     → settings with target { kind: 's3', bucket: rawBucket, processedBucket, region, profile, rawExpiryDays: 30 }
 */
import type { Settings } from '../../../shared/contract';
import { AppError } from '../../../shared/errors';

export interface StackOutputs {
  rawBucket: string;
  processedBucket: string;
  /** Absent for a stack deployed before failed events were recorded. */
  failedBucket?: string;
  functionName: string;
  region: string;
  logGroup: string;
  uploadBatchInterval: number | undefined;
  /** Days after which the raw bucket deletes batches (0: kept); absent for a stack without the output. */
  rawExpiryDays?: number;
  /** The daily analytics copy is on; absent for a stack without the output. */
  analyticsCopy?: boolean;
}

export interface DeployedAgentSettings {
  target: 's3';
  rawBucket: string;
  processedBucket: string;
  region: string;
}

export function parseStackOutputs(json: string): StackOutputs {
  const raw = JSON.parse(json) as Record<string, { value?: unknown }>;
  const text = (name: string): string => {
    const value = raw[name]?.value;
    if (typeof value !== 'string' || value === '') {
      throw new AppError(
        'OUTPUTS_MISSING',
        `The deployed stack has no "${name}" output.`,
        'The deploy did not finish: run `gpuz-cloud deploy` again.',
      );
    }
    return value;
  };
  const interval = raw.upload_batch_interval?.value;
  const failed = raw.failed_bucket?.value;
  // A number output, or its text (an output made from a string token); the copy's flag as true/false or its text.
  const expiry = Number(raw.raw_expiry_days?.value ?? Number.NaN);
  const copy = raw.analytics_copy?.value;
  return {
    rawBucket: text('raw_bucket'),
    processedBucket: text('processed_bucket'),
    ...(typeof failed === 'string' && failed ? { failedBucket: failed } : {}),
    functionName: text('function_name'),
    region: text('region'),
    logGroup: text('log_group'),
    uploadBatchInterval: typeof interval === 'number' ? interval : undefined,
    ...(Number.isSafeInteger(expiry) && expiry >= 0 ? { rawExpiryDays: expiry } : {}),
    ...(copy === true || copy === 'true' ? { analyticsCopy: true } : {}),
    ...(copy === false || copy === 'false' ? { analyticsCopy: false } : {}),
  };
}

export function toAgentSettings(outputs: StackOutputs): DeployedAgentSettings {
  return {
    target: 's3',
    rawBucket: outputs.rawBucket,
    processedBucket: outputs.processedBucket,
    region: outputs.region,
  };
}

/**
 * The agent uploads to the raw bucket; the processed bucket is where the dashboard reads. `profile` and `endpoint`
 * are the ones the deploy ran with: the agent then reaches the buckets the same way (an emulator stays an emulator).
 */
export function withDeployedTarget(
  settings: Settings,
  outputs: StackOutputs,
  access: { profile?: string | undefined; endpoint?: string | undefined } = {},
): Settings {
  return {
    ...settings,
    target: {
      kind: 's3',
      bucket: outputs.rawBucket,
      region: outputs.region,
      ...(access.profile ? { profile: access.profile } : {}),
      ...(access.endpoint ? { endpoint: access.endpoint } : {}),
      processedBucket: outputs.processedBucket,
      // For the cost estimate: what this stack does with the raw batches, and whether it writes the analytics copy.
      ...(outputs.rawExpiryDays ? { rawExpiryDays: outputs.rawExpiryDays } : {}),
      ...(outputs.analyticsCopy ? { analyticsCopy: true } : {}),
    },
    // A monthly PUT budget the user chose is kept; a fixed interval follows the stack's upload_batch_interval.
    ...(outputs.uploadBatchInterval && settings.schedule.kind !== 'budget'
      ? { schedule: { kind: 'interval', minutes: outputs.uploadBatchInterval } }
      : {}),
  };
}
