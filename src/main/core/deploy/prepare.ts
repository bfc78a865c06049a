/**
 * Everything a deploy or destroy needs before Terraform runs, for the CLI and the app alike:
 *   const { engine, clients, check } = await prepareDeploy({ stateDir, stackJsonPath, lambdaZipPath, env },
 *                                                          { profile: 'home', region: 'eu-central-1', environment: 'dev' })
 *   check → { terraform: 'terraform 1.11.4', account: '123456789012', arn: 'arn:aws:iam::…', region: 'eu-central-1' }
 * The binary is found (or TERRAFORM_MISSING with how to get one), the credentials are checked with STS
 * GetCallerIdentity first (CREDENTIALS_* with advice), and the engine works in the account's own folder.
 */
import { access } from 'node:fs/promises';
import { join } from 'node:path';
import type { DeployCheck, DeployInput } from '../../../shared/contract';
import { AppError } from '../../../shared/errors';
import { NAME_PART_PATTERN, SECRET_ARN_PATTERN } from '../../../shared/stack/names';
import { REGION } from '../app/validate-settings';
import type { DoctorClients } from '../doctor/types';
import { createAwsClients, resolveRegion } from './aws-clients';
import { checkCredentials } from './credentials';
import { createDeployEngine, type DeployEngine } from './engine';
import { findTerraform } from './find-terraform';

export interface DeployBundle {
  /** The synthesized stack (cdktf.out/stacks/gpuz-cloud/cdk.tf.json, or resources/infra/stacks/… installed). */
  stackJsonPath: string;
  /** The processor bundle (dist/lambda/gpu-processor.zip, or resources/lambda/… installed). */
  lambdaZipPath: string;
}

export interface PrepareOptions extends DeployBundle {
  stateDir: string;
  env: Record<string, string | undefined>;
  /** terraform or tofu path (CLI --terraform); else GPUZ_TERRAFORM, then PATH. */
  terraformPath?: string;
}

export interface PreparedDeploy {
  engine: DeployEngine;
  clients: DoctorClients;
  check: DeployCheck;
}

/** Where a source checkout (or an install laid out like one) keeps them; GPUZ_STACK_JSON / GPUZ_LAMBDA_ZIP override. */
export function deployBundleIn(root: string, env: Record<string, string | undefined>): DeployBundle {
  return {
    stackJsonPath: env.GPUZ_STACK_JSON ?? join(root, 'cdktf.out', 'stacks', 'gpuz-cloud', 'cdk.tf.json'),
    lambdaZipPath: env.GPUZ_LAMBDA_ZIP ?? join(root, 'dist', 'lambda', 'gpu-processor.zip'),
  };
}

/** The stack's own rule for environment names (its variable validation), checked before anything runs. */
const ENVIRONMENT = new RegExp(NAME_PART_PATTERN);

export async function prepareDeploy(options: PrepareOptions, input: DeployInput): Promise<PreparedDeploy> {
  if (!ENVIRONMENT.test(input.environment)) {
    throw new AppError(
      'BAD_ENVIRONMENT',
      `"${input.environment}" is not an environment name.`,
      'Use 1–20 lower-case letters, digits or dashes (it becomes part of the bucket names), e.g. dev or prod.',
    );
  }
  const kafka = kafkaVariables(input);
  if (input.region && !REGION.test(input.region)) {
    throw new AppError(
      'BAD_REGION',
      `"${input.region}" is not an AWS region code.`,
      'Use a code such as eu-central-1 or us-east-1, or leave it empty for AWS_REGION.',
    );
  }
  await access(options.stackJsonPath).catch((error: unknown) => {
    throw new AppError(
      'STACK_MISSING',
      `The synthesized stack ${options.stackJsonPath} does not exist.`,
      'Run `npm run build:lambda && npm run synth` in the source checkout (an installed app ships it).',
      { cause: error },
    );
  });
  const terraform = await findTerraform({
    ...(options.terraformPath ? { configuredPath: options.terraformPath } : {}),
    env: options.env,
  });
  const region = resolveRegion(input.region || undefined, options.env);
  const profile = input.profile || undefined;
  const clients = createAwsClients({ profile, region, endpoint: input.endpoint || undefined });
  const { account, arn } = await checkCredentials({ sts: clients.sts, profile });
  const engine = createDeployEngine({
    terraform,
    stateDir: options.stateDir,
    stackJsonPath: options.stackJsonPath,
    lambdaZipPath: options.lambdaZipPath,
    accountId: account,
    environment: input.environment,
    region,
    profile,
    projectName: input.project,
    providerMirror: options.env.GPUZ_TF_PROVIDER_MIRROR,
    variables: kafka,
    clock: () => new Date(),
  });
  return {
    engine,
    clients,
    check: { terraform: `${terraform.flavor} ${terraform.version}`, account, arn, region },
  };
}

const BROKER = /^[A-Za-z0-9.-]+:\d{1,5}$/;
const TOPIC = /^[A-Za-z0-9._-]{1,249}$/;
/** The stack's kafka_sasl_secret_arn rule, without the empty case. */
const SECRET_ARN = new RegExp(`^${SECRET_ARN_PATTERN}$`);

/**
 * kafka_endpoint and kafka_topic go together: both set turns the Lambda's Kafka producer on, both empty off.
 * kafka_sasl_secret_arn (optional, with them) names the secret holding the Kafka user.
 */
function kafkaVariables(input: DeployInput): Record<string, string> {
  const brokers = (input.kafkaEndpoint ?? '')
    .split(',')
    .map((b) => b.trim())
    .filter(Boolean);
  const topic = input.kafkaTopic?.trim() ?? '';
  const secretArn = input.kafkaSaslSecretArn?.trim() ?? '';
  if (secretArn !== '' && !SECRET_ARN.test(secretArn)) {
    throw new AppError(
      'BAD_KAFKA',
      `"${secretArn}" is not a Secrets Manager secret ARN.`,
      'Copy the ARN from `aws secretsmanager describe-secret --secret-id <name>` (arn:aws:secretsmanager:…:secret:…).',
    );
  }
  if (brokers.length === 0 && topic === '' && secretArn === '') {
    return { kafka_endpoint: '', kafka_topic: '', kafka_sasl_secret_arn: '' };
  }
  if (brokers.length === 0 || topic === '') {
    throw new AppError(
      'BAD_KAFKA',
      'Kafka needs both the brokers and a topic.',
      'Give both (e.g. b-1.example.com:9092 and gpu-metrics), or leave both empty to keep Kafka off.',
    );
  }
  const bad = brokers.find((b) => !BROKER.test(b));
  if (bad) {
    throw new AppError(
      'BAD_KAFKA',
      `"${bad}" is not a Kafka broker address.`,
      'Write each broker as host:port, separated by commas.',
    );
  }
  if (!TOPIC.test(topic)) {
    throw new AppError(
      'BAD_KAFKA',
      `"${topic}" is not a Kafka topic name.`,
      'Topic names are letters, digits, dots, dashes and underscores.',
    );
  }
  return { kafka_endpoint: brokers.join(','), kafka_topic: topic, kafka_sasl_secret_arn: secretArn };
}
