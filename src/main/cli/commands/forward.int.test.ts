import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { CreateBucketCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { Kafka, logLevel } from 'kafkajs';
import { processedKeyFor } from '../../../shared/keys';
import { createLogParser } from '../../../shared/parse';
import { encodeProcessed, processRawObject } from '../../../shared/process';
import { motoClientConfig, requireServices, SAMPLES_DIR } from '../../../test-support/services';
import { runForward } from './forward';

function capture() {
  let text = '';
  const stream = new Writable({
    write(chunk, _encoding, done) {
      text += String(chunk);
      done();
    },
  });
  return { stream, text: () => text };
}

async function countMessages(brokers: string[], topic: string, waitMs: number): Promise<string[]> {
  const consumer = new Kafka({ clientId: 'forward-test', brokers, logLevel: logLevel.NOTHING }).consumer({
    groupId: `count-${topic}-${Math.random()}`,
  });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  const keys: string[] = [];
  await consumer.run({ eachMessage: async ({ message }) => void keys.push(message.key!.toString()) });
  await new Promise((resolve) => setTimeout(resolve, waitMs));
  await consumer.disconnect();
  return keys;
}

describe('gpuz-cloud forward', () => {
  const stateDir = mkdtempSync(join(tmpdir(), 'gpuz-forward-state-'));
  afterAll(() => rmSync(stateDir, { recursive: true, force: true }));

  it('sends the rows of processed objects in a bucket to Kafka once; a rerun sends nothing', async () => {
    const services = requireServices();
    const s3 = new S3Client(motoClientConfig(services));
    const suffix = Math.random().toString(36).slice(2, 10);
    const bucket = `gpuz-fwd-${suffix}`;
    const topic = `gpu-fwd-${suffix}`;
    await s3.send(new CreateBucketCommand({ Bucket: bucket }));
    const rawKey = 'raw/pc/2024/04/20/a-0-1.csv.gz';
    const body = (async function* () {
      yield gzipSync(readFileSync(`${SAMPLES_DIR}gpuz/nvidia-ada-pwrsrc-gpuz-2024.txt`));
    })();
    const outcome = await processRawObject(
      { sourceKey: rawKey, body, timeZone: 'UTC' },
      { createParser: createLogParser },
    );
    if (outcome.kind !== 'processed') throw new Error('expected processed');
    await s3.send(
      new PutObjectCommand({
        Bucket: bucket,
        Key: processedKeyFor(rawKey),
        Body: await encodeProcessed(outcome.batch),
      }),
    );
    const admin = new Kafka({
      clientId: 'fwd-admin',
      brokers: services.kafkaBrokers,
      logLevel: logLevel.NOTHING,
    }).admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic, numPartitions: 2 }], waitForLeaders: true });
    await admin.disconnect();
    const options = {
      bucket,
      endpoint: services.motoEndpoint,
      region: services.region,
      brokers: services.kafkaBrokers.join(','),
      topic,
      clientId: 'forward-test',
      timeout: 5000,
      stateDir,
    };

    const out = capture();
    const err = capture();
    expect(await runForward(options, { out: out.stream, err: err.stream })).toBe(0);
    expect(out.text()).toContain('forwarded 356 rows from 1 objects');
    const again = capture();
    expect(await runForward(options, { out: again.stream, err: err.stream })).toBe(0);
    expect(again.text()).toContain('forwarded 0 rows from 0 objects');
    expect(err.text()).toBe('');

    const keys = await countMessages(services.kafkaBrokers, topic, 4000);
    expect(keys).toHaveLength(356);
    expect(new Set(keys).size).toBe(356);
    expect(keys).toContain('pc:a-0-1:355');
  });

  it('exits 2 with advice without --bucket or --local, and never contacts Kafka when there is nothing to send', async () => {
    const err = capture();
    const code = await runForward(
      { local: SAMPLES_DIR, brokers: '127.0.0.1:1', topic: 'x', clientId: 'c', timeout: 1000, stateDir },
      { out: capture().stream, err: err.stream },
    );
    // The samples folder has no processed/ objects: nothing to send, so the broker is never contacted.
    expect(code).toBe(0);
    const usage = capture();
    expect(
      await runForward(
        { brokers: 'b:1', topic: 'x', clientId: 'c', timeout: 1000, stateDir },
        { out: capture().stream, err: usage.stream },
      ),
    ).toBe(2);
    expect(usage.text()).toContain('--bucket <name> or --local <dir>');
    expect(err.text()).toBe('');
  });
});
