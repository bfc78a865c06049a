import { Kafka, logLevel } from 'kafkajs';

/**
 * Test-only: reads a topic from the beginning until `expected` messages arrived (or 60 s passed), then waits a
 * moment more so a duplicate would show up as more than `expected`.
 *   await consumeAll(['127.0.0.1:9092'], 'gpu-rows-ab12', 356) → [{ key: 'pc:batch:0', value: { … } }, …]
 */
export async function consumeAll(brokers: string[], topic: string, expected: number) {
  const kafka = new Kafka({ clientId: 'test-reader', brokers, logLevel: logLevel.NOTHING });
  const consumer = kafka.consumer({ groupId: `reader-${topic}` });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  const seen: { key: string; value: Record<string, unknown> }[] = [];
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`only ${seen.length} of ${expected} messages arrived`)),
      60_000,
    );
    void consumer.run({
      eachMessage: async ({ message }) => {
        seen.push({ key: message.key!.toString(), value: JSON.parse(message.value!.toString()) });
        if (seen.length === expected) {
          clearTimeout(timer);
          resolve();
        }
      },
    });
  });
  // A moment for stragglers: a duplicate would show up as more than `expected`.
  await new Promise((resolve) => setTimeout(resolve, 1500));
  await consumer.disconnect();
  return seen;
}
