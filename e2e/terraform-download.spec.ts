/**
 * No Terraform on the PC: the Cloud view of `gpuz-cloud agent` offers to download the pinned release, and refuses an
 * archive whose SHA-256 is not the pinned one. The release server is a local one (GPUZ_TERRAFORM_RELEASES_URL, the
 * mirror setting) serving a stand-in archive, so the pinned sum can never match: the view must say so, delete the
 * download, install nothing, and keep offering the button.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import yazl from 'yazl';
import { terraformRelease } from '../src/main/core/deploy/terraform-release';
import { type AgentProcess, startAgentProcess } from './support/agent-process';

const release = terraformRelease(process.platform, process.arch);
let dir: string;
let server: Server;
let agent: AgentProcess;
const requested: string[] = [];

async function standInArchive(): Promise<Buffer> {
  const zip = new yazl.ZipFile();
  zip.addBuffer(Buffer.from('#!/bin/sh\necho "Terraform v1.11.4"\n'), 'terraform', { mode: 0o100755 });
  zip.end();
  const chunks: Buffer[] = [];
  for await (const chunk of zip.outputStream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

test.beforeAll(async () => {
  if (!release) return;
  dir = await mkdtemp(join(tmpdir(), 'gpuz-e2e-tf-'));
  const archive = await standInArchive();
  server = createServer((req, res) => {
    requested.push(req.url ?? '');
    res.writeHead(200, { 'content-length': archive.length });
    res.end(archive);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  agent = await startAgentProcess({
    stateDir: join(dir, 'state'),
    args: ['--file', join(dir, 'GPU-Z Sensor Log.txt'), '--local', join(dir, 'store')],
    env: {
      // No terraform or tofu anywhere this agent looks (the machine's own is in /usr/local/bin).
      PATH: '/usr/bin:/bin',
      GPUZ_TERRAFORM: '',
      // The checked-in fixture stack, so the plan reaches the Terraform lookup on a clean clone (no cdktf.out yet).
      GPUZ_STACK_JSON: join(import.meta.dirname, '../src/main/core/deploy/fixtures/builtin-stack.tf.json'),
      GPUZ_LOCAL_DIR: join(dir, 'local'),
      GPUZ_TERRAFORM_RELEASES_URL: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    },
  });
});

test.afterAll(async () => {
  await agent?.stop();
  await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
  if (dir) await rm(dir, { recursive: true, force: true });
});

test('Cloud: no Terraform → Download is offered; a download that does not match the pinned SHA-256 is refused and deleted', async ({
  page,
}) => {
  test.skip(!release, `no pinned Terraform release for ${process.platform}/${process.arch}`);
  // Prepare
  await page.goto(agent.url);
  await page
    .getByRole('tab', { name: 'Cloud' })
    .or(page.getByText('Cloud', { exact: true }))
    .first()
    .click();
  // Act
  await page.getByTestId('plan-deploy').click();
  const status = page.getByTestId('deploy-status');
  await expect(status).toContainText('Neither terraform nor tofu was found');
  await page.getByTestId('download-terraform').click();
  // Assess
  await expect(status).toContainText(
    `Downloading Terraform failed: The downloaded ${release!.file} does not match its pinned SHA-256`,
    { timeout: 30_000 },
  );
  await expect(status).toContainText('it was deleted and nothing was installed');
  await expect(page.getByTestId('download-terraform')).toBeVisible();
  expect(requested).toEqual([`/1.11.4/${release!.file}`]);
  const version = join(dir, 'local', 'terraform', '1.11.4');
  expect(existsSync(version) ? await readdir(version) : []).toEqual([]);
});
