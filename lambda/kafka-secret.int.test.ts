/**
 * The built Lambda bundle (dist/lambda/index.mjs, as deployed) with Kafka credentials in a Secrets Manager
 * secret: moto serves S3 and Secrets Manager, the test broker's SASL/PLAIN listener checks the user. Each case
 * runs the bundle in its own Node process (the handler reads its configuration once, at cold start), on this
 * machine's Node and on Node 22 (Lambda's nodejs22.x).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CreateSecretCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { processedKeyFor } from '../src/shared/keys';
import { motoClientConfig, SAMPLES_DIR } from '../src/test-support/services';
import { invokeBundle, LAMBDA_RUNTIMES } from './testing/invoke-bundle';
import { consumeAll } from './testing/kafka-reader';
import { makeBatches } from './testing/make-batches';
import { createdEvent, createS3Harness } from './testing/s3-harness';

const saslBrokers = process.env.GPUZ_TEST_KAFKA_SASL_BROKERS;
const user = {
  username: process.env.GPUZ_TEST_KAFKA_SASL_USERNAME ?? '',
  password: process.env.GPUZ_TEST_KAFKA_SASL_PASSWORD ?? '',
};
const noSasl = saslBrokers
  ? null
  : 'the Kafka in the environment has no SASL listener (GPUZ_TEST_KAFKA_SASL_BROKERS unset; scripts/services.mjs provides one)';

describe.each(LAMBDA_RUNTIMES)('built Lambda on $name, Kafka credentials from Secrets Manager', (runtime) => {
  const skip = noSasl ?? runtime.skip;
  describe.skipIf(skip !== null)(skip ? `(skipped: ${skip})` : 'SASL/PLAIN', () => {
    async function setup(secret: string | null) {
      const h = await createS3Harness();
      const topic = `gpu-sasl-${Math.random().toString(36).slice(2, 10)}`;
      let arn = `arn:aws:secretsmanager:us-east-1:123456789012:secret:gpuz-missing-${topic}`;
      if (secret !== null) {
        const secrets = new SecretsManagerClient(motoClientConfig(h.services));
        arn = (
          await secrets.send(new CreateSecretCommand({ Name: `gpuz-cloud/${topic}`, SecretString: secret }))
        ).ARN!;
      }
      const batches = makeBatches(readFileSync(join(SAMPLES_DIR, 'gpuz/nvidia-ada-pwrsrc-gpuz-2024.txt')), {
        host: 'test-pc',
        fileId: 's1',
        parts: 1,
      });
      for (const batch of batches) await h.putRaw(batch.key, batch.body);
      const env = {
        PROCESSED_BUCKET: h.processedBucket,
        S3_ENDPOINT: h.services.motoEndpoint,
        AWS_ENDPOINT_URL_SECRETS_MANAGER: h.services.motoEndpoint,
        KAFKA_BROKERS: saslBrokers!,
        KAFKA_TOPIC: topic,
        KAFKA_SASL_SECRET_ARN: arn,
        KAFKA_TIMEOUT_MS: '5000',
      };
      const event = createdEvent(
        h.rawBucket,
        batches.map((b) => ({ key: b.key, size: 1 })),
      );
      return { h, topic, env, event, batches };
    }

    it('reads the secret at cold start, authenticates with SASL/PLAIN and produces every row once', async () => {
      const { h, topic, env, event, batches } = await setup(
        JSON.stringify({ ...user, mechanism: 'plain', ssl: false }),
      );
      const { summary, logs } = await invokeBundle(runtime, env, event);
      expect(summary).toMatchObject({ processed: 1, rows: 356, kafkaSent: 356, kafkaFailed: 0 });
      expect(logs.filter((l) => l.level === 'error')).toEqual([]);
      expect(JSON.stringify(logs)).not.toContain(user.password);
      const messages = await consumeAll(h.services.kafkaBrokers, topic, 356);
      expect(messages).toHaveLength(356);
      expect(await h.listProcessed()).toEqual([processedKeyFor(batches[0]!.key)]);
    }, 90_000);

    it('a wrong password: the broker refuses, the rows are counted as failed, the S3 output is written', async () => {
      const { h, env, event, batches } = await setup(
        JSON.stringify({ username: user.username, password: 'wrong', mechanism: 'plain', ssl: false }),
      );
      const { summary } = await invokeBundle(runtime, env, event);
      expect(summary).toMatchObject({ processed: 1, rows: 356, kafkaSent: 0, kafkaFailed: 356 });
      expect(await h.listProcessed()).toEqual([processedKeyFor(batches[0]!.key)]);
    }, 90_000);

    it('a missing secret: Kafka is off with one error line and advice, the S3 output is written', async () => {
      const { h, env, event, batches } = await setup(null);
      const { summary, logs } = await invokeBundle(runtime, env, event);
      expect(summary).toMatchObject({ processed: 1, rows: 356, kafkaSent: 0, kafkaFailed: 0 });
      expect(logs.filter((l) => l.level === 'error')).toEqual([
        expect.objectContaining({
          message: 'Kafka is off: its credentials could not be read',
          advice: expect.stringContaining('secretsmanager:GetSecretValue'),
        }),
      ]);
      expect(await h.listProcessed()).toEqual([processedKeyFor(batches[0]!.key)]);
    }, 90_000);
  });
});
