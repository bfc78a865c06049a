/**
 * `forward` against a broker that stops answering (a frozen JVM, a host gone mid-send), on a Kafka broker of this
 * test's own (frozen with SIGSTOP; the shared one serves the other tests meanwhile).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { startOwnKafka } from '../../../../scripts/services/own-kafka.mjs';
import { bundleCli, type CliBundle, runCli, uploadAsHost } from '../../../test-support/cli-process';
import { requireServices, SAMPLES_DIR } from '../../../test-support/services';

const LOG = join(SAMPLES_DIR, 'gpuz', 'nvidia-2x8pin-hotspot-gpuz-2026-bm1.txt');

/** Messages in the topic and their distinct keys, over every partition. */
async function keysIn(brokers: string, topic: string): Promise<{ messages: number; keys: number }> {
  const kafka = new Kafka({ clientId: 'frozen-test', brokers: [brokers], logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  await admin.connect();
  const offsets = await admin.fetchTopicOffsets(topic);
  await admin.disconnect();
  const messages = offsets.reduce((sum, p) => sum + Number(p.high) - Number(p.low), 0);
  const consumer = kafka.consumer({ groupId: `frozen-${Math.random()}` });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  const keys = new Set<string>();
  let seen = 0;
  await consumer.run({
    eachMessage: async ({ message }) => {
      keys.add(message.key!.toString());
      seen += 1;
    },
  });
  for (let waited = 0; seen < messages && waited < 30_000; waited += 100)
    await new Promise((resolve) => setTimeout(resolve, 100));
  await consumer.disconnect();
  return { messages, keys: keys.size };
}

describe('gpuz-cloud forward and a broker that stops answering', () => {
  requireServices();
  const dir = mkdtempSync(join(tmpdir(), 'gpuz-forward-frozen-'));
  let kafka: Awaited<ReturnType<typeof startOwnKafka>>;
  let cli: CliBundle;
  beforeAll(async () => {
    [kafka, cli] = await Promise.all([startOwnKafka(join(dir, 'services')), bundleCli()]);
  }, 180_000);
  afterAll(() => {
    kafka?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('gives up after its timeout and exits while the broker stays frozen; the rerun sends every row', async () => {
    // Prepare: the bm1 sample processed into a local store.
    const store = join(dir, 'store');
    const uploaded = await uploadAsHost(cli, { file: LOG, store, host: 'pc', stateDir: join(dir, 'agent') });
    expect(uploaded.code, uploaded.stderr).toBe(0);
    const rows = Number(/([\d,]+) rows read/.exec(uploaded.stdout)?.[1]?.replaceAll(',', ''));
    const forward = [
      'forward',
      '--local',
      store,
      '--brokers',
      kafka.brokers,
      '--topic',
      'frozen',
      '--state-dir',
      join(dir, 'forward'),
      '--timeout',
      '2000',
    ];

    // Act: the broker frozen for the first run, answering for the second.
    process.kill(kafka.pid, 'SIGSTOP');
    const started = performance.now();
    const frozen = await runCli(cli, forward, { timeoutMs: 90_000 });
    const frozenMs = performance.now() - started;
    process.kill(kafka.pid, 'SIGCONT');
    const rerun = await runCli(cli, forward);

    // Assess: the code before said it gave up after 2 s, then stayed until the broker came back (here: killed at
    // 90 s).
    expect(frozen.code, frozen.stderr).toBe(1);
    expect(frozen.stderr).toMatch(/did not acknowledge within 2000 ms/);
    expect(frozen.stderr).toMatch(/rows sent without an answer may have reached Kafka/);
    expect(frozenMs).toBeLessThan(20_000);
    expect(rerun.code, rerun.stderr).toBe(0);
    expect(await keysIn(kafka.brokers, 'frozen')).toMatchObject({ keys: rows });
  }, 180_000);
});
