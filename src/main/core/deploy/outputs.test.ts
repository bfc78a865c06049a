import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Settings } from '../../../shared/contract';
import { parseStackOutputs, toAgentSettings, withDeployedTarget } from './outputs';

const recorded = readFileSync(join(import.meta.dirname, 'fixtures', 'terraform-1.11-output.json'), 'utf8');
const settings: Settings = {
  logPath: 'C:/GPU-Z/log.txt',
  target: { kind: 'local', dir: '/tmp/store' },
  schedule: { kind: 'interval', minutes: 60 },
  compression: 'gzip',
  host: 'gaming-pc',
  timeZone: 'Europe/Berlin',
};

describe('stack outputs', () => {
  it('reads `terraform output -json` as recorded from Terraform 1.11.4', () => {
    expect(parseStackOutputs(recorded)).toEqual({
      rawBucket: 'gpuz-cloud-dev-raw-000000000000',
      processedBucket: 'gpuz-cloud-dev-processed-000000000000',
      functionName: 'gpuz-cloud-dev-processor',
      region: 'us-east-1',
      logGroup: '/aws/lambda/gpuz-cloud-dev-processor',
      uploadBatchInterval: undefined,
    });
  });

  it('becomes the agent settings object', () => {
    expect(toAgentSettings(parseStackOutputs(recorded))).toEqual({
      target: 's3',
      rawBucket: 'gpuz-cloud-dev-raw-000000000000',
      processedBucket: 'gpuz-cloud-dev-processed-000000000000',
      region: 'us-east-1',
    });
  });

  it('points the agent settings at the raw bucket (dashboard at the processed one) with the profile or endpoint and the stack’s upload interval', () => {
    const outputs = { ...parseStackOutputs(recorded), uploadBatchInterval: 15 };
    expect(withDeployedTarget(settings, outputs, { profile: 'home' })).toEqual({
      ...settings,
      target: {
        kind: 's3',
        bucket: 'gpuz-cloud-dev-raw-000000000000',
        region: 'us-east-1',
        profile: 'home',
        processedBucket: 'gpuz-cloud-dev-processed-000000000000',
      },
      schedule: { kind: 'interval', minutes: 15 },
    });
    expect(
      withDeployedTarget(settings, parseStackOutputs(recorded), { endpoint: 'http://127.0.0.1:5000' }),
    ).toEqual({
      ...settings,
      target: {
        kind: 's3',
        bucket: 'gpuz-cloud-dev-raw-000000000000',
        region: 'us-east-1',
        endpoint: 'http://127.0.0.1:5000',
        processedBucket: 'gpuz-cloud-dev-processed-000000000000',
      },
    });
  });

  it('reads what the stack does with raw batches and whether it writes the analytics copy, and keeps it in the target (the cost estimate’s defaults)', () => {
    // Arrange: `terraform output -json` of the real stack (number and bool variables), and as text
    const with30 = JSON.stringify({
      ...JSON.parse(recorded),
      raw_expiry_days: { sensitive: false, type: 'number', value: 30 },
      analytics_copy: { sensitive: false, type: 'bool', value: true },
    });
    const kept = JSON.stringify({
      ...JSON.parse(recorded),
      raw_expiry_days: { value: '0' },
      analytics_copy: { value: 'false' },
    });
    // Act
    const outputs = parseStackOutputs(with30);
    const target = withDeployedTarget(settings, outputs).target;
    // Assess: before, the Costs view priced raw batches as kept for ever whatever the stack deleted
    expect(outputs).toMatchObject({ rawExpiryDays: 30, analyticsCopy: true });
    expect(target).toEqual({
      kind: 's3',
      bucket: 'gpuz-cloud-dev-raw-000000000000',
      region: 'us-east-1',
      processedBucket: 'gpuz-cloud-dev-processed-000000000000',
      rawExpiryDays: 30,
      analyticsCopy: true,
    });
    expect(parseStackOutputs(kept)).toMatchObject({ rawExpiryDays: 0, analyticsCopy: false });
    expect(withDeployedTarget(settings, parseStackOutputs(kept)).target).not.toHaveProperty('rawExpiryDays');
    expect(withDeployedTarget(settings, parseStackOutputs(kept)).target).not.toHaveProperty('analyticsCopy');
  });

  it('keeps a monthly PUT budget the user chose instead of the stack’s fixed interval', () => {
    const budget: Settings = { ...settings, schedule: { kind: 'budget', monthlyPuts: 2000 } };
    const outputs = { ...parseStackOutputs(recorded), uploadBatchInterval: 15 };
    expect(withDeployedTarget(budget, outputs).schedule).toEqual({ kind: 'budget', monthlyPuts: 2000 });
  });

  it('says to deploy again when an output is missing', () => {
    expect(() => parseStackOutputs('{"raw_bucket":{"value":"r"}}')).toThrow(
      expect.objectContaining({
        code: 'OUTPUTS_MISSING',
        message: 'The deployed stack has no "processed_bucket" output.',
      }),
    );
  });
});
