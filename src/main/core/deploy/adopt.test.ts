import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Testing } from 'cdktf';
import { resolveConfig } from '../../../../infra/config';
import { GpuzCloudStack } from '../../../../infra/stack';
import { writeEmptyZip } from '../../../../infra/testing/empty-zip';
import { ADOPTABLE, IMPORTS_FILE, writeImportBlocks } from './adopt';

/** Every resource address of the synthesized stack; a counted one as its first instance (`…[0]`). */
function stackAddresses(): string[] {
  const stack = new GpuzCloudStack(
    Testing.app(),
    'a',
    resolveConfig({ lambdaZipPath: writeEmptyZip().path }),
  );
  const json = JSON.parse(Testing.synth(stack)) as {
    resource: Record<string, Record<string, { count?: unknown }>>;
  };
  return Object.entries(json.resource).flatMap(([type, byName]) =>
    Object.entries(byName).map(([name, body]) => `${type}.${name}${body.count === undefined ? '' : '[0]'}`),
  );
}

describe('adopting a stack whose state is lost', () => {
  it('knows how to find every resource of the stack (a new resource needs its probe here)', () => {
    expect(Object.keys(ADOPTABLE).sort()).toEqual(stackAddresses().sort());
  });

  it('writes Terraform import blocks, and removes the file when there is nothing to import', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'gpuz-adopt-'));
    await writeImportBlocks(dir, [{ to: 'aws_s3_bucket.raw', id: 'gpuz-cloud-dev-raw-123456789012' }]);
    expect(JSON.parse(await readFile(join(dir, IMPORTS_FILE), 'utf8'))).toEqual({
      import: [{ to: 'aws_s3_bucket.raw', id: 'gpuz-cloud-dev-raw-123456789012' }],
    });
    await writeImportBlocks(dir, []);
    await expect(readFile(join(dir, IMPORTS_FILE))).rejects.toMatchObject({ code: 'ENOENT' });
  });
});
