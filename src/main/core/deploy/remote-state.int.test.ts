import type { ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateAccessKeyCommand, CreateUserCommand, PutUserPolicyCommand } from '@aws-sdk/client-iam';
import { CreateBucketCommand, GetObjectCommand, PutBucketVersioningCommand } from '@aws-sdk/client-s3';
import { STATE_COPY_KEY } from '../../../shared/stack/names';
import { freePort, startMotoOn } from '../../../test-support/own-moto';
import { requireServices } from '../../../test-support/services';
import { createAwsClients } from './aws-clients';
import { reconcileState, saveStateCopy } from './remote-state';

const services = requireServices();
const { s3 } = createAwsClients({ region: services.region, endpoint: services.motoEndpoint });
const NOW = new Date('2026-12-02T10:00:00Z');

const state = (serial: number, lineage = 'l-1', resources = 3) =>
  JSON.stringify({ version: 4, serial, lineage, resources: Array.from({ length: resources }, () => ({})) });

/** A working folder (with `local` as its state, when given) and a fresh versioned bucket for the copy. */
async function setup(local?: string) {
  const dir = await mkdtemp(join(tmpdir(), 'gpuz-state-'));
  if (local) await writeFile(join(dir, 'terraform.tfstate'), local);
  const bucket = `gpuz-state-${Math.random().toString(36).slice(2, 10)}`;
  await s3.send(new CreateBucketCommand({ Bucket: bucket }));
  await s3.send(
    new PutBucketVersioningCommand({ Bucket: bucket, VersioningConfiguration: { Status: 'Enabled' } }),
  );
  return { dir, target: { s3, bucket } };
}

const localState = (dir: string) => readFile(join(dir, 'terraform.tfstate'), 'utf8');

describe('the state copy in the account (moto S3)', () => {
  it('is written after an apply, and comes back when the local state is gone', async () => {
    // Prepare
    const { dir, target } = await setup(state(7));
    // Act
    const saved = await saveStateCopy(target, dir);
    const fresh = await mkdtemp(join(tmpdir(), 'gpuz-state-lost-'));
    const source = await reconcileState(target, fresh, NOW);
    // Assess
    expect(saved).toEqual({ key: STATE_COPY_KEY, serial: 7 });
    expect(source).toBe('restored');
    expect(await localState(fresh)).toBe(state(7));
    const copy = await s3.send(new GetObjectCommand({ Bucket: target.bucket, Key: STATE_COPY_KEY }));
    expect(copy.ServerSideEncryption).toBe('AES256');
  });

  it('replaces an older local state of the same history (an apply from another PC), keeping a backup', async () => {
    const { dir, target } = await setup(state(9));
    await saveStateCopy(target, dir);
    await writeFile(join(dir, 'terraform.tfstate'), state(4));
    expect(await reconcileState(target, dir, NOW)).toBe('restored');
    expect(await localState(dir)).toBe(state(9));
    expect(await readFile(join(dir, 'backups', 'terraform.tfstate.2026-12-02T10-00-00-000Z'), 'utf8')).toBe(
      state(4),
    );
  });

  it('keeps a newer local state, and a local state of another history', async () => {
    const { dir, target } = await setup(state(3, 'other'));
    await saveStateCopy(target, dir);
    await writeFile(join(dir, 'terraform.tfstate'), state(5));
    expect(await reconcileState(target, dir, NOW)).toBe('local');
    expect(await localState(dir)).toBe(state(5));
    await writeFile(join(dir, 'terraform.tfstate'), state(1, 'l-1'));
    expect(await reconcileState(target, dir, NOW)).toBe('local');
  });

  it('says none when there is no state here and no copy there (or only empty ones)', async () => {
    const { dir, target } = await setup(state(2, 'l-1', 0));
    expect(await reconcileState(target, dir, NOW)).toBe('none');
    expect(await reconcileState({ s3, bucket: 'gpuz-no-such-bucket-4711' }, dir, NOW)).toBe('none');
  });

  it('stops when the copy cannot be read (here the network): it is not taken for none, and the local state is kept', async () => {
    // Prepare: a newer copy in the account than the state here (an apply from another PC), then S3 out of reach
    const { dir, target } = await setup(state(9));
    await saveStateCopy(target, dir);
    await writeFile(join(dir, 'terraform.tfstate'), state(4));
    const unreachable = createAwsClients({
      region: services.region,
      endpoint: `http://127.0.0.1:${await freePort()}`,
    }).s3;
    // Act
    const reconciled = reconcileState({ s3: unreachable, bucket: target.bucket }, dir, NOW);
    // Assess: before, 'local': the plan ran on serial 4, blind to the other PC's apply
    await expect(reconciled).rejects.toMatchObject({
      code: 'STATE_COPY_UNREADABLE',
      message: expect.stringMatching(
        new RegExp(
          `^The stack's state copy s3://${target.bucket}/terraform-state/terraform.tfstate could not be read \\(.*ECONNREFUSED`,
        ),
      ),
    });
    expect(await localState(dir)).toBe(state(4));
  });
});

/**
 * S3 answers 403 (a profile that may not read the bucket, or a bucket name another account owns): a moto of this
 * test's own that checks every request against its IAM users (INITIAL_NO_AUTH_ACTION_COUNT).
 */
describe('the state copy refused (moto checking IAM)', () => {
  let moto: ChildProcess;
  afterAll(() => moto?.kill('SIGKILL'));

  it('stops the plan and says what a 403 can mean, nothing changed', async () => {
    // Prepare: a bucket with a copy in it, and a user whose policy gives it nothing of that bucket
    const port = await freePort();
    moto = await startMotoOn(port, { INITIAL_NO_AUTH_ACTION_COUNT: '5' });
    const endpoint = `http://127.0.0.1:${port}`;
    const root = createAwsClients({
      region: 'us-east-1',
      endpoint,
      credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' },
    });
    await root.iam.send(new CreateUserCommand({ UserName: 'deployer' }));
    const key = (await root.iam.send(new CreateAccessKeyCommand({ UserName: 'deployer' }))).AccessKey!;
    await root.iam.send(
      new PutUserPolicyCommand({
        UserName: 'deployer',
        PolicyName: 'elsewhere',
        PolicyDocument: JSON.stringify({
          Version: '2012-10-17',
          Statement: [{ Effect: 'Allow', Action: 's3:*', Resource: 'arn:aws:s3:::another-bucket/*' }],
        }),
      }),
    );
    await root.s3.send(new CreateBucketCommand({ Bucket: 'gpuz-refused' }));
    const dir = await mkdtemp(join(tmpdir(), 'gpuz-state-refused-'));
    await writeFile(join(dir, 'terraform.tfstate'), state(4));
    await saveStateCopy({ s3: root.s3, bucket: 'gpuz-refused' }, dir);
    const deployer = createAwsClients({
      region: 'us-east-1',
      endpoint,
      credentials: { accessKeyId: key.AccessKeyId!, secretAccessKey: key.SecretAccessKey! },
    });
    // Act
    const reconciled = reconcileState({ s3: deployer.s3, bucket: 'gpuz-refused' }, dir, NOW);
    // Assess: before, 'local' (the refusal taken for no copy)
    await expect(reconciled).rejects.toMatchObject({
      code: 'STATE_COPY_UNREADABLE',
      message: expect.stringContaining('could not be read (AccessDenied'),
      advice: expect.stringContaining('another AWS account owns its name'),
    });
    expect(await localState(dir)).toBe(state(4));
  }, 60_000);
});
