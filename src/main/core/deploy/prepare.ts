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
import type { DeployCheck, DeployInput, DeployProgress } from '../../../shared/contract';
import { AppError } from '../../../shared/errors';
import {
  DEFAULT_PROJECT,
  EMAIL_PATTERN,
  nameProblem,
  SECRET_ARN_PATTERN,
  stackNames,
} from '../../../shared/stack/names';
import { REGION } from '../app/validate-settings';
import type { DoctorClients } from '../doctor/types';
import { findExistingResources } from './adopt';
import { createAwsClients, resolveRegion } from './aws-clients';
import { type ConcurrencyChoice, decideConcurrency, readAccountConcurrency } from './concurrency';
import { checkCredentials } from './credentials';
import { createDeployEngine, type DeployEngine } from './engine';
import { findTerraform } from './find-terraform';
import { installTerraform, MANUAL_INSTALL_ADVICE } from './install-terraform';
import { TERRAFORM_VERSION, terraformRelease } from './terraform-release';

export interface DeployBundle {
  /** The synthesized stack (cdktf.out/stacks/gpuz-cloud/cdk.tf.json, or resources/infra/stacks/… installed). */
  stackJsonPath: string;
  /** The processor bundle (dist/lambda/gpu-processor.zip, or resources/lambda/… installed). */
  lambdaZipPath: string;
}

export interface PrepareOptions extends DeployBundle {
  stateDir: string;
  env: Record<string, string | undefined>;
  /** terraform or tofu path (CLI --terraform); else GPUZ_TERRAFORM, then the downloaded copy, then PATH. */
  terraformPath?: string;
  /** The machine-local folder (not roaming): the downloaded Terraform and the provider plugin cache live here. */
  localDataDir?: string;
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

export async function prepareDeploy(options: PrepareOptions, input: DeployInput): Promise<PreparedDeploy> {
  const project = input.project || DEFAULT_PROJECT;
  // The stack's own rules (its variable validations and bucket preconditions), checked before anything runs.
  const problem = nameProblem({ project, environment: input.environment });
  if (problem) {
    throw new AppError(
      problem.field === 'project' ? 'BAD_PROJECT' : 'BAD_ENVIRONMENT',
      problem.message,
      'Use lower-case letters, digits or dashes, short enough for every bucket name, e.g. dev or prod.',
    );
  }
  const variables = { ...kafkaVariables(input), ...settingVariables(input) };
  const concurrency = concurrencyChoice(input.concurrency);
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
  const terraformPath = options.terraformPath || input.terraformPath;
  const terraform = await findTerraform({
    ...(terraformPath ? { configuredPath: terraformPath } : {}),
    ...(options.localDataDir ? { bundledDir: downloadedTerraformDir(options.localDataDir) } : {}),
    env: options.env,
  });
  const region = resolveRegion(input.region || undefined, options.env);
  const profile = input.profile || undefined;
  const clients = createAwsClients({ profile, region, endpoint: input.endpoint || undefined });
  const { account, arn } = await checkCredentials({ sts: clients.sts, profile });
  const names = stackNames({ project, environment: input.environment, accountId: account });
  const reserved = decideConcurrency(
    await readAccountConcurrency(clients.lambda, names.functionName),
    concurrency,
  );
  variables.reserved_concurrency = String(reserved.value);
  const engine = createDeployEngine({
    terraform,
    stateDir: options.stateDir,
    ...(options.localDataDir ? { cacheDir: options.localDataDir } : {}),
    stackJsonPath: options.stackJsonPath,
    lambdaZipPath: options.lambdaZipPath,
    accountId: account,
    environment: input.environment,
    region,
    profile,
    projectName: input.project,
    providerMirror: options.env.GPUZ_TF_PROVIDER_MIRROR,
    variables,
    // The state's copy in the account, and adoption of what exists when no state is left anywhere.
    stateCopy: { s3: clients.s3, bucket: names.processedBucket },
    adopt: () =>
      findExistingResources({
        clients,
        names,
        region,
        accountId: account,
        kafkaSecret: Boolean(variables.kafka_sasl_secret_arn),
        alarmEmail: variables.alarm_email ?? '',
        analyticsCopy: variables.analytics_copy === 'true',
      }),
    clock: () => new Date(),
  });
  return {
    engine,
    clients,
    check: {
      terraform: `${terraform.flavor} ${terraform.version}`,
      account,
      arn,
      region,
      notes: reserved.note ? [reserved.note] : [],
    },
  };
}

const EMAIL = new RegExp(`^${EMAIL_PATTERN}$`);

/**
 * alarm_email, raw_expiry_days, lambda_architecture and analytics_copy when given (absent: the engine keeps what
 * is deployed);
 * checked against the stack's own rules first.
 */
function settingVariables(input: DeployInput): Record<string, string> {
  const variables: Record<string, string> = {};
  if (input.alarmEmail !== undefined && input.alarmEmail.trim() !== '') {
    const email = input.alarmEmail.trim();
    if (email !== 'none' && !EMAIL.test(email)) {
      throw new AppError(
        'BAD_ALARM_EMAIL',
        `"${email}" is not an e-mail address.`,
        'Give the address the error alarm should write to, or "none" to stop the e-mails.',
      );
    }
    variables.alarm_email = email === 'none' ? '' : email;
  }
  if (input.rawExpiryDays !== undefined) {
    if (!Number.isInteger(input.rawExpiryDays) || input.rawExpiryDays < 0) {
      throw new AppError(
        'BAD_RAW_EXPIRY',
        `${input.rawExpiryDays} is not a number of days.`,
        'Give whole days after which raw batches are deleted (their processed copy stays), or 0 to keep them.',
      );
    }
    variables.raw_expiry_days = String(input.rawExpiryDays);
  }
  if (input.architecture !== undefined) {
    if (input.architecture !== 'arm64' && input.architecture !== 'x86_64') {
      throw new AppError(
        'BAD_ARCHITECTURE',
        `"${String(input.architecture)}" is not a Lambda architecture.`,
        'Use arm64 (about 20% cheaper) or x86_64.',
      );
    }
    variables.lambda_architecture = input.architecture;
  }
  // The schedule's resources have count 1 or 0: turning the copy on or off is one apply.
  if (input.analyticsCopy !== undefined) variables.analytics_copy = String(input.analyticsCopy === true);
  return variables;
}

function concurrencyChoice(value: DeployInput['concurrency']): ConcurrencyChoice {
  if (value === undefined || value === 'auto') return 'auto';
  if (!Number.isInteger(value) || value < -1) {
    throw new AppError(
      'BAD_CONCURRENCY',
      `${String(value)} is not a concurrency.`,
      'Use a whole number of executions to reserve, -1 for none, or auto.',
    );
  }
  return value;
}

/** Where the pinned release is unpacked: `<local data>/terraform/1.11.4`. */
function downloadedTerraformDir(localDataDir: string): string {
  return join(localDataDir, 'terraform', TERRAFORM_VERSION);
}

/**
 * Fetches the pinned Terraform for this OS and architecture into the local data folder (verified by SHA-256), for
 * the Cloud view's Download button and `deploy --install-terraform`:
 *   await downloadTerraform({ localDataDir, onProgress }) → { path: '…/terraform/1.11.4/terraform.exe', version: '1.11.4' }
 */
export async function downloadTerraform(options: {
  localDataDir: string;
  onProgress?: ((progress: DeployProgress) => void) | undefined;
  platform?: NodeJS.Platform | undefined;
  arch?: string | undefined;
  /** A mirror of releases.hashicorp.com/terraform (GPUZ_TERRAFORM_RELEASES_URL); the pinned sums still apply. */
  releasesUrl?: string | undefined;
}): Promise<{ path: string; version: string }> {
  const platform = options.platform ?? process.platform;
  const arch = options.arch ?? process.arch;
  const release = terraformRelease(platform, arch, options.releasesUrl || undefined);
  if (!release) {
    throw new AppError(
      'TERRAFORM_NO_DOWNLOAD',
      `GPU-Z Cloud has no pinned Terraform release for ${platform} on ${arch}.`,
      MANUAL_INSTALL_ADVICE,
    );
  }
  const { path } = await installTerraform({
    dir: join(options.localDataDir, 'terraform'),
    release,
    onProgress: (bytes, total) =>
      options.onProgress?.({ phase: 'download', done: bytes, total, current: release.file }),
  });
  return { path, version: release.version };
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
