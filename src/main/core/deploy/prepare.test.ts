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
    await expect(prepareDeploy(options, { environment: 'a'.repeat(21) })).rejects.toMatchObject({
      code: 'BAD_ENVIRONMENT',
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
