import { type KafkaConfig, type LambdaConfig, MECHANISMS } from './config';
import type { Logger } from './logger';

/**
 * Kafka credentials from AWS Secrets Manager, read once at cold start: the password never sits in the function's
 * environment or the Terraform state (the stack only passes the secret's ARN, and its role may read that one
 * secret).
 *
 *   await withKafkaSecret(config, { getSecret: (arn) => …SecretString…, logger })
 *   secret '{"username":"gpu","password":"…","mechanism":"scram-sha-512"}'
 *     → config.kafka.sasl = { mechanism: 'scram-sha-512', username: 'gpu', password: '…' }, ssl on unless "ssl": false
 * A secret that cannot be read or used turns Kafka off with one logged error (advice included): the S3 output
 * never depends on Kafka.
 */

export interface SecretDeps {
  getSecret(arn: string): Promise<string | undefined>;
  logger: Logger;
}

export async function withKafkaSecret(config: LambdaConfig, deps: SecretDeps): Promise<LambdaConfig> {
  const arn = config.kafka?.saslSecretArn;
  if (!config.kafka || !arn) return config;
  try {
    const text = await deps.getSecret(arn);
    return { ...config, kafka: { ...config.kafka, ...credentialsFrom(text) } };
  } catch (error) {
    deps.logger.error('Kafka is off: its credentials could not be read', {
      secretArn: arn,
      error: error instanceof Error ? error.message : String(error),
      advice:
        'Store {"username":"…","password":"…","mechanism":"scram-sha-512"} as the secret string, and check the ' +
        "function's role may call secretsmanager:GetSecretValue on it (deploy sets that up).",
    });
    return { ...config, kafka: null };
  }
}

function credentialsFrom(text: string | undefined): Pick<KafkaConfig, 'sasl' | 'ssl'> {
  if (!text) throw new Error('the secret has no string value');
  let parsed: { username?: unknown; password?: unknown; mechanism?: unknown; ssl?: unknown };
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new Error('the secret string is not JSON');
  }
  const mechanism = typeof parsed.mechanism === 'string' ? parsed.mechanism.toLowerCase() : 'scram-sha-512';
  if (!(MECHANISMS as readonly string[]).includes(mechanism)) {
    throw new Error(`mechanism "${mechanism}" is not one of ${MECHANISMS.join(', ')}`);
  }
  if (typeof parsed.username !== 'string' || typeof parsed.password !== 'string' || !parsed.username) {
    throw new Error('the secret needs "username" and "password" strings');
  }
  return {
    sasl: {
      mechanism: mechanism as (typeof MECHANISMS)[number],
      username: parsed.username,
      password: parsed.password,
    },
    ssl: parsed.ssl !== false,
  };
}
