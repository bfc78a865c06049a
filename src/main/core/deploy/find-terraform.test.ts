import { chmod, mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AppError } from '../../../shared/errors';
import { compareVersions, expandWindowsVariables, findTerraform, parseRegQueryValue } from './find-terraform';

/** A fake binary that answers `version` like the real one (our own interface: the text we parse). */
async function fakeBinary(dir: string, name: string, firstLine: string): Promise<string> {
  await mkdir(dir, { recursive: true });
  const path = join(dir, name);
  await writeFile(path, `#!/bin/sh\nprintf '%s\\non linux_amd64\\n' "${firstLine}"\n`);
  await chmod(path, 0o755);
  return path;
}

async function caught(promise: Promise<unknown>): Promise<AppError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error('expected an AppError');
}

describe('findTerraform', () => {
  let root: string;
  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'gpuz-find-tf-'));
  });

  it('prefers the configured path, then the bundled folder, then PATH', async () => {
    const configured = await fakeBinary(join(root, 'configured'), 'my-terraform', 'Terraform v1.9.8');
    const bundled = await fakeBinary(join(root, 'bundled'), 'tofu', 'OpenTofu v1.8.3');
    await fakeBinary(join(root, 'path'), 'terraform', 'Terraform v1.11.4');
    const env = { PATH: join(root, 'path') };

    expect(
      await findTerraform({ configuredPath: configured, bundledDir: join(root, 'bundled'), env }),
    ).toEqual({
      path: configured,
      flavor: 'terraform',
      version: '1.9.8',
    });
    expect(await findTerraform({ bundledDir: join(root, 'bundled'), env })).toEqual({
      path: bundled,
      flavor: 'tofu',
      version: '1.8.3',
    });
    expect(await findTerraform({ env })).toEqual({
      path: join(root, 'path', 'terraform'),
      flavor: 'terraform',
      version: '1.11.4',
    });
  });

  it('takes GPUZ_TERRAFORM as the configured path', async () => {
    const path = await fakeBinary(join(root, 'x'), 'tf', 'Terraform v1.6.0');
    expect((await findTerraform({ env: { GPUZ_TERRAFORM: path, PATH: '' } })).path).toBe(path);
  });

  it('falls back to tofu on PATH when there is no terraform anywhere', async () => {
    await fakeBinary(join(root, 'a'), 'unrelated', 'Terraform v1.11.4');
    const tofu = await fakeBinary(join(root, 'b'), 'tofu', 'OpenTofu v1.10.0-beta1');
    const found = await findTerraform({ env: { PATH: `${join(root, 'a')}:${join(root, 'b')}` } });
    expect(found).toEqual({ path: tofu, flavor: 'tofu', version: '1.10.0-beta1' });
  });

  it('looks for terraform.exe on PATH entries split by ";" on Windows', async () => {
    const exe = await fakeBinary(join(root, 'win'), 'terraform.exe', 'Terraform v1.7.5');
    const found = await findTerraform({
      env: { Path: `C:\\nowhere;${join(root, 'win')}` },
      platform: 'win32',
    });
    expect(found.path).toBe(exe);
  });

  it('on Windows, reads PATH again from the registry (a winget install after the app started is found)', async () => {
    // Prepare: the process PATH is stale; the registry's (machine + user) has the new folder.
    const exe = await fakeBinary(join(root, 'winget'), 'terraform.exe', 'Terraform v1.11.4');
    // Act
    const found = await findTerraform({
      env: { Path: 'C:\\Windows' },
      platform: 'win32',
      readRegistryPath: async () => `C:\\Windows;${join(root, 'winget')}`,
    });
    // Assess
    expect(found.path).toBe(exe);
  });

  it('looks in winget’s Links folder on Windows', async () => {
    const links = join(root, 'Microsoft', 'WinGet', 'Links');
    const exe = await fakeBinary(links, 'terraform.exe', 'Terraform v1.11.4');
    const found = await findTerraform({
      env: { Path: '', LOCALAPPDATA: root },
      platform: 'win32',
      readRegistryPath: async () => '',
    });
    expect(found.path).toBe(exe);
  });

  it('says how to get one when nothing is found', async () => {
    const error = await caught(findTerraform({ env: { PATH: join(root, 'empty') } }));
    expect(error.code).toBe('TERRAFORM_MISSING');
    expect(error.advice).toContain('https://developer.hashicorp.com/terraform/install');
    expect(error.advice).toContain('https://opentofu.org/docs/intro/install/');
    expect(error.advice).toContain('--terraform <path>');
  });

  it('rejects a configured path that is missing, something else, or too old', async () => {
    expect((await caught(findTerraform({ configuredPath: join(root, 'nope'), env: {} }))).code).toBe(
      'TERRAFORM_NOT_EXECUTABLE',
    );
    const other = await fakeBinary(join(root, 'o'), 'terraform', 'Packer v1.11.2');
    const unknown = await caught(findTerraform({ configuredPath: other, env: {} }));
    expect(unknown.code).toBe('TERRAFORM_UNKNOWN');
    expect(unknown.message).toContain('Packer v1.11.2');
    const old = await fakeBinary(join(root, 'old'), 'terraform', 'Terraform v0.14.11');
    const tooOld = await caught(findTerraform({ configuredPath: old, env: {} }));
    expect(tooOld.code).toBe('TERRAFORM_TOO_OLD');
    expect(tooOld.message).toContain('needs 1.5.0 or newer');
  });

  it.skipIf(process.platform === 'win32')('identifies the real binary when one is installed', async () => {
    const real = await findTerraform({ env: { PATH: '/usr/local/bin:/usr/bin' } }).catch(() => null);
    if (!real) return; // no terraform on this machine: the fakes above cover discovery
    expect(real.flavor).toMatch(/^(terraform|tofu)$/);
    expect(compareVersions(real.version, '1.5.0')).toBeGreaterThanOrEqual(0);
  });
});

describe('the Windows PATH in the registry', () => {
  it('reads the value out of `reg query` (as Windows 11 prints it) and expands %VARIABLES%', () => {
    const output =
      '\r\nHKEY_CURRENT_USER\\Environment\r\n    Path    REG_EXPAND_SZ    %USERPROFILE%\\AppData\\Local\\Microsoft\\WindowsApps;C:\\Tools\r\n\r\n';
    const value = parseRegQueryValue(output);
    expect(value).toBe('%USERPROFILE%\\AppData\\Local\\Microsoft\\WindowsApps;C:\\Tools');
    expect(expandWindowsVariables(value!, { USERPROFILE: 'C:\\Users\\ann' })).toBe(
      'C:\\Users\\ann\\AppData\\Local\\Microsoft\\WindowsApps;C:\\Tools',
    );
    expect(expandWindowsVariables('%unknown%\\x', {})).toBe('%unknown%\\x');
    expect(
      parseRegQueryValue('ERROR: The system was unable to find the specified registry key or value.'),
    ).toBeNull();
  });
});

describe('compareVersions', () => {
  it('compares numerically', () => {
    expect(compareVersions('1.10.0', '1.5.0')).toBe(1);
    expect(compareVersions('1.5.0', '1.5.0')).toBe(0);
    expect(compareVersions('0.15.5', '1.5.0')).toBe(-1);
  });
});
