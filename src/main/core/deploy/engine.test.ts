import { mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDeployEngine, verifyBundle } from './engine';
import { findTerraform, type TerraformBinary } from './find-terraform';
import type { ProgressEvent } from './progress';

const STACK = join(import.meta.dirname, 'fixtures', 'builtin-stack.tf.json');
// The real binary, when this machine has one; the builtin-only stack needs no provider download.
const terraform: TerraformBinary | null = await findTerraform({ env: process.env }).catch(() => null);

describe.skipIf(!terraform)('deploy engine with the real terraform binary on a builtin-only stack', () => {
  it('init → plan → apply (state backed up, outputs read) → destroy', async () => {
    const stateDir = await mkdtemp(join(tmpdir(), 'gpuz-engine-'));
    const lambdaZipPath = join(stateDir, 'bundle.zip');
    await writeFile(lambdaZipPath, 'zip');
    let minute = 0;
    const engine = createDeployEngine({
      terraform: terraform!,
      stateDir,
      stackJsonPath: STACK,
      lambdaZipPath,
      accountId: '000000000000',
      environment: 'test',
      region: 'eu-central-1',
      clock: () => new Date(Date.UTC(2026, 0, 10, 10, minute++)),
    });
    const events: ProgressEvent[] = [];
    await engine.init((e) => events.push(e));
    expect(events.some((e) => e.phase === 'init' && /successfully initialized/.test(e.current))).toBe(true);

    const plan = await engine.plan({ onProgress: (e) => events.push(e) });
    expect(plan.counts).toEqual({ add: 3, change: 0, remove: 0, import: 0 });
    expect(plan.changes.map((c) => c.address).sort()).toEqual([
      'terraform_data.processed',
      'terraform_data.processor',
      'terraform_data.raw',
    ]);

    const applied: ProgressEvent[] = [];
    const first = await engine.apply((e) => applied.push(e));
    expect(first.backup).toBeNull(); // nothing to back up before the first apply
    expect(applied.at(-1)).toMatchObject({ phase: 'apply', done: 3, total: 3, errors: [] });
    expect(first.outputs).toEqual({
      rawBucket: 'gpuz-cloud-test-raw-000000000000',
      processedBucket: 'gpuz-cloud-test-processed-000000000000',
      functionName: 'gpuz-cloud-test-processor',
      region: 'eu-central-1',
      logGroup: '/aws/lambda/gpuz-cloud-test-processor',
      uploadBatchInterval: undefined,
      // Terraform's own types: a number variable's output is a number, a bool's a bool
      rawExpiryDays: 0,
      analyticsCopy: false,
    });
    const dir = await engine.workingDir();
    expect(dir).toBe(join(stateDir, 'deploy', '000000000000-test'));
    const state = JSON.parse(await readFile(join(dir, 'terraform.tfstate'), 'utf8')) as {
      resources: unknown[];
    };
    expect(state.resources).toHaveLength(3);

    const destroyPlan = await engine.plan({ destroy: true });
    expect(destroyPlan.counts).toEqual({ add: 0, change: 0, remove: 3, import: 0 });
    const destroyed: ProgressEvent[] = [];
    const second = await engine.apply((e) => destroyed.push(e));
    expect(second.outputs).toBeNull();
    expect(destroyed.at(-1)).toMatchObject({ phase: 'destroy', done: 3, total: 3 });
    expect(second.backup).toMatch(/backups\/terraform\.tfstate\.2026-01-10T10-0\d-00-000Z$/);
    expect(await readdir(join(dir, 'backups'))).toHaveLength(1);
    const after = JSON.parse(await readFile(join(dir, 'terraform.tfstate'), 'utf8')) as {
      resources: unknown[];
    };
    expect(after.resources).toEqual([]);
  });

  it('a failing plan becomes an AppError with the diagnostic', async () => {
    const stateDir = await mkdtemp(join(tmpdir(), 'gpuz-engine-bad-'));
    const stackJsonPath = join(stateDir, 'bad.tf.json');
    await writeFile(
      stackJsonPath,
      JSON.stringify({ resource: { terraform_data: { a: { input: `\${var.missing}` } } } }),
    );
    const engine = createDeployEngine({
      terraform: terraform!,
      stateDir,
      stackJsonPath,
      lambdaZipPath: stackJsonPath,
      accountId: '1',
      environment: 'dev',
      region: 'us-east-1',
      variables: {},
      clock: () => new Date(),
    });
    await engine.init();
    await expect(engine.plan()).rejects.toMatchObject({
      code: 'TERRAFORM_FAILED',
      message: expect.stringMatching(
        /^terraform plan failed \(exit 1\): (Value for undeclared variable|Reference to undeclared input variable)/,
      ),
    });
  });
});

describe('verifyBundle', () => {
  it('refuses a bundle rebuilt after the synth, and a missing one', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'gpuz-bundle-'));
    const zip = join(dir, 'b.zip');
    await writeFile(zip, 'new code');
    const stack = join(dir, 'stack.json');
    const withHash = (hash: string) =>
      JSON.stringify({ resource: { aws_lambda_function: { processor: { source_code_hash: hash } } } });
    await writeFile(stack, withHash('c3RhbGU='));
    await expect(verifyBundle(stack, zip)).rejects.toMatchObject({ code: 'BUNDLE_STALE' });
    // sha256('new code') in base64
    await writeFile(stack, withHash('17wy5fZ2Cpl7U0YdgQLL6PpwvYTFUPmJ1UgHqx9ylKQ='));
    await expect(verifyBundle(stack, zip)).resolves.toBeUndefined();
    await expect(verifyBundle(stack, join(dir, 'none.zip'))).rejects.toMatchObject({
      code: 'LAMBDA_ZIP_MISSING',
    });
  });
});
