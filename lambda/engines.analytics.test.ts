import { readFileSync } from 'node:fs';
import {
  expectedRows,
  hottestMinutes,
  hottestMismatches,
} from '../src/main/core/export/expected-rows.test-support';
import type { StoredSample } from '../src/main/core/export/sample-store.test-support';
import { createKafkaProducer } from '../src/shared/process/kafka-producer';
import { runRecipe, SPARK_KAFKA_JARS } from '../src/test-support/analytics-engines';
import { requireServices, SAMPLES_DIR } from '../src/test-support/services';
import { copyAnalytics } from './analytics-copy';
import { createHandler } from './create-handler';
import { createTestTopic } from './testing/kafka-topic';
import { createdEvent, createS3Harness } from './testing/s3-harness';

/** Real samples, one host each, uploaded raw and processed by the real handler (moto; Kafka when given). */
const SAMPLES = [
  {
    host: 'gaming-pc',
    key: 'raw/gaming-pc/2026/08/06/a-0-1.csv',
    file: 'gpuz/nvidia-2x8pin-hotspot-gpuz-2026-bm1.txt',
  },
  {
    host: 'living-room',
    key: 'raw/living-room/2024/04/20/b-0-1.csv',
    file: 'gpuz/nvidia-ada-pwrsrc-gpuz-2024.txt',
  },
  {
    host: 'radeon',
    key: 'raw/radeon/2020/03/16/c-0-1.csv',
    file: 'gpuz/amd-radeon-hbm2-gpuz-2020-12-sessions.txt',
  },
];
const ZONE = 'Europe/Berlin';

async function processSamples(env: Record<string, string> = {}) {
  const h = await createS3Harness(env);
  const producer = h.config.kafka ? createKafkaProducer(h.config.kafka) : null;
  const handler = createHandler({ s3: h.s3, producer, config: h.config, logger: h.logger });
  const stored: StoredSample[] = [];
  try {
    for (const sample of SAMPLES) {
      const bytes = readFileSync(`${SAMPLES_DIR}${sample.file}`);
      await h.putRaw(sample.key, bytes, { timezone: ZONE });
      const summary = await handler(createdEvent(h.rawBucket, [{ key: sample.key, size: bytes.length }]));
      stored.push({ host: sample.host, file: sample.file, bytes, rows: summary.rows, timeZone: ZONE });
    }
  } finally {
    await producer?.disconnect();
  }
  return { h, stored };
}

describe('DuckDB over the daily analytics copy in the bucket (httpfs → moto)', () => {
  it('answers the duckdb-s3 recipe with the parser’s numbers for every host and day', async () => {
    // Prepare: one copy run the day after each sample's last day (a 3-day look-back covers the AMD log's 3 days).
    const { h, stored } = await processSamples();
    for (const now of ['2026-08-07T12:20:00Z', '2024-04-21T12:20:00Z', '2020-03-19T12:20:00Z']) {
      await copyAnalytics({ s3: h.s3, bucket: h.processedBucket, now: new Date(now) });
    }
    // Act
    const answer = runRecipe<{ host: string; date: string; minute: string; temp_c: number }>(
      'duckdb-s3',
      { 's3://gpuz-cloud-dev-123456789012-processed/': `s3://${h.processedBucket}/` },
      { s3Endpoint: h.services.motoEndpoint },
    );
    // Assess
    const expected = hottestMinutes(stored.flatMap(expectedRows));
    expect(hottestMismatches(answer, expected)).toEqual([]);
    expect(new Set(answer.map((r) => r.host))).toEqual(new Set(['gaming-pc', 'living-room', 'radeon']));
  });
});

describe('Spark Structured Streaming from the Kafka topic the Lambda produces to', () => {
  it('counts, per host, the rows the Lambda sent (distinct keys) and their hottest reading', async () => {
    // Prepare
    const brokers = requireServices().kafkaBrokers;
    const topic = await createTestTopic(brokers, 'gpu-spark');
    const { stored } = await processSamples({ KAFKA_BROKERS: brokers.join(','), KAFKA_TOPIC: topic });
    // Act
    const perHost = runRecipe<{ host: string; rows: number; keys: number; max_temp_c: number }>(
      'spark-kafka',
      {
        'localhost:9092': brokers.join(','),
        'gpu-metrics': topic,
        '/opt/spark-kafka/jars/*': `${SPARK_KAFKA_JARS}/*`,
      },
      { result: 'per_host' },
    );
    // Assess
    expect(perHost).toEqual(
      stored
        .map((sample) => {
          const temps = expectedRows(sample)
            .map((r) => r.cells.gpu_temperature_c)
            .filter((v): v is number => typeof v === 'number');
          return { host: sample.host, rows: sample.rows, keys: sample.rows, max_temp_c: Math.max(...temps) };
        })
        .sort((a, b) => (a.host < b.host ? -1 : 1)),
    );
  });
});
