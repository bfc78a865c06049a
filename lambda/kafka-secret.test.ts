import { readConfig } from './config';
import { withKafkaSecret } from './kafka-secret';
import type { Logger } from './logger';

const ARN = 'arn:aws:secretsmanager:eu-central-1:123456789012:secret:gpuz-cloud/kafka-AbCdEf';
const base = readConfig({
  PROCESSED_BUCKET: 'p',
  KAFKA_BROKERS: 'b-1:9096',
  KAFKA_TOPIC: 'gpu',
  KAFKA_SASL_SECRET_ARN: ARN,
});

function logger() {
  const lines: { message: string; fields?: Record<string, unknown> | undefined }[] = [];
  const log: Logger = {
    info: (message, fields) => lines.push({ message, fields }),
    error: (message, fields) => lines.push({ message, fields }),
  };
  return { lines, log };
}

describe('Kafka credentials from Secrets Manager', () => {
  it('takes username, password and mechanism from the secret; TLS stays on unless the secret says ssl: false', async () => {
    const asked: string[] = [];
    const { log } = logger();
    const config = await withKafkaSecret(base, {
      getSecret: async (arn) => {
        asked.push(arn);
        return '{"username":"gpu","password":"p@ss","mechanism":"SCRAM-SHA-256"}';
      },
      logger: log,
    });
    expect(asked).toEqual([ARN]);
    expect(config.kafka).toMatchObject({
      ssl: true,
      sasl: { mechanism: 'scram-sha-256', username: 'gpu', password: 'p@ss' },
    });
    const plain = await withKafkaSecret(base, {
      getSecret: async () => '{"username":"gpu","password":"x","mechanism":"plain","ssl":false}',
      logger: log,
    });
    expect(plain.kafka).toMatchObject({ ssl: false, sasl: { mechanism: 'plain' } });
  });

  it('without a secret ARN nothing is fetched', async () => {
    const plain = readConfig({ PROCESSED_BUCKET: 'p', KAFKA_BROKERS: 'b:9092', KAFKA_TOPIC: 'gpu' });
    const config = await withKafkaSecret(plain, {
      getSecret: () => Promise.reject(new Error('not called')),
      logger: logger().log,
    });
    expect(config).toBe(plain);
  });

  it('a secret that cannot be read or used turns Kafka off with one error line (advice, never the password)', async () => {
    for (const [secret, reason] of [
      [Promise.reject(new Error('AccessDeniedException: not authorized')), 'AccessDeniedException'],
      [Promise.resolve('not json'), 'not JSON'],
      [Promise.resolve('{"username":"gpu"}'), '"username" and "password"'],
      [Promise.resolve('{"username":"gpu","password":"hunter2","mechanism":"gssapi"}'), 'gssapi'],
    ] as const) {
      const { lines, log } = logger();
      const config = await withKafkaSecret(base, { getSecret: () => secret, logger: log });
      expect(config.kafka).toBeNull();
      expect(config.processedBucket).toBe('p');
      expect(lines).toHaveLength(1);
      expect(lines[0]!.message).toBe('Kafka is off: its credentials could not be read');
      expect(String(lines[0]!.fields?.error)).toContain(reason);
      expect(JSON.stringify(lines)).not.toContain('hunter2');
    }
  });
});
