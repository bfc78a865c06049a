import { prepareDeploy } from './prepare';

const options = {
  stateDir: '/nowhere',
  stackJsonPath: '/nowhere/cdk.tf.json',
  lambdaZipPath: '/nowhere/x.zip',
  env: {},
};

describe('prepareDeploy checks what it is given before anything runs', () => {
  it('refuses an environment name that cannot be part of a bucket name, with advice', async () => {
    await expect(prepareDeploy(options, { environment: 'Prod Env' })).rejects.toMatchObject({
      code: 'BAD_ENVIRONMENT',
      advice: expect.stringContaining('lower-case letters, digits or dashes'),
    });
    await expect(prepareDeploy(options, { environment: 'dev', project: '-gpuz' })).rejects.toMatchObject({
      code: 'BAD_PROJECT',
    });
  });

  it('refuses names that would make a bucket name longer than 63 characters, and says the limit', async () => {
    // gpuz-cloud (10) + 29 = 39: the processed bucket name is exactly 63 characters.
    await expect(prepareDeploy(options, { environment: 'e'.repeat(29) })).rejects.toMatchObject({
      code: 'STACK_MISSING',
    });
    await expect(prepareDeploy(options, { environment: 'e'.repeat(30) })).rejects.toMatchObject({
      code: 'BAD_ENVIRONMENT',
      message: `gpuz-cloud-${'e'.repeat(30)}-processed-<account> would be 64 characters; S3 allows 63: project and environment may take 39 characters together (now 10 + 30).`,
    });
    await expect(
      prepareDeploy(options, { environment: 'dev', project: 'p'.repeat(20), region: 'eu-central-1' }),
    ).rejects.toMatchObject({ code: 'STACK_MISSING' });
    await expect(
      prepareDeploy(options, { environment: 'e'.repeat(20), project: 'p'.repeat(20) }),
    ).rejects.toMatchObject({ code: 'BAD_ENVIRONMENT', message: expect.stringContaining('(now 20 + 20)') });
  });

  it.each([
    [{ alarmEmail: 'not-an-address' }, 'BAD_ALARM_EMAIL'],
    [{ rawExpiryDays: -1 }, 'BAD_RAW_EXPIRY'],
    [{ rawExpiryDays: 1.5 }, 'BAD_RAW_EXPIRY'],
    [{ architecture: 'mips' as 'arm64' }, 'BAD_ARCHITECTURE'],
    [{ concurrency: -2 }, 'BAD_CONCURRENCY'],
  ])('refuses the setting %o before anything runs (%s)', async (setting, code) => {
    await expect(prepareDeploy(options, { environment: 'dev', ...setting })).rejects.toMatchObject({ code });
  });

  it('accepts the settings the stack takes (then stops at the missing stack file)', async () => {
    await expect(
      prepareDeploy(options, {
        environment: 'dev',
        alarmEmail: 'owner@example.com',
        rawExpiryDays: 30,
        architecture: 'x86_64',
        concurrency: 'auto',
      }),
    ).rejects.toMatchObject({ code: 'STACK_MISSING' });
    await expect(prepareDeploy(options, { environment: 'dev', alarmEmail: 'none' })).rejects.toMatchObject({
      code: 'STACK_MISSING',
    });
  });

  it('refuses a region that is not a region code', async () => {
    await expect(prepareDeploy(options, { environment: 'dev', region: 'moon-1' })).rejects.toMatchObject({
      code: 'BAD_REGION',
    });
  });

  it('says to synthesize when the stack file is missing', async () => {
    await expect(
      prepareDeploy(options, { environment: 'dev', region: 'eu-central-1' }),
    ).rejects.toMatchObject({
      code: 'STACK_MISSING',
      advice: expect.stringContaining('npm run synth'),
    });
  });
});

describe('prepareDeploy: Kafka for the Lambda', () => {
  it('needs brokers and topic together, each well formed', async () => {
    const base = { environment: 'dev', region: 'eu-central-1' };
    for (const kafka of [
      { kafkaEndpoint: 'b-1.example.com:9092' },
      { kafkaTopic: 'gpu-metrics' },
      { kafkaEndpoint: 'b-1.example.com', kafkaTopic: 'gpu-metrics' },
      { kafkaEndpoint: 'b-1.example.com:9092', kafkaTopic: 'gpu metrics' },
    ]) {
      await expect(prepareDeploy(options, { ...base, ...kafka })).rejects.toMatchObject({
        code: 'BAD_KAFKA',
      });
    }
    // Both given and well formed: on to the next check (here: no stack file).
    await expect(
      prepareDeploy(options, { ...base, kafkaEndpoint: 'b-1:9092, b-2:9092', kafkaTopic: 'gpu-metrics' }),
    ).rejects.toMatchObject({ code: 'STACK_MISSING' });
  });
});
