import { readFileSync } from 'node:fs';
import { readConfig } from './config';
import { type S3Event, s3Objects } from './s3-event';

const fixture: S3Event = JSON.parse(
  readFileSync(new URL('./fixtures/s3-put-event.json', import.meta.url), 'utf8'),
);

describe('s3Objects', () => {
  it('decodes form-encoded keys (+ is a space) and ignores non-create records', () => {
    expect(s3Objects(fixture)).toEqual([
      {
        bucket: 'gpuz-cloud-raw-example',
        key: 'raw/gaming-pc/2026/08/06/f1+x y-0-220499.csv.gz',
        size: 24312,
      },
    ]);
  });
});

describe('readConfig', () => {
  it('leaves Kafka off without brokers and topic, and reads its settings when set', () => {
    expect(readConfig({ PROCESSED_BUCKET: 'p' })).toMatchObject({
      kafka: null,
      latestJson: false,
      timeZone: 'UTC',
    });
    expect(
      readConfig({
        PROCESSED_BUCKET: 'p',
        KAFKA_BROKERS: 'a:9092, b:9092',
        KAFKA_TOPIC: 'gpu',
        KAFKA_SASL_MECHANISM: 'SCRAM-SHA-512',
        KAFKA_SASL_USERNAME: 'u',
        KAFKA_SASL_PASSWORD: 'p',
        KAFKA_TIMEOUT_MS: '2000',
        LATEST_JSON: 'true',
      }),
    ).toMatchObject({
      latestJson: true,
      kafka: {
        brokers: ['a:9092', 'b:9092'],
        topic: 'gpu',
        timeoutMs: 2000,
        batchSize: 500,
        sasl: { mechanism: 'scram-sha-512', username: 'u', password: 'p' },
      },
    });
  });

  it('refuses to start without a processed bucket or with an unknown SASL mechanism', () => {
    expect(() => readConfig({})).toThrow(/PROCESSED_BUCKET/);
    expect(() =>
      readConfig({
        PROCESSED_BUCKET: 'p',
        KAFKA_BROKERS: 'a:1',
        KAFKA_TOPIC: 't',
        KAFKA_SASL_MECHANISM: 'gssapi',
      }),
    ).toThrow(/not supported/);
  });
});
