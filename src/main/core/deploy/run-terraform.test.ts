import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runTerraform } from './run-terraform';
import { providerMirrorConfig } from './working-dir';

function terraformOnPath(): string | null {
  try {
    return execFileSync('sh', ['-c', 'command -v terraform'], { encoding: 'utf8' }).trim() || null;
  } catch {
    return null;
  }
}
const TERRAFORM = terraformOnPath();

describe.skipIf(TERRAFORM === null)(
  `runTerraform${TERRAFORM ? '' : ' (skipped: no terraform on PATH)'}`,
  () => {
    let dir: string;
    beforeEach(() => {
      dir = mkdtempSync(join(tmpdir(), 'gpuz-tf-init-'));
    });
    afterEach(() => rmSync(dir, { recursive: true, force: true }));

    it('a failed init says why (the provider version its mirror lacks), not the last lines of Terraform’s hints', async () => {
      // Arrange: the stack's pinned provider and a mirror with another version only (as this machine's).
      const work = join(dir, 'work');
      const older = join(
        dir,
        'mirror',
        'registry.terraform.io',
        'hashicorp',
        'aws',
        '5.100.0',
        'linux_amd64',
      );
      mkdirSync(older, { recursive: true });
      writeFileSync(join(older, 'terraform-provider-aws_v5.100.0_x5'), '');
      mkdirSync(work);
      const stack = {
        terraform: { required_providers: { aws: { source: 'hashicorp/aws', version: '6.25.0' } } },
      };
      writeFileSync(join(work, 'main.tf.json'), JSON.stringify(stack));
      writeFileSync(join(dir, 'terraform.rc'), providerMirrorConfig(join(dir, 'mirror')));
      // Act
      const init = runTerraform({
        binary: { path: TERRAFORM! },
        workDir: work,
        phase: 'plan',
        args: ['init'],
        json: false,
        env: { TF_CLI_CONFIG_FILE: join(dir, 'terraform.rc') },
      });
      // Assess: before, "terraform init failed (exit 1): To see which modules … run the following command:
      // terraform providers" with "Run the same command again".
      await expect(init).rejects.toMatchObject({
        code: 'TERRAFORM_FAILED',
        message: expect.stringMatching(
          /^terraform init failed \(exit 1\): Failed to query available provider packages: .*no available releases match the given constraints 6\.25\.0/,
        ),
        advice: expect.stringContaining('No AWS provider 6.25.0 where Terraform looked'),
      });
    });
  },
);
