import type { Producer } from './producer';
import { sendRows } from './producer';
import type { RowMessage } from './row-messages';

function messages(count: number): RowMessage[] {
  return Array.from({ length: count }, (_, i) => ({ key: `pc:b:${i}`, value: `{"row":${i}}` }));
}

function recordingProducer(behaviour: (call: number) => Promise<void> = async () => {}) {
  const calls: RowMessage[][] = [];
  const producer: Producer = {
    send: (batch) => {
      calls.push([...batch]);
      return behaviour(calls.length);
    },
    disconnect: async () => {},
  };
  return { producer, calls };
}

describe('sendRows', () => {
  it('sends every row once, in batches of the configured size', async () => {
    const { producer, calls } = recordingProducer();
    const report = await sendRows(producer, messages(1234), { total: 1234, batchSize: 500, timeoutMs: 1000 });
    expect(report).toMatchObject({ sent: 1234, failed: 0 });
    expect(calls.map((c) => c.length)).toEqual([500, 500, 234]);
    expect(calls.flat().map((m) => m.key)).toEqual(messages(1234).map((m) => m.key));
  });

  it('stops at the first failure and counts every unacknowledged row as failed', async () => {
    const { producer, calls } = recordingProducer(async (call) => {
      if (call === 2) throw Object.assign(new Error('broker down'), { code: 'KAFKA_DOWN' });
    });
    const report = await sendRows(producer, messages(1200), { total: 1200, batchSize: 500, timeoutMs: 1000 });
    expect(report).toMatchObject({
      sent: 500,
      failed: 700,
      error: { code: 'KAFKA_DOWN', message: 'broker down' },
      unanswered: 500,
    });
    expect(calls).toHaveLength(2);
  });

  it('gives up after the timeout when the broker never answers', async () => {
    const { producer } = recordingProducer(() => new Promise(() => {}));
    const started = Date.now();
    const report = await sendRows(producer, messages(10), { total: 10, timeoutMs: 50 });
    expect(report).toMatchObject({ sent: 0, failed: 10, error: { code: 'KAFKA_TIMEOUT' }, unanswered: 10 });
    expect(Date.now() - started).toBeLessThan(1000);
  });
});
