import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateBucketCommand, GetObjectCommand, PutBucketVersioningCommand } from '@aws-sdk/client-s3';
import { STATE_COPY_KEY } from '../../../shared/stack/names';
import { freePort } from '../../../test-support/own-moto';
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
