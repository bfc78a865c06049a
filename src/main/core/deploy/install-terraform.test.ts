import { createHash, randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import yazl from 'yazl';
import { findTerraform } from './find-terraform';
import { installTerraform } from './install-terraform';
import { type TerraformRelease, terraformRelease } from './terraform-release';

/**
 * A stand-in release archive: a `terraform` that answers `version` like 1.11.4, and a LICENSE beside it (256 KB that
 * do not compress, so a download takes several chunks).
 */
async function standInArchive(): Promise<Buffer> {
  const zip = new yazl.ZipFile();
  zip.addBuffer(randomBytes(256 * 1024), 'LICENSE.txt', { compress: false });
  zip.addBuffer(Buffer.from('#!/bin/sh\necho "Terraform v1.11.4"\necho "on linux_amd64"\n'), 'terraform', {
    mode: 0o100755,
  });
  zip.end();
  const chunks: Buffer[] = [];
  for await (const chunk of zip.outputStream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** A local release server; `handle` may answer a request itself (return true), else the archive is served. */
async function releaseServer(
  archive: Buffer,
  handle: (req: IncomingMessage, res: ServerResponse, n: number) => boolean = () => false,
) {
  const requests: { range?: string | undefined }[] = [];
  const server = createServer((req, res) => {
    requests.push({ range: req.headers.range });
    if (handle(req, res, requests.length)) return;
    const range = /^bytes=(\d+)-$/.exec(req.headers.range ?? '');
    const from = range ? Number(range[1]) : 0;
    res.writeHead(range ? 206 : 200, { 'content-length': archive.length - from });
    res.end(archive.subarray(from));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { base, requests, close: () => new Promise((resolve) => server.close(resolve)) };
}

function release(base: string, archive: Buffer): TerraformRelease {
  return {
    ...terraformRelease('linux', 'x64', base)!,
    sha256: createHash('sha256').update(archive).digest('hex'),
  };
}

describe('Terraform on demand (a local server with a stand-in release archive)', () => {
  it('downloads, verifies and unpacks the binary into the local data folder, with progress', async () => {
    // Prepare
    const archive = await standInArchive();
    const server = await releaseServer(archive);
    const dir = await mkdtemp(join(tmpdir(), 'gpuz-tf-install-'));
    const progress: number[] = [];
    // Act
    const installed = await installTerraform({
      dir,
      release: release(server.base, archive),
      onProgress: (bytes, total) => progress.push(bytes / total),
    });
    await server.close();
    // Assess
    expect(installed).toEqual({ path: join(dir, '1.11.4', 'terraform'), downloaded: true });
    expect(await findTerraform({ configuredPath: installed.path, env: {} })).toMatchObject({
      flavor: 'terraform',
      version: '1.11.4',
    });
    expect(progress.at(-1)).toBe(1);
    expect(await readdir(join(dir, '1.11.4'))).toEqual(['terraform']);
  });

  it('refuses an archive that does not match the pinned SHA-256, and deletes it', async () => {
    const archive = await standInArchive();
    const server = await releaseServer(archive);
    const dir = await mkdtemp(join(tmpdir(), 'gpuz-tf-bad-'));
    const pinned = { ...release(server.base, archive), sha256: 'f'.repeat(64) };
    await expect(installTerraform({ dir, release: pinned })).rejects.toMatchObject({
      code: 'TERRAFORM_CHECKSUM',
      message: expect.stringContaining('does not match its pinned SHA-256'),
      advice: expect.stringContaining('winget install Hashicorp.Terraform'),
    });
    await server.close();
    expect(await readdir(join(dir, '1.11.4'))).toEqual([]);
  });

  it('resumes an interrupted download where it stopped (HTTP Range)', async () => {
    const archive = await standInArchive();
    const half = Math.floor(archive.length / 2);
    const server = await releaseServer(archive, (_req, res, n) => {
      if (n > 1) return false;
      // The first answer promises everything, sends half and drops the connection.
      res.writeHead(200, { 'content-length': archive.length });
      res.write(archive.subarray(0, half), () => setTimeout(() => res.destroy(), 100));
      return true;
    });
    const dir = await mkdtemp(join(tmpdir(), 'gpuz-tf-resume-'));
    const installed = await installTerraform({
      dir,
      release: release(server.base, archive),
      retryDelayMs: 10,
    });
    await server.close();
    expect(existsSync(installed.path)).toBe(true);
    expect(server.requests[0]!.range).toBeUndefined();
    expect(server.requests.at(-1)!.range).toMatch(/^bytes=\d+-$/);
  });

  it('says what to do when the release server cannot be reached', async () => {
    // A port that was just free: nothing listens there any more.
    const gone = await releaseServer(Buffer.alloc(0));
    await gone.close();
    const dir = await mkdtemp(join(tmpdir(), 'gpuz-tf-offline-'));
    const offline = { ...terraformRelease('linux', 'x64', gone.base)!, sha256: '0'.repeat(64) };
    await expect(
      installTerraform({ dir, release: offline, attempts: 2, retryDelayMs: 10 }),
    ).rejects.toMatchObject({
      code: 'TERRAFORM_DOWNLOAD_FAILED',
      message: `Could not download Terraform 1.11.4 from ${new URL(gone.base).host} (ECONNREFUSED), after 2 attempts.`,
      advice: expect.stringContaining('Check the internet connection'),
    });
  });

  it('pins the published archives: the platforms it offers and their URL', () => {
    expect(terraformRelease('win32', 'x64')).toMatchObject({
      url: 'https://releases.hashicorp.com/terraform/1.11.4/terraform_1.11.4_windows_amd64.zip',
      sha256: '4e1dc85419dda723f2bb3afdf63a0d282a2de858588d56dd57d2e4e4c4c83f2b',
      binary: 'terraform.exe',
    });
    expect(terraformRelease('linux', 'x64')?.sha256).toBe(
      '1ce994251c00281d6845f0f268637ba50c0005657eb3cf096b92f753b42ef4dc',
    );
    expect(terraformRelease('win32', 'arm64')).toBeNull();
  });
});
