import { mkdir, mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  backupState,
  KEEP_BACKUPS,
  prepareWorkingDir,
  providerMirrorConfig,
  workingDirFor,
} from './working-dir';

describe('working folder and state backups', () => {
  let stateDir: string;
  let stackJsonPath: string;
  beforeEach(async () => {
    stateDir = await mkdtemp(join(tmpdir(), 'gpuz-wd-'));
    stackJsonPath = join(stateDir, 'cdk.tf.json');
    await writeFile(stackJsonPath, '{"resource":{}}');
  });

  it('keeps one folder per account and environment, with the stack copied in', async () => {
    const dev = await prepareWorkingDir({
      stateDir,
      accountId: '111122223333',
      environment: 'dev',
      stackJsonPath,
    });
    const prod = await prepareWorkingDir({
      stateDir,
      accountId: '111122223333',
      environment: 'prod',
      stackJsonPath,
    });
    expect(dev).toBe(join(stateDir, 'deploy', '111122223333-dev'));
    expect(prod).toBe(workingDirFor(stateDir, '111122223333', 'prod'));
    expect(await readFile(join(dev, 'cdk.tf.json'), 'utf8')).toBe('{"resource":{}}');
  });

  it('writes a CLI configuration for a provider mirror only when one is given', async () => {
    const dir = await prepareWorkingDir({
      stateDir,
      accountId: '1',
      environment: 'dev',
      stackJsonPath,
      providerMirror: '/opt/mirror',
    });
    expect(await readFile(join(dir, 'terraform.rc'), 'utf8')).toBe(providerMirrorConfig('/opt/mirror'));
    expect(providerMirrorConfig('/opt/mirror')).toContain('path    = "/opt/mirror"');
  });

  it('says how to get the stack when it was not synthesized', async () => {
    await expect(
      prepareWorkingDir({
        stateDir,
        accountId: '1',
        environment: 'dev',
        stackJsonPath: join(stateDir, 'none.json'),
      }),
    ).rejects.toMatchObject({ code: 'STACK_MISSING', advice: expect.stringContaining('npm run synth') });
  });

  it('backs up the state with a timestamp, nothing before the first apply, and keeps the last 20', async () => {
    const dir = join(stateDir, 'deploy', 'acct-dev');
    await mkdir(dir, { recursive: true });
    expect(await backupState(dir, new Date('2026-01-10T10:00:00.000Z'))).toBeNull();

    await writeFile(join(dir, 'terraform.tfstate'), '{"serial":1}');
    const first = await backupState(dir, new Date('2026-01-10T10:00:00.000Z'));
    expect(first).toBe(join(dir, 'backups', 'terraform.tfstate.2026-01-10T10-00-00-000Z'));
    expect(await readFile(first!, 'utf8')).toBe('{"serial":1}');

    for (let i = 1; i <= 25; i++) {
      await writeFile(join(dir, 'terraform.tfstate'), `{"serial":${i + 1}}`);
      await backupState(dir, new Date(Date.UTC(2026, 0, 10, 11, i)));
    }
    const kept = (await readdir(join(dir, 'backups'))).sort();
    expect(kept).toHaveLength(KEEP_BACKUPS);
    expect(kept[0]).toBe('terraform.tfstate.2026-01-10T11-06-00-000Z');
    expect(await readFile(join(dir, 'backups', kept.at(-1)!), 'utf8')).toBe('{"serial":26}');
  });
});
