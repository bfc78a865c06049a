/**
 * An alarm when the processor fails at least once in five minutes, optionally e-mailed through SNS.
 *
 *   new ErrorAlarm(stack, 'processor_errors', { functionName: 'gpuz-cloud-dev-processor', alarmEmail: 'me@example.com' })
 *     → aws_cloudwatch_metric_alarm.processor_errors (+ aws_sns_topic.processor_errors and its email subscription)
 */
import { CloudwatchMetricAlarm } from '@cdktf/provider-aws/lib/cloudwatch-metric-alarm';
import { SnsTopic } from '@cdktf/provider-aws/lib/sns-topic';
import { SnsTopicSubscription } from '@cdktf/provider-aws/lib/sns-topic-subscription';
import { Construct } from 'constructs';

export interface ErrorAlarmProps {
  functionName: string;
  alarmEmail?: string;
}

export class ErrorAlarm extends Construct {
  readonly alarm: CloudwatchMetricAlarm;
  readonly topic: SnsTopic | undefined;

  constructor(scope: Construct, id: string, props: ErrorAlarmProps) {
    super(scope, id);
    if (props.alarmEmail) {
      this.topic = new SnsTopic(this, 'topic', { name: `${props.functionName}-errors` });
      this.topic.overrideLogicalId(id);
      new SnsTopicSubscription(this, 'email', {
        topicArn: this.topic.arn,
        protocol: 'email',
        endpoint: props.alarmEmail,
      }).overrideLogicalId(`${id}_email`);
    }
    this.alarm = new CloudwatchMetricAlarm(this, 'alarm', {
      alarmName: `${props.functionName}-errors`,
      alarmDescription: 'The GPU-Z processor failed; run `gpuz-cloud doctor` for the last log lines.',
      namespace: 'AWS/Lambda',
      metricName: 'Errors',
      dimensions: { FunctionName: props.functionName },
      statistic: 'Sum',
      period: 300,
      evaluationPeriods: 1,
      threshold: 1,
      comparisonOperator: 'GreaterThanOrEqualToThreshold',
      // No invocations is not a failure.
      treatMissingData: 'notBreaching',
      alarmActions: this.topic ? [this.topic.arn] : [],
    });
    this.alarm.overrideLogicalId(id);
  }
}
