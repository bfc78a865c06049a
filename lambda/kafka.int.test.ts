import { readFileSync } from 'node:fs';
import { createServer, type Socket } from 'node:net';
import { gzipSync } from 'node:zlib';
import { processedKeyFor } from '../src/shared/keys';
import { type ProcessedDocument, readProcessedDocument } from '../src/shared/process';
import { createKafkaProducer } from '../src/shared/process/kafka-producer';
import { SAMPLES_DIR } from '../src/test-support/services';
import { createHandler } from './create-handler';
import { consumeAll } from './testing/kafka-reader';
import { createTestTopic } from './testing/kafka-topic';
import { makeBatches } from './testing/make-batches';
import { createdEvent, createS3Harness } from './testing/s3-harness';

const sample = (path: string) => readFileSync(`${SAMPLES_DIR}${path}`);

/** A port nothing listens on: bind an ephemeral port, then close it. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('handler with Kafka', () => {
  it('produces every row once, keyed host:batch:row, to a real broker', async () => {
    const h0 = await createS3Harness();
    const brokers = h0.services.kafkaBrokers;
    const topic = await createTestTopic(brokers, 'gpu-rows');
    const h = await createS3Harness({ KAFKA_BROKERS: brokers.join(','), KAFKA_TOPIC: topic });
    const producer = createKafkaProducer(h.config.kafka!);
    const batches = makeBatches(sample('gpuz/nvidia-ada-pwrsrc-gpuz-2024.txt'), {
      host: 'test-pc',
      fileId: 'k1',
      parts: 2,
    });
    for (const batch of batches) await h.putRaw(batch.key, batch.body);
    const handler = createHandler({ s3: h.s3, producer, config: h.config, logger: h.logger });
    try {
      const summary = await handler(
        createdEvent(
          h.rawBucket,
          batches.map((b) => ({ key: b.key, size: 1 })),
        ),
      );
      expect(summary).toMatchObject({ processed: 2, rows: 356, kafkaSent: 356, kafkaFailed: 0 });
    } finally {
      await producer.disconnect();
    }

    const messages = await consumeAll(brokers, topic, 356);
    expect(messages).toHaveLength(356);
    const expectedKeys: string[] = [];
    const docs: ProcessedDocument[] = [];
    for (const batch of batches) {
      const doc = readProcessedDocument(await h.getProcessed(processedKeyFor(batch.key)));
      docs.push(doc);
      for (let row = 0; row < doc.summary.rows; row += 1) expectedKeys.push(`test-pc:${doc.batchId}:${row}`);
    }
    expect(messages.map((m) => m.key).sort()).toEqual(expectedKeys.sort());
    const firstRow = messages.find((m) => m.key === `test-pc:${docs[0]!.batchId}:0`)!;
    expect(firstRow.value).toMatchObject({
      host: 'test-pc',
      row: 0,
      t: docs[0]!.sessions[0]!.t[0],
      values: { gpu_clock_mhz: docs[0]!.sessions[0]!.values.gpu_clock_mhz![0] },
    });
  });

  it('still writes the S3 output within the timeout when the broker is unreachable, and counts the failure', async () => {
    const port = await closedPort();
    const h = await createS3Harness({
      KAFKA_BROKERS: `127.0.0.1:${port}`,
      KAFKA_TOPIC: 'gpu',
      KAFKA_TIMEOUT_MS: '1500',
    });
    const producer = createKafkaProducer(h.config.kafka!);
    const key = 'raw/test-pc/2024/04/20/dead-0-1.csv.gz';
    await h.putRaw(key, gzipSync(sample('gpuz/nvidia-ada-pwrsrc-gpuz-2024.txt')));
    const handler = createHandler({ s3: h.s3, producer, config: h.config, logger: h.logger });

    const started = Date.now();
    const summary = await handler(createdEvent(h.rawBucket, [{ key, size: 1 }]));
    const elapsed = Date.now() - started;

    expect(summary).toMatchObject({ processed: 1, rows: 356, kafkaSent: 0, kafkaFailed: 356 });
    expect(elapsed).toBeLessThan(1500 + 1500);
    expect(readProcessedDocument(await h.getProcessed(processedKeyFor(key))).summary.rows).toBe(356);
    expect(h.lines[0]).toMatchObject({ level: 'error', kafka: { sent: 0, failed: 356 } });
    await producer.disconnect().catch(() => {});
  });

  it('gives up after KAFKA_TIMEOUT_MS when the broker accepts connections but never answers', async () => {
    const sockets: Socket[] = [];
    const silent = createServer((socket) => sockets.push(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const { port } = silent.address() as { port: number };
    const h = await createS3Harness({
      KAFKA_BROKERS: `127.0.0.1:${port}`,
      KAFKA_TOPIC: 'gpu',
      KAFKA_TIMEOUT_MS: '1000',
    });
    const producer = createKafkaProducer(h.config.kafka!);
    const key = 'raw/test-pc/2024/04/20/silent-0-1.csv.gz';
    await h.putRaw(key, gzipSync(sample('gpuz/nvidia-ada-pwrsrc-gpuz-2024.txt')));
    const handler = createHandler({ s3: h.s3, producer, config: h.config, logger: h.logger });
    try {
      const started = Date.now();
      const summary = await handler(createdEvent(h.rawBucket, [{ key, size: 1 }]));
      const elapsed = Date.now() - started;
      expect(summary).toMatchObject({ processed: 1, kafkaSent: 0, kafkaFailed: 356 });
      expect(h.lines[0]).toMatchObject({ kafka: { error: { code: 'KAFKA_TIMEOUT' } } });
      expect(elapsed).toBeGreaterThanOrEqual(1000);
      expect(elapsed).toBeLessThan(1000 + 1500);
      expect(await h.listProcessed()).toEqual([processedKeyFor(key)]);
    } finally {
      for (const socket of sockets) socket.destroy();
      silent.close();
      await producer.disconnect().catch(() => {});
    }
  });
});
