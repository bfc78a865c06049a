import { AppError, type ErrorData, toErrorData } from '../errors';
import type { RowMessage } from './row-messages';

/**
 * Our seam around a message broker (kafkajs lives behind it in src/shared/process/kafka-producer.ts; it is looking for
 * maintainers, so nothing else imports it).
 */
export interface Producer {
  /** Resolves when the broker acknowledged every message of this call. */
  send(messages: RowMessage[]): Promise<void>;
  disconnect(): Promise<void>;
}

export interface SendReport {
  sent: number;
  failed: number;
  durationMs: number;
  error?: ErrorData;
  /** With `error`: the rows of the call that got no answer (they may have reached the broker all the same). */
  unanswered?: number;
}

/**
 * Rows → the producer in batches, each bounded by a timeout; the first failure stops the run and every
 * row not acknowledged is counted as failed (a dead broker costs one timeout, not one per batch).
 *
 *   await sendRows(producer, rowMessages(table), { total: 86400, batchSize: 500, timeoutMs: 5000 })
 *     → { sent: 86400, failed: 0, durationMs: 2140 }
 *     → { sent: 0, failed: 86400, durationMs: 5001, error: { code: 'KAFKA_TIMEOUT', … } }
 */
export async function sendRows(
  producer: Producer,
  messages: Iterable<RowMessage>,
  options: { total: number; batchSize?: number | undefined; timeoutMs: number; now?: () => number },
): Promise<SendReport> {
  const now = options.now ?? Date.now;
  const batchSize = options.batchSize ?? 500;
  const started = now();
  let sent = 0;
  let batch: RowMessage[] = [];
  const flush = async (): Promise<void> => {
    await withTimeout(producer.send(batch), options.timeoutMs);
    sent += batch.length;
    batch = [];
  };
  try {
    for (const message of messages) {
      batch.push(message);
      if (batch.length >= batchSize) await flush();
    }
    if (batch.length > 0) await flush();
    return { sent, failed: options.total - sent, durationMs: now() - started };
  } catch (error) {
    return {
      sent,
      failed: options.total - sent,
      durationMs: now() - started,
      error: toErrorData(error),
      unanswered: batch.length,
    };
  }
}

/** A promise that rejects with KAFKA_TIMEOUT after `ms` (the underlying call may still be pending). */
export async function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () =>
        reject(
          new AppError(
            'KAFKA_TIMEOUT',
            `The Kafka broker did not acknowledge within ${ms} ms`,
            'Check KAFKA_BROKERS and that the broker is reachable from here; the S3 output is not affected.',
          ),
        ),
      ms,
    );
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
