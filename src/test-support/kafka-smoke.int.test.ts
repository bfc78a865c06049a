import { randomUUID } from 'node:crypto';
import { type Admin, CompressionTypes, Kafka, logLevel } from 'kafkajs';
import { requireServices } from './services';

const MESSAGES = 1000;

/** Reads from the beginning of `topic` in a new consumer group until `count` messages arrived. */
async function consumeAll(kafka: Kafka, topic: string, count: number): Promise<string[]> {
  const consumer = kafka.consumer({ groupId: `smoke-${randomUUID()}` });
  await consumer.connect();
  try {
    await consumer.subscribe({ topic, fromBeginning: true });
    const values: string[] = [];
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`got ${values.length} of ${count} messages`)), 60_000);
      consumer
        .run({
          eachMessage: async ({ message }) => {
            values.push(message.value?.toString() ?? '');
            if (values.length === count) {
              clearTimeout(timer);
              resolve();
            }
          },
        })
        .catch(reject);
    });
    return values;
  } finally {
    await consumer.disconnect();
  }
}

// kafkajs 2.2.4 against the Kafka 4.x broker of scripts/services.mjs; docs/kafkajs-kafka4.md records the results.
describe('Kafka 4 with kafkajs', () => {
  const kafka = new Kafka({
    clientId: 'gpuz-smoke',
    brokers: requireServices().kafkaBrokers,
    logLevel: logLevel.NOTHING,
  });
  let admin: Admin;

  beforeAll(async () => {
    admin = kafka.admin();
    await admin.connect();
  });
  afterAll(() => admin.disconnect());

  it('creates a topic, produces 1,000 messages and a consumer group reads all of them back', async () => {
    const topic = `smoke-${randomUUID()}`;
    expect(await admin.createTopics({ topics: [{ topic, numPartitions: 3 }], waitForLeaders: true })).toBe(
      true,
    );
    const producer = kafka.producer();
    await producer.connect();
    const sent = Array.from({ length: MESSAGES }, (_, i) => `row-${i}`);
    for (let i = 0; i < MESSAGES; i += 250) {
      await producer.send({
        topic,
        messages: sent.slice(i, i + 250).map((value) => ({ key: value, value })),
      });
    }
    await producer.disconnect();

    const offsets = await admin.fetchTopicOffsets(topic);
    expect(offsets.reduce((sum, p) => sum + Number(p.high), 0)).toBe(MESSAGES);
    const received = await consumeAll(kafka, topic, MESSAGES);
    expect(received.sort()).toEqual([...sent].sort());
  });

  it('accepts gzip batches from an idempotent producer on an auto-created topic', async () => {
    const topic = `smoke-auto-${randomUUID()}`;
    const producer = kafka.producer({
      idempotent: true,
      maxInFlightRequests: 1,
      allowAutoTopicCreation: true,
    });
    await producer.connect();
    const values = Array.from({ length: 200 }, (_, i) => JSON.stringify({ row: i, gpuTempC: 60 + (i % 15) }));
    await producer.send({
      topic,
      acks: -1,
      compression: CompressionTypes.GZIP,
      messages: values.map((value) => ({ value })),
    });
    await producer.disconnect();
    expect(await consumeAll(kafka, topic, values.length)).toEqual(values);
  });

  it('commits one transaction and aborts another; the consumer sees only the committed one', async () => {
    const topic = `smoke-tx-${randomUUID()}`;
    await admin.createTopics({ topics: [{ topic }], waitForLeaders: true });
    const producer = kafka.producer({
      transactionalId: `tx-${topic}`,
      idempotent: true,
      maxInFlightRequests: 1,
    });
    await producer.connect();
    const committed = await producer.transaction();
    await committed.send({ topic, messages: [{ value: 'committed-1' }, { value: 'committed-2' }] });
    await committed.commit();
    const aborted = await producer.transaction();
    await aborted.send({ topic, messages: [{ value: 'aborted' }] });
    await aborted.abort();
    const last = await producer.transaction();
    await last.send({ topic, messages: [{ value: 'committed-3' }] });
    await last.commit();
    await producer.disconnect();
    // kafkajs consumers read with isolation level READ_COMMITTED by default.
    expect(await consumeAll(kafka, topic, 3)).toEqual(['committed-1', 'committed-2', 'committed-3']);
  });
});
