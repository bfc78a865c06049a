/**
 * The stack's Terraform variables: what `gpuz-cloud deploy` and the Cloud view set per apply (`-var name=value`),
 * with the typed configuration's values as defaults and the shared rules (src/shared/stack) as validations.
 *
 *   declareVariables(stack, config)
 *     → { region, environment, project, kafkaEndpoint, …, alarmEmail, rawExpiryDays, architecture,
 *         reservedConcurrency, analyticsCopy, zipPath }   (Terraform expressions: `${var.environment}` …)
 */
import { TerraformVariable, type TerraformVariableConfig } from 'cdktf';
import type { Construct } from 'constructs';
import {
  EMAIL_PATTERN,
  MAX_NAME_PARTS,
  NAME_PART_PATTERN,
  SECRET_ARN_PATTERN,
} from '../src/shared/stack/names';
import type { GpuzCloudConfig } from './config';

export const ARCHITECTURES = ['arm64', 'x86_64'] as const;

export function declareVariables(stack: Construct, config: GpuzCloudConfig) {
  const variable = (
    id: string,
    props: TerraformVariableConfig,
    rule?: [condition: string, message: string],
  ) =>
    new TerraformVariable(stack, id, {
      ...props,
      ...(rule ? { validation: [{ condition: `\${${rule[0]}}`, errorMessage: rule[1] }] } : {}),
    });
  const text = (id: string, value: string, description: string, rule?: [string, string]) =>
    variable(id, { type: 'string', default: value, description }, rule).stringValue;
  const whole = (id: string, value: number, description: string, rule?: [string, string]) =>
    variable(id, { type: 'number', default: value, description }, rule).numberValue;
  const namePart = (id: string): [string, string] => [
    `can(regex("${NAME_PART_PATTERN}", var.${id}))`,
    `${id} must be lower-case letters, digits and dashes, starting with a letter or digit; project_name and ` +
      `environment may take ${MAX_NAME_PARTS} characters together so every bucket name fits S3's 63.`,
  ];
  const integer = (id: string, min: number) => `var.${id} >= ${min} && floor(var.${id}) == var.${id}`;
  const optional = (id: string, pattern: string) => `can(regex("^(${pattern})?$", var.${id}))`;

  return {
    region: text('aws_region', config.region, 'AWS region for every resource'),
    environment: text('environment', config.environment, 'Stage name (dev, prod…)', namePart('environment')),
    project: text(
      'project_name',
      config.projectName,
      'First part of every resource name',
      namePart('project_name'),
    ),
    kafkaEndpoint: text('kafka_endpoint', config.kafkaEndpoint, 'Kafka brokers (host:port,…); empty: off'),
    kafkaTopic: text('kafka_topic', config.kafkaTopic, 'Kafka topic; empty: off'),
    kafkaSaslSecretArn: text(
      'kafka_sasl_secret_arn',
      config.kafkaSaslSecretArn,
      'Secrets Manager secret holding {"username","password","mechanism"} for Kafka; empty: no SASL',
      [
        optional('kafka_sasl_secret_arn', SECRET_ARN_PATTERN),
        'kafka_sasl_secret_arn must be empty or a Secrets Manager secret ARN.',
      ],
    ),
    uploadBatchInterval: whole(
      'upload_batch_interval',
      config.uploadBatchInterval,
      'Minutes between the agent uploads (read back by the agent from the outputs)',
    ),
    alarmEmail: text(
      'alarm_email',
      config.alarmEmail ?? '',
      'Address the error alarm e-mails (the owner confirms the subscription); empty: no e-mail',
      [optional('alarm_email', EMAIL_PATTERN), 'alarm_email must be empty or an e-mail address.'],
    ),
    rawExpiryDays: whole(
      'raw_expiry_days',
      config.rawExpiryDays ?? 0,
      'Delete raw/ batches this many days after upload (the processed copy stays); 0 keeps them',
      [
        integer('raw_expiry_days', 0),
        'raw_expiry_days must be a whole number of days, 0 to keep raw batches.',
      ],
    ),
    architecture: text(
      'lambda_architecture',
      config.architecture,
      'arm64 (Graviton, about 20% cheaper) or x86_64',
      [
        `contains(${JSON.stringify(ARCHITECTURES)}, var.lambda_architecture)`,
        'lambda_architecture must be arm64 or x86_64.',
      ],
    ),
    reservedConcurrency: whole(
      'reserved_concurrency',
      config.reservedConcurrency,
      'Concurrent executions reserved for (and capping) the function; -1 reserves none (accounts with a quota of 10 cannot reserve any)',
      [
        integer('reserved_concurrency', -1),
        'reserved_concurrency must be a whole number, -1 for no reservation.',
      ],
    ),
    analyticsCopy: variable('analytics_copy', {
      type: 'bool',
      default: config.analyticsCopy ?? false,
      description: 'Write a daily Parquet copy of the rows under analytics/ in the processed bucket',
    }).booleanValue,
    zipPath: text('lambda_zip_path', config.lambdaZipPath, 'Path of the processor bundle zip'),
  };
}

export type StackVariables = ReturnType<typeof declareVariables>;
