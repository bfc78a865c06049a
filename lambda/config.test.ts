import { LATEST_JSON_KEY } from '../src/shared/keys';
import { processorPolicy } from '../src/shared/stack/policies';
import { readConfig } from './config';

/** The S3 object ARN patterns the function's role may PutObject to, as regular expressions. */
function writableKeys(): RegExp[] {
  const policy = processorPolicy({
    rawBucketArn: 'arn:aws:s3:::raw',
    processedBucketArn: 'arn:aws:s3:::processed',
    failedBucketArn: 'arn:aws:s3:::failed',
    logGroupArn: 'arn:aws:logs:us-east-1:1:log-group:g',
  });
  return policy.Statement.filter((s) => s.Effect === 'Allow' && [s.Action].flat().includes('s3:PutObject'))
    .flatMap((s) => [s.Resource ?? []].flat())
    .map((arn) => new RegExp(`^${arn.replace(/[.]/g, '\\.').replace(/\*/g, '.*')}$`));
}

describe('Lambda config: latest.json.gz', () => {
  it('writes it under processed/, where the stack lets the function write', () => {
    const config = readConfig({ PROCESSED_BUCKET: 'processed', LATEST_JSON: 'true' });
    expect(config.latestJsonKey).toBe(LATEST_JSON_KEY);
    expect(writableKeys().some((re) => re.test(`arn:aws:s3:::processed/${config.latestJsonKey}`))).toBe(true);
    // The old root key would be denied: that is the bug this default fixes.
    expect(writableKeys().some((re) => re.test('arn:aws:s3:::processed/latest.json.gz'))).toBe(false);
  });

  it('refuses a LATEST_JSON_KEY outside processed/ with advice', () => {
    expect(() => readConfig({ PROCESSED_BUCKET: 'p', LATEST_JSON_KEY: 'latest.json.gz' })).toThrow(
      expect.objectContaining({ code: 'CONFIG_INVALID', advice: expect.stringContaining('processed/') }),
    );
  });
});
