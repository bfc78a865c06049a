/**
 * An alarm when the processor fails at least once in five minutes, published to an SNS topic, which e-mails the
 * owner when `alarm_email` is set (they confirm the subscription from the e-mail AWS sends).
 *
 *   new ErrorAlarm(stack, 'processor_errors', { functionName, alarmName, topicName, alarmEmail: '${var.alarm_email}' })
 *     → aws_cloudwatch_metric_alarm.processor_errors, aws_sns_topic.processor_errors and
 *       aws_sns_topic_subscription.processor_errors_email (count 1 with an address, 0 without)
 * The topic is always there: it costs nothing while idle, and an address set later only adds the subscription.
 */
import { CloudwatchMetricAlarm } from '@cdktf/provider-aws/lib/cloudwatch-metric-alarm';
import { SnsTopic } from '@cdktf/provider-aws/lib/sns-topic';
import { SnsTopicSubscription } from '@cdktf/provider-aws/lib/sns-topic-subscription';
import { Fn, Op, Token } from 'cdktf';
import { Construct } from 'constructs';

export interface ErrorAlarmProps {
  functionName: string;
  alarmName: string;
  topicName: string;
  /** An address or a Terraform expression for one; empty: no e-mail. */
  alarmEmail: string;
}

export class ErrorAlarm extends Construct {
  readonly alarm: CloudwatchMetricAlarm;
  readonly topic: SnsTopic;

  constructor(scope: Construct, id: string, props: ErrorAlarmProps) {
    super(scope, id);
    this.topic = new SnsTopic(this, 'topic', { name: props.topicName });
    this.topic.overrideLogicalId(id);
    new SnsTopicSubscription(this, 'email', {
      // cdktf's Op.eq renders '' as undefined (see processor.ts): "at least one character" instead.
      count: Token.asNumber(Fn.conditional(Op.gte(Fn.lengthOf(props.alarmEmail), 1), 1, 0)),
      topicArn: this.topic.arn,
      protocol: 'email',
      endpoint: props.alarmEmail,
    }).overrideLogicalId(`${id}_email`);
    this.alarm = new CloudwatchMetricAlarm(this, 'alarm', {
      alarmName: props.alarmName,
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
      alarmActions: [this.topic.arn],
      // Back to OK is worth an e-mail too: the owner then knows the failures stopped.
      okActions: [this.topic.arn],
    });
    this.alarm.overrideLogicalId(id);
  }
}
