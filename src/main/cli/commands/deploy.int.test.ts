import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CreateBucketCommand,
  ListObjectVersionsCommand,
  PutBucketVersioningCommand,
  PutObjectCommand,
} from '@aws-sdk/client-s3';
import { requireServices } from '../../../test-support/services';
import { createAwsClients } from '../../core/deploy/aws-clients';
import { findTerraform } from '../../core/deploy/find-terraform';
import { runDeploy } from './deploy';
import { runDestroy } from './destroy';
import { runDoctorCommand } from './doctor';

const services = requireServices();
const terraform = await findTerraform({ env: process.env }).catch(() => null);
const STACK = join(import.meta.dirname, '../../core/deploy/fixtures/builtin-stack.tf.json');

/** Collects what the command writes; `isTTY: false` as when run from a script or CI. */
function capture() {
  const text = { out: '', err: '' };
  const io = {
    out: { write: (t: string) => (text.out += t) },
    err: { write: (t: string) => (text.err += t), isTTY: false } as unknown as NodeJS.WritableStream,
  };
  return {
    io,
    get out() {
      return text.out;
    },
    get err() {
      return text.err;
    },
  };
}

describe.skipIf(!terraform)(
  'gpuz-cloud deploy / destroy with the real terraform binary (builtin-only stack, moto STS + S3)',
  () => {
    it('deploys, prints the agent settings, then empties the buckets and destroys', async () => {
      const stateDir = await mkdtemp(join(tmpdir(), 'gpuz-cli-deploy-'));
      const lambdaZip = join(stateDir, 'bundle.zip');
      await writeFile(lambdaZip, 'zip');
      const env = `c${Math.random().toString(36).slice(2, 8)}`;
      const options = {
        env,
        yes: true,
        region: services.region,
        endpoint: services.motoEndpoint,
        stack: STACK,
        lambdaZip,
        stateDir,
        terraform: terraform!.path,
      };
      const deploy = capture();
      expect(await runDeploy(options, deploy.io)).toBe(0);
      expect(deploy.err).toContain('Plan: 3 to add, 0 to change, 0 to destroy.');
      expect(deploy.err).toContain('  + terraform_data.raw');
      expect(deploy.err).toContain('apply 3/3');
      expect(JSON.parse(deploy.out)).toEqual({
        target: 's3',
        rawBucket: `gpuz-cloud-${env}-raw-000000000000`,
        processedBucket: `gpuz-cloud-${env}-processed-000000000000`,
        region: services.region,
      });

      const again = capture();
      expect(await runDeploy(options, again.io)).toBe(0);
      expect(again.err).toContain('Nothing to change: the stack is up to date.');

      // The builtin stack only names buckets: make them in moto, versioned and holding data, as a real deploy would.
      const s3 = createAwsClients({ region: services.region, endpoint: services.motoEndpoint }).s3;
      for (const bucket of [
        `gpuz-cloud-${env}-raw-000000000000`,
        `gpuz-cloud-${env}-processed-000000000000`,
      ]) {
        await s3.send(new CreateBucketCommand({ Bucket: bucket }));
        await s3.send(
          new PutBucketVersioningCommand({ Bucket: bucket, VersioningConfiguration: { Status: 'Enabled' } }),
        );
        for (let v = 0; v < 2; v++)
          await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'raw/a.csv', Body: `${v}` }));
      }
      const destroy = capture();
      expect(await runDestroy(options, destroy.io)).toBe(0);
      expect(destroy.err).toContain(
        `emptied gpuz-cloud-${env}-raw-000000000000: 2 object versions and delete markers`,
      );
      expect(destroy.err).toContain('Plan: 0 to add, 0 to change, 3 to destroy.');
      expect(destroy.out).toBe('destroyed\n');
      const left = await s3.send(
        new ListObjectVersionsCommand({ Bucket: `gpuz-cloud-${env}-raw-000000000000` }),
      );
      expect(left.Versions ?? []).toEqual([]);
    });

    it('asks before changing anything, and refuses without a terminal unless --yes', async () => {
      const stateDir = await mkdtemp(join(tmpdir(), 'gpuz-cli-confirm-'));
      const lambdaZip = join(stateDir, 'bundle.zip');
      await writeFile(lambdaZip, 'zip');
      const options = {
        env: 'confirm',
        region: services.region,
        endpoint: services.motoEndpoint,
        stack: STACK,
        lambdaZip,
        stateDir,
        terraform: terraform!.path,
      };
      const noTty = capture();
      expect(await runDeploy(options, noTty.io)).toBe(1);
      expect(noTty.err).toContain(
        'There is no terminal to confirm on. — Add --yes to go ahead without asking.',
      );
      const declined = capture();
      const questions: string[] = [];
      const io = {
        ...declined.io,
        confirm: async (q: string) => {
          questions.push(q);
          return false;
        },
      };
      expect(await runDeploy(options, io)).toBe(3);
      expect(questions).toEqual(['Deploy these changes?']);
      expect(declined.err).toContain('Cancelled; nothing was changed.');
    });
  },
);

describe('gpuz-cloud doctor against moto', () => {
  it('prints one row per check and exits 1 when nothing is deployed', async () => {
    let out = '';
    const code = await runDoctorCommand(
      {
        env: `none${Math.random().toString(36).slice(2, 6)}`,
        project: 'gpuz-cloud',
        endpoint: services.motoEndpoint,
        region: services.region,
      },
      { out: { write: (t: string) => (out += t) } },
    );
    expect(code).toBe(1);
    const rows = out.split('\n');
    expect(rows[0]).toMatch(/^✔ pass {2}AWS credentials +account \d{12} as arn:aws:/);
    expect(
      rows.some((r) => /^✖ FAIL {2}Raw bucket +gpuz-cloud-none\w+-raw-\d{12} does not exist$/.test(r)),
    ).toBe(true);
    expect(out).toContain('→ Run `gpuz-cloud deploy --env none');
    expect(rows.at(-2)).toMatch(/^\d check\(s\) failed, \d warning\(s\)\.$/);
  });
});
