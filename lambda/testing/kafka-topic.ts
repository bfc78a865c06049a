import { Kafka, logLevel } from 'kafkajs';

/**
 * Test-only: a fresh topic on the shared test broker (unique name: other suites use the same broker).
 *   await createTestTopic(['127.0.0.1:9092'], 'gpu-rows') → 'gpu-rows-k3x9a1b2' (3 partitions, leaders elected)
 */
export async function createTestTopic(brokers: string[], prefix: string, partitions = 3): Promise<string> {
  const topic = `${prefix}-${Math.random().toString(36).slice(2, 10)}`;
  const admin = new Kafka({ clientId: 'test-admin', brokers, logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  try {
    await admin.createTopics({ topics: [{ topic, numPartitions: partitions }], waitForLeaders: true });
  } finally {
    await admin.disconnect();
  }
  return topic;
}
