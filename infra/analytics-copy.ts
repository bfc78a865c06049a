/**
 * The optional daily analytics copy (docs/analytics.md): a schedule that invokes the processor once a day
 * with `{"gpuzAnalyticsCopy":{…}}`, and the rights that job needs. Off unless `analytics_copy = true`: every
 * resource has count 0 then, so turning it on or off is one apply.
 *
 *   new AnalyticsCopy(stack, 'analytics_copy_schedule', { enabled: v.analyticsCopy, functionArn, functionName, roleId, processedBucketArn })
 *     → aws_cloudwatch_event_rule.analytics_copy (cron 20 12 * * ? *: yesterday has ended in every zone),
 *       aws_cloudwatch_event_target.analytics_copy, aws_lambda_permission.analytics_copy,
 *       aws_iam_role_policy.analytics_copy (LIST processed/ and analytics/, GET processed/*, PUT analytics/*)
 * EventBridge scheduled rules cost nothing; the requests and storage it causes are in the cost model.
 */
import { CloudwatchEventRule } from '@cdktf/provider-aws/lib/cloudwatch-event-rule';
import { CloudwatchEventTarget } from '@cdktf/provider-aws/lib/cloudwatch-event-target';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { LambdaPermission } from '@cdktf/provider-aws/lib/lambda-permission';
import { Fn, type IResolvable, Token } from 'cdktf';
import { Construct } from 'constructs';
import { analyticsCopyPolicy } from '../src/shared/stack/policies';

export interface AnalyticsCopyProps {
  functionArn: string;
  functionName: string;
  /** The processor role's id (the policy is attached to it). */
  roleId: string;
  processedBucketArn: string;
  /** The `analytics_copy` variable (variables.ts). */
  enabled: IResolvable;
}

export const ANALYTICS_SCHEDULE = 'cron(20 12 * * ? *)';
export const ANALYTICS_EVENT = { gpuzAnalyticsCopy: { lookbackDays: 3 } };

export class AnalyticsCopy extends Construct {
  constructor(scope: Construct, id: string, props: AnalyticsCopyProps) {
    super(scope, id);
    // The resources' Terraform names (the construct id differs: the variable of that name is a sibling).
    const name = 'analytics_copy';
    const count = Token.asNumber(Fn.conditional(props.enabled, 1, 0));
    const rule = new CloudwatchEventRule(this, 'rule', {
      count,
      name: `${props.functionName}-analytics-copy`,
      description: 'Once a day: yesterday’s rows as Parquet (gpuz-cloud daily analytics copy)',
      scheduleExpression: ANALYTICS_SCHEDULE,
    });
    rule.overrideLogicalId(name);
    const ruleArn = `\${aws_cloudwatch_event_rule.${name}[0].arn}`;
    new CloudwatchEventTarget(this, 'target', {
      count,
      rule: `\${aws_cloudwatch_event_rule.${name}[0].name}`,
      arn: props.functionArn,
      input: JSON.stringify(ANALYTICS_EVENT),
    }).overrideLogicalId(name);
    new LambdaPermission(this, 'permission', {
      count,
      statementId: 'AllowDailyAnalyticsCopy',
      action: 'lambda:InvokeFunction',
      functionName: props.functionName,
      principal: 'events.amazonaws.com',
      sourceArn: ruleArn,
    }).overrideLogicalId(name);
    new IamRolePolicy(this, 'policy', {
      count,
      name: 'processor-analytics-copy',
      role: props.roleId,
      policy: JSON.stringify(analyticsCopyPolicy(props.processedBucketArn)),
    }).overrideLogicalId(name);
  }
}
