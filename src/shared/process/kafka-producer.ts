/**
 * The kafkajs adapter behind our Producer seam (kafkajs 2.2.4 is looking for maintainers; swapping it
 * means rewriting this file only).
 *
 *   const producer = createKafkaProducer(config.kafka); await producer.send([{ key, value }]); await producer.disconnect()
 *
 * Idempotent (`idempotent: true` needs `maxInFlightRequests: 1` and acks=all): checked against Kafka 4.1.1.
 * Connects lazily on the first send; every timeout is config.timeoutMs and retries are few, so a dead
 * broker fails fast — sendRows() bounds each call again on top.
 */
import { Kafka, type Producer as KafkaProducer, logLevel, Partitioners, type SASLOptions } from 'kafkajs';
import { type Producer, withTimeout } from './producer';
import type { RowMessage } from './row-messages';

/** Where the rows go: the Lambda reads it from its environment (lambda/config.ts), `forward` from flags. */
export interface KafkaConfig {
  brokers: string[];
  topic: string;
  clientId: string;
  ssl: boolean;
  sasl: { mechanism: 'plain' | 'scram-sha-256' | 'scram-sha-512'; username: string; password: string } | null;
  timeoutMs: number;
  batchSize: number;
  /** KAFKA_SASL_SECRET_ARN: username/password come from this secret at cold start (kafka-secret.ts). */
  saslSecretArn?: string;
}

export function createKafkaProducer(config: KafkaConfig): Producer {
  const kafka = new Kafka({
    clientId: config.clientId,
    brokers: config.brokers,
    ssl: config.ssl,
    ...(config.sasl ? { sasl: config.sasl as SASLOptions } : {}),
    connectionTimeout: config.timeoutMs,
    requestTimeout: config.timeoutMs,
    retry: { retries: 1, initialRetryTime: 100, maxRetryTime: config.timeoutMs },
    logLevel: logLevel.NOTHING,
  });
  let producer: KafkaProducer | undefined;
  let connecting: Promise<KafkaProducer> | undefined;

  const connected = (): Promise<KafkaProducer> => {
    connecting ??= (async () => {
      const created = kafka.producer({
        idempotent: true,
        maxInFlightRequests: 1,
        createPartitioner: Partitioners.DefaultPartitioner,
      });
      await created.connect();
      producer = created;
      return created;
    })();
    // A failed connect must not stick: the next send tries again.
    connecting.catch(() => {
      connecting = undefined;
    });
    return connecting;
  };

  return {
    async send(messages: RowMessage[]) {
      const ready = await connected();
      await ready.send({ topic: config.topic, acks: -1, messages });
    },
    async disconnect() {
      const current = producer;
      producer = undefined;
      connecting = undefined;
      // Bounded like every other call: kafkajs waits for a request in flight to a broker that stopped answering (a
      // Lambda would sit out its timeout; `forward` waited 46 s in a 45 s freeze after saying "did not acknowledge
      // within 5000 ms").
      if (current) await withTimeout(current.disconnect(), config.timeoutMs);
    },
  };
}
