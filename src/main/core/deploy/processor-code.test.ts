import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stackOfRawBucket } from '../../../shared/stack/names';
import { readProcessorCode } from './processor-code';

const DEV = stackOfRawBucket('gpuz-cloud-dev-raw-123456789012')!;

/** A Terraform state holding the processor function as `terraform apply` records it (the attributes read here). */
function stateWith(rawBucket: string, functionName: string, sourceCodeHash: string): string {
  return JSON.stringify({
    version: 4,
    serial: 3,
    lineage: 'l',
    resources: [
      {
        mode: 'managed',
        type: 'aws_s3_bucket',
        name: 'raw',
        instances: [{ attributes: { bucket: rawBucket } }],
      },
      {
        mode: 'managed',
        type: 'aws_lambda_function',
        name: 'processor',
        instances: [{ attributes: { function_name: functionName, source_code_hash: sourceCodeHash } }],
      },
    ],
  });
}

async function setUp() {
  const stateDir = await mkdtemp(join(tmpdir(), 'gpuz-code-'));
  const lambdaZipPath = join(stateDir, 'gpu-processor.zip');
  await writeFile(lambdaZipPath, 'zip bytes');
  // base64 SHA-256 of 'zip bytes', as infra/lambda-zip.ts writes it into the stack
  const bundleHash = createHash('sha256').update('zip bytes').digest('base64');
  const put = async (folder: string, text: string, at: Date) => {
    await mkdir(join(stateDir, 'deploy', folder), { recursive: true });
    const path = join(stateDir, 'deploy', folder, 'terraform.tfstate');
    await writeFile(path, text);
    await utimes(path, at, at);
  };
  return { stateDir, lambdaZipPath, bundleHash, put };
}

describe('readProcessorCode', () => {
  it('says nothing without a state of that function on this PC (deployed from another, or never)', async () => {
    const { stateDir, lambdaZipPath, put } = await setUp();
    const asked = { stateDir, names: DEV, lambdaZipPath };
    expect(await readProcessorCode(asked)).toBeNull();
    await put(
      '123456789012-prod',
      stateWith('gpuz-cloud-prod-raw-123456789012', 'gpuz-cloud-prod-processor', 'x'),
      new Date(),
    );
    // The same stack name in another account: its state is not this stack's.
    await put(
      '210987654321-dev',
      stateWith('gpuz-cloud-dev-raw-210987654321', DEV.functionName, 'x'),
      new Date(),
    );
    await put('123456789012-dev', '{"resources": [', new Date()); // damaged: deploy has its own words for it
    expect(await readProcessorCode(asked)).toBeNull();
  });

  it('compares the last apply of the function with the bundle the app ships', async () => {
    const { stateDir, lambdaZipPath, bundleHash, put } = await setUp();
    const asked = { stateDir, names: DEV, lambdaZipPath };
    const earlier = new Date(2026, 10, 1);
    await put('123456789012-dev', stateWith(DEV.rawBucket, DEV.functionName, 'an earlier build'), earlier);
    expect(await readProcessorCode(asked)).toEqual({ current: false, appliedAt: earlier.getTime() });
    // Deployed again with this app's bundle: the state now holds its hash.
    const later = new Date(2026, 11, 1);
    await put('123456789012-dev', stateWith(DEV.rawBucket, DEV.functionName, bundleHash), later);
    expect(await readProcessorCode(asked)).toEqual({ current: true, appliedAt: later.getTime() });
  });
});
