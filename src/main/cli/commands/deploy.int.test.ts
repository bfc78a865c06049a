import { execFile } from 'node:child_process';
import { access, mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { ListObjectVersionsCommand } from '@aws-sdk/client-s3';
import { normaliseHost } from '../../../shared/keys';
import { requireServices } from '../../../test-support/services';
import { fillVersionedBuckets } from '../../../test-support/versioned-buckets';
import { cacheFolderOf } from '../../core/data/cache-folders';
import { createAwsClients } from '../../core/deploy/aws-clients';
import { findTerraform } from '../../core/deploy/find-terraform';
import { SETTINGS_FILE } from '../../core/settings';
import { runDeploy } from './deploy';
import { runDestroy } from './destroy';
import { runDoctorCommand } from './doctor';

const services = requireServices();
const terraform = await findTerraform({ env: process.env }).catch(() => null);
const SECRET_ARN = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:gpuz-cloud/kafka-AbCdEf';
const STACK = join(import.meta.dirname, '../../core/deploy/fixtures/builtin-stack.tf.json');

/** A fresh state folder with a stand-in bundle, and the deploy options every test starts from (moto, real binary). */
async function deployCase(prefix: string, env: string) {
  const stateDir = await mkdtemp(join(tmpdir(), `gpuz-cli-${prefix}-`));
  const lambdaZip = join(stateDir, 'bundle.zip');
  await writeFile(lambdaZip, 'zip');
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
  return { stateDir, options };
}

const randomEnv = (letter: string) => `${letter}${Math.random().toString(36).slice(2, 8)}`;

/** A settings file as the Settings view would save it: a budget schedule, a custom host, the local store. */
async function seedSettings(stateDir: string) {
  const settings = {
    logPath: join(stateDir, 'GPU-Z Sensor Log.txt'),
    target: { kind: 'local', dir: join(stateDir, 'store') },
    schedule: { kind: 'budget', monthlyPuts: 2000 },
    compression: 'gzip',
    host: 'gaming-pc',
    timeZone: 'Europe/Berlin',
    // Saved on this PC (the store records it at each save, deploy's included)
    savedOn: normaliseHost(hostname()),
  };
  await writeFile(join(stateDir, SETTINGS_FILE), JSON.stringify(settings));
  return settings;
}

const readSettings = async (stateDir: string) =>
  JSON.parse(await readFile(join(stateDir, SETTINGS_FILE), 'utf8')) as Record<string, unknown>;

/** The builtin stack only names buckets: make them in moto, versioned and holding data, as a real deploy would. */
async function fillBuckets(env: string) {
  const s3 = createAwsClients({ region: services.region, endpoint: services.motoEndpoint }).s3;
  await fillVersionedBuckets(
    s3,
    [`gpuz-cloud-${env}-raw-000000000000`, `gpuz-cloud-${env}-processed-000000000000`],
    2,
  );
  return s3;
}

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
    it('deploys, points the saved agent settings at the raw bucket, then empties the buckets, destroys and points them back at the local folder', async () => {
      const env = randomEnv('c');
      const { stateDir, options } = await deployCase('deploy', env);
      const seeded = await seedSettings(stateDir);
      const settingsPath = join(stateDir, SETTINGS_FILE);
      const raw = `gpuz-cloud-${env}-raw-000000000000`;
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
      // Only the target changes: the agent reaches moto the way deploy did; schedule, host and log stay.
      expect(await readSettings(stateDir)).toEqual({
        ...seeded,
        target: {
          kind: 's3',
          bucket: raw,
          region: services.region,
          endpoint: services.motoEndpoint,
          processedBucket: `gpuz-cloud-${env}-processed-000000000000`,
        },
      });
      expect(deploy.err).toContain(
        `settings: ${settingsPath} now uploads to s3://${raw} (${services.region}, endpoint ${services.motoEndpoint}), ` +
          `was the local folder ${join(stateDir, 'store')}; a running \`gpuz-cloud agent\` or tray app on this folder switches to it by itself\n`,
      );

      const again = capture();
      expect(await runDeploy(options, again.io)).toBe(0);
      expect(again.err).toContain('Nothing to change: the stack is up to date.');
      expect(again.err).toContain(`settings: ${settingsPath} already uploads to s3://${raw} (`);

      const s3 = await fillBuckets(env);
      // The dashboard's cache of the stack's objects (its folder as the runtime names it from the settings).
      const cache = cacheFolderOf(stateDir, (await readSettings(stateDir)).target as never);
      await mkdir(cache, { recursive: true });
      await writeFile(join(cache, 'copy.object'), 'rows');
      const destroy = capture();
      expect(await runDestroy(options, destroy.io)).toBe(0);
      await expect(access(cache)).rejects.toMatchObject({ code: 'ENOENT' });
      expect(destroy.err).toContain(
        `emptied gpuz-cloud-${env}-raw-000000000000: 2 object versions and delete markers`,
      );
      expect(destroy.err).toContain('Plan: 0 to add, 0 to change, 3 to destroy.');
      expect(destroy.out).toBe('destroyed\n');
      const left = await s3.send(
        new ListObjectVersionsCommand({ Bucket: `gpuz-cloud-${env}-raw-000000000000` }),
      );
      expect(left.Versions ?? []).toEqual([]);
      expect(await readSettings(stateDir)).toEqual(seeded);
      expect(destroy.err).toContain(
        `settings: ${settingsPath} uploaded to s3://${raw} (${services.region}, endpoint ${services.motoEndpoint}), ` +
          `which is gone; now uses the local folder ${join(stateDir, 'store')} (the default)`,
      );
    });

    it('writes a first settings file when there is none, and leaves settings alone with --no-save-settings', async () => {
      const env = randomEnv('n');
      const { stateDir, options } = await deployCase('nosave', env);
      const raw = `gpuz-cloud-${env}-raw-000000000000`;
      const kept = capture();
      expect(await runDeploy({ ...options, saveSettings: false }, kept.io)).toBe(0);
      await expect(readFile(join(stateDir, SETTINGS_FILE))).rejects.toMatchObject({ code: 'ENOENT' });
      expect(kept.err).not.toContain('settings:');

      // No file yet: the agent's defaults (log found, host, time zone) with the deployed target.
      expect(await runDeploy(options, capture().io)).toBe(0);
      const first = await readSettings(stateDir);
      expect(first.target).toMatchObject({ kind: 's3', bucket: raw });
      expect(first.schedule).toEqual({ kind: 'interval', minutes: 60 });
      expect(first.logPath).toMatch(/GPU-Z Sensor Log\.txt$/);

      await fillBuckets(env);
      const before = await readFile(join(stateDir, SETTINGS_FILE), 'utf8');
      expect(await runDestroy({ ...options, saveSettings: false }, capture().io)).toBe(0);
      expect(await readFile(join(stateDir, SETTINGS_FILE), 'utf8')).toBe(before);
    });

    it('hands --kafka-endpoint, --kafka-topic and --kafka-sasl-secret to the stack (the Lambda produces to Kafka), and refuses half of them', async () => {
      const base = await deployCase('kafka', randomEnv('k'));
      const options = { ...base.options, saveSettings: false };
      const half = capture();
      expect(await runDeploy({ ...options, kafkaEndpoint: 'b-1:9092' }, half.io)).toBe(1);
      expect(half.err).toContain('gpuz-cloud deploy: Kafka needs both the brokers and a topic.');

      const deploy = capture();
      expect(
        await runDeploy(
          {
            ...options,
            kafkaEndpoint: 'b-1:9092, b-2:9092',
            kafkaTopic: 'gpu-metrics',
            kafkaSaslSecret: SECRET_ARN,
          },
          deploy.io,
        ),
      ).toBe(0);
      const workDir = /working folder: (.+)\n/.exec(deploy.err)![1]!;
      const { stdout } = await promisify(execFile)(terraform!.path, ['output', '-json'], { cwd: workDir });
      expect(JSON.parse(stdout).kafka.value).toBe(`b-1:9092,b-2:9092|gpu-metrics|${SECRET_ARN}`);
    });

    it('exits 1 and says so when the stack is up but the settings file cannot be read', async () => {
      const { stateDir, options } = await deployCase('badsettings', randomEnv('b'));
      await writeFile(join(stateDir, SETTINGS_FILE), '{ not json');
      const deploy = capture();
      expect(await runDeploy(options, deploy.io)).toBe(1);
      expect(JSON.parse(deploy.out)).toMatchObject({ target: 's3' });
      expect(deploy.err).toContain(
        `gpuz-cloud deploy: the stack is deployed, but ${join(stateDir, SETTINGS_FILE)} was not updated: ` +
          `${join(stateDir, SETTINGS_FILE)} is not valid JSON: Expected property name or '}' in JSON at position 2 (line 1 column 3). — Fix the file, or delete it: that restores the defaults`,
      );
      expect(await readFile(join(stateDir, SETTINGS_FILE), 'utf8')).toBe('{ not json');
    });

    it('asks before changing anything, and refuses without a terminal unless --yes', async () => {
      const { yes: _yes, ...options } = (await deployCase('confirm', 'confirm')).options;
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
    // The Node check first (a warning below Node 22.12, said here once instead of by the SDK on every command).
    expect(rows[0]).toMatch(/^(✔ pass|! warn) {2}Node\.js +Node \d+\.\d+\.\d+/);
    expect(rows.find((r) => r.includes('AWS credentials'))).toMatch(
      /^✔ pass {2}AWS credentials +account \d{12} as arn:aws:/,
    );
    expect(
      rows.some((r) => /^✖ FAIL {2}Raw bucket +gpuz-cloud-none\w+-raw-\d{12} does not exist$/.test(r)),
    ).toBe(true);
    expect(out).toContain('→ Run `gpuz-cloud deploy --env none');
    expect(rows.at(-2)).toMatch(/^\d check\(s\) failed, \d warning\(s\)\.$/);
  });
});
