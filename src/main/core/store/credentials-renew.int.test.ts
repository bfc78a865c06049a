import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CreateAccessKeyCommand,
  CreateUserCommand,
  IAMClient,
  PutUserPolicyCommand,
} from '@aws-sdk/client-iam';
import { CreateBucketCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import type { AppError } from '../../../shared/errors';
import { freePort, startMotoOn } from '../../../test-support/own-moto';
import { SAMPLES_DIR } from '../../../test-support/services';
import { createAgent } from '../agent';
import type { AgentConfig } from '../agent/config';
import { createStoreFor } from './index';

const ADA = readFileSync(join(SAMPLES_DIR, 'gpuz', 'nvidia-ada-pwrsrc-gpuz-2024.txt'));
/**
 * moto checks signatures against its IAM users after this many requests: the setup's four, and the agent's first
 * LIST (what the store holds of the log), which moto 5 would refuse with any key — it computes the signature of a
 * ListObjectsV2 whose prefix holds a '/' otherwise than S3 and the SDK (SignatureDoesNotMatch; tried 2026-12-05).
 */
const UNCHECKED_REQUESTS = 5;

/**
 * Lived: `S3 rejected the AWS credentials (InvalidAccessKeyId) — create a new key and run aws configure again`; done,
 * then Resume in the dashboard: refused again, and again, until the agent was restarted — the AWS SDK keeps the
 * ~/.aws files it has read for the whole process (even a new client got the old key). A moto that checks every
 * signature against its IAM users (INITIAL_NO_AUTH_ACTION_COUNT), a real credentials file, the profile chain.
 */
describe('credentials fixed after a refusal are read again (moto checking signatures)', () => {
  let moto: ChildProcess;
  let endpoint: string;
  let key: { id: string; secret: string };
  const bucket = 'gpuz-renew';
  const saved = { ...process.env };

  // Each test its own moto: its unchecked requests are counted from its start.
  beforeEach(async () => {
    const port = await freePort();
    moto = await startMotoOn(port, { INITIAL_NO_AUTH_ACTION_COUNT: String(UNCHECKED_REQUESTS) });
    endpoint = `http://127.0.0.1:${port}`;
    const root = { accessKeyId: 'testing', secretAccessKey: 'testing' };
    const iam = new IAMClient({ region: 'us-east-1', endpoint, credentials: root });
    await iam.send(new CreateUserCommand({ UserName: 'gamer' }));
    const created = (await iam.send(new CreateAccessKeyCommand({ UserName: 'gamer' }))).AccessKey!;
    key = { id: created.AccessKeyId!, secret: created.SecretAccessKey! };
    await iam.send(
      new PutUserPolicyCommand({
        UserName: 'gamer',
        PolicyName: 'upload',
        PolicyDocument: JSON.stringify({
          Version: '2012-10-17',
          Statement: [{ Effect: 'Allow', Action: 's3:*', Resource: '*' }],
        }),
      }),
    );
    await s3(root).send(new CreateBucketCommand({ Bucket: bucket }));
  }, 60_000);
  afterEach(() => {
    moto?.kill('SIGKILL');
    process.env = { ...saved };
  });

  /** A profile `gpu` whose key was deleted (its files in a folder of the test's own), beside the Ada sample's log. */
  function profileWithDeletedKey() {
    const dir = mkdtempSync(join(tmpdir(), 'gpuz-renew-'));
    const credentials = join(dir, 'credentials');
    writeFileSync(
      credentials,
      '[gpu]\naws_access_key_id = AKIAOLDDELETEDKEY00\naws_secret_access_key = gone\n',
    );
    writeFileSync(join(dir, 'config'), '');
    process.env.AWS_SHARED_CREDENTIALS_FILE = credentials;
    process.env.AWS_CONFIG_FILE = join(dir, 'config');
    delete process.env.AWS_ACCESS_KEY_ID;
    delete process.env.AWS_SECRET_ACCESS_KEY;
    const logPath = join(dir, 'GPU-Z Sensor Log.txt');
    writeFileSync(logPath, ADA);
    return { dir, credentials, logPath };
  }

  /** `aws configure --profile gpu` with the key IAM made. */
  function fixKey(credentials: string) {
    writeFileSync(
      credentials,
      `[gpu]\naws_access_key_id = ${key.id}\naws_secret_access_key = ${key.secret}\n`,
    );
  }

  /** An agent uploading with the profile `gpu` to the bucket (retries 10–20 ms apart). */
  function agentOn(dir: string, logPath: string, mode: Pick<AgentConfig, 'watch' | 'credentialsCheckMs'>) {
    return createAgent({
      logPath,
      host: 'pc',
      timeZone: 'UTC',
      stateDir: join(dir, 'state'),
      intervalMs: 3_600_000,
      compress: true,
      store: createStoreFor({ kind: 's3', bucket, region: 'us-east-1', profile: 'gpu', endpoint }),
      retry: { baseMs: 10, maxMs: 20 },
      ...mode,
    });
  }

  function s3(credentials: { accessKeyId: string; secretAccessKey: string }) {
    return new S3Client({ region: 'us-east-1', endpoint, forcePathStyle: true, credentials });
  }

  it('InvalidAccessKeyId stops the agent; the key fixed in the credentials file, Upload now sends the rows', async () => {
    // Prepare: a profile whose key was deleted, the environment's keys out of the way
    const { dir, credentials, logPath } = profileWithDeletedKey();
    const agent = agentOn(dir, logPath, { watch: false });
    await agent.start();
    await agent.uploadNow();
    const refused = agent.status().lastError?.code;

    // Act: `aws configure --profile gpu` with the new key, then Upload now
    fixKey(credentials);
    await agent.uploadNow();
    await agent.stop();

    // Assess
    expect(refused).toBe('CREDENTIALS_INVALID');
    expect(agent.status().lastError ?? null).toBeNull();
    const listed = await s3({ accessKeyId: key.id, secretAccessKey: key.secret }).send(
      new ListObjectsV2Command({ Bucket: bucket }),
    );
    expect(listed.KeyCount).toBeGreaterThan(0);
    expect(agent.status().counters.rowsUploaded).toBe(ADA.toString('latin1').split('\n').length - 2);
    rmSync(dir, { recursive: true, force: true });
  }, 60_000);

  it('watching, the agent notices the key fixed in the credentials file and sends by itself: no button, no restart', async () => {
    // Prepare: `upload --watch` in a terminal (no Resume button), refused with the deleted key
    const { dir, credentials, logPath } = profileWithDeletedKey();
    const agent = agentOn(dir, logPath, { watch: true, credentialsCheckMs: 100 });
    const said: string[] = [];
    agent.onUpload((r) => said.push(`${r.status} ${r.batchId}`));
    await agent.start();
    await agent.uploadNow(); // seals the log's rows now instead of in an hour
    const refused = agent.status();
    await sleep(300); // the refused key is read while the watch begins

    // Act: `aws configure --profile gpu` in another terminal; nothing pressed
    fixKey(credentials);
    const rows = ADA.toString('latin1').split('\n').length - 2;
    const sent = await until(() => agent.status().counters.rowsUploaded === rows, 15_000);
    const notices = agent.status().notices?.map((n) => n.code);
    await agent.stop();

    // Assess
    expect(refused.state).toBe('error');
    expect(refused.lastError?.code).toBe('CREDENTIALS_INVALID');
    expect(sent).toBe(true);
    expect(notices).toContain('CREDENTIALS_CHANGED');
    expect(said.map((line) => line.split(' ')[0])).toEqual(['uploading', 'failed', 'uploading', 'uploaded']);
    expect(agent.status().lastError ?? null).toBeNull();
    rmSync(dir, { recursive: true, force: true });
  }, 60_000);

  it("the charts' store reads with the fixed key at its next request (it kept the refused one until a restart)", async () => {
    // Prepare: the processed bucket's store, as the charts open it, refused once
    const { dir, credentials } = profileWithDeletedKey();
    const store = createStoreFor(
      { kind: 's3', bucket, region: 'us-east-1', profile: 'gpu', endpoint, processedBucket: bucket },
      'processed',
    );
    await s3({ accessKeyId: key.id, secretAccessKey: key.secret }).send(
      new PutObjectCommand({ Bucket: bucket, Key: 'processed/pc/day.json', Body: '{}' }),
    );
    const refused = await store.get('processed/pc/day.json').catch((error: AppError) => error.code);

    // Act: the key fixed, then the chart reloaded
    fixKey(credentials);
    const read = await store.get('processed/pc/day.json');

    // Assess
    expect(refused).toBe('CREDENTIALS_INVALID');
    expect(Buffer.from(read!.body).toString()).toBe('{}');
    rmSync(dir, { recursive: true, force: true });
  }, 60_000);
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function until(test: () => boolean, withinMs: number): Promise<boolean> {
  for (const end = Date.now() + withinMs; Date.now() < end; await sleep(50)) if (test()) return true;
  return test();
}
