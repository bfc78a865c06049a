// biome-ignore-all lint/suspicious/noTemplateCurlyInString: Terraform interpolations (${…}) are the expected synthesized values.
import { Testing } from 'cdktf';
import { findBroadS3Grants, type PolicyDocument } from '../src/shared/stack/policies';
import { ANALYTICS_EVENT, ANALYTICS_SCHEDULE } from './analytics-copy';
import { resolveConfig } from './config';
import { GpuzCloudStack } from './stack';
import { writeEmptyZip } from './testing/empty-zip';

type Json = Record<string, Record<string, Record<string, Record<string, unknown>>>>;
const zip = writeEmptyZip();

function synth(analyticsCopy?: boolean): Json {
  const config = resolveConfig({ lambdaZipPath: zip.path, ...(analyticsCopy ? { analyticsCopy } : {}) });
  return JSON.parse(Testing.synth(new GpuzCloudStack(Testing.app(), 'test', config))) as Json;
}

describe('the daily analytics copy in the stack', () => {
  it('is a bool variable, off by default, that gives every one of its resources count 1 or 0', () => {
    const json = synth();
    expect(json.variable!.analytics_copy).toMatchObject({ type: 'bool', default: false });
    for (const type of [
      'aws_cloudwatch_event_rule',
      'aws_cloudwatch_event_target',
      'aws_lambda_permission',
      'aws_iam_role_policy',
    ]) {
      expect(json.resource![type]!.analytics_copy!.count).toBe('${var.analytics_copy ? 1 : 0}');
    }
    expect(synth(true).variable!.analytics_copy!.default).toBe(true);
  });

  it('invokes the processor once a day at 12:20 UTC with the copy event, allowed for that rule only', () => {
    const json = synth();
    expect(json.resource!.aws_cloudwatch_event_rule!.analytics_copy!.schedule_expression).toBe(
      ANALYTICS_SCHEDULE,
    );
    expect(json.resource!.aws_cloudwatch_event_target!.analytics_copy).toMatchObject({
      arn: '${aws_lambda_function.processor.arn}',
      input: JSON.stringify(ANALYTICS_EVENT),
      rule: '${aws_cloudwatch_event_rule.analytics_copy[0].name}',
    });
    expect(json.resource!.aws_lambda_permission!.analytics_copy).toMatchObject({
      principal: 'events.amazonaws.com',
      source_arn: '${aws_cloudwatch_event_rule.analytics_copy[0].arn}',
    });
  });

  it('grants only LIST of processed/ and analytics/, GET of processed/*, PUT of analytics/*', () => {
    const policy = JSON.parse(
      synth().resource!.aws_iam_role_policy!.analytics_copy!.policy as string,
    ) as PolicyDocument;
    expect(findBroadS3Grants(policy)).toEqual([]);
    expect(policy.Statement.map((s) => [s.Action, s.Resource])).toEqual([
      ['s3:ListBucket', '${aws_s3_bucket.processed.arn}'],
      ['s3:GetObject', '${aws_s3_bucket.processed.arn}/processed/*'],
      ['s3:PutObject', '${aws_s3_bucket.processed.arn}/analytics/*'],
    ]);
  });
});
