/**
 * Fetches the pinned Terraform release into the app's local (not roaming) data folder, verified before it is
 * unpacked: a download that does not match the pinned SHA-256 is deleted and nothing is installed.
 *
 *   await installTerraform({ dir: '%LOCALAPPDATA%\\GPU-Z Cloud\\terraform', release, onProgress })
 *     → { path: '…\\terraform\\1.11.4\\terraform.exe', downloaded: true }
 *   an interrupted download resumes (HTTP Range) up to `attempts` times; unreachable → TERRAFORM_DOWNLOAD_FAILED,
 *   a wrong archive → TERRAFORM_CHECKSUM (the file removed), both with what to do instead.
 */
import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { chmod, open, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { setTimeout as sleep } from 'node:timers/promises';
import yauzl from 'yauzl';
import { AppError } from '../../../shared/errors';
import { makeFolder } from '../../../shared/fs/make-folder';
import { pathExists } from '../../../shared/fs/path-exists';
import type { TerraformRelease } from './terraform-release';

export interface InstallOptions {
  /** The folder for downloaded Terraform versions: `<local data>/terraform`. */
  dir: string;
  release: TerraformRelease;
  onProgress?: (bytes: number, total: number) => void;
  /** Download attempts in all (a dropped connection resumes where it stopped). */
  attempts?: number;
  retryDelayMs?: number;
  fetch?: typeof fetch;
}

export const MANUAL_INSTALL_ADVICE =
  'Install Terraform yourself (Windows: `winget install Hashicorp.Terraform`; else https://developer.hashicorp.com/terraform/install) ' +
  'and give its path in the Cloud view or with --terraform.';

/** Where a release lives once installed: `<dir>/<version>/terraform(.exe)`. */
export function installedPath(dir: string, release: TerraformRelease): string {
  return join(dir, release.version, release.binary);
}

export async function installTerraform(
  options: InstallOptions,
): Promise<{ path: string; downloaded: boolean }> {
  const { release } = options;
  const target = installedPath(options.dir, release);
  if (await pathExists(target)) return { path: target, downloaded: false };
  const folder = join(options.dir, release.version);
  await makeFolder(folder);
  const archive = join(folder, `${release.file}.part`);
  await download(options, archive);
  const actual = await sha256Of(archive);
  if (actual !== release.sha256) {
    await rm(archive, { force: true });
    throw new AppError(
      'TERRAFORM_CHECKSUM',
      `The downloaded ${release.file} does not match its pinned SHA-256 (expected ${release.sha256.slice(0, 12)}…, got ${actual.slice(0, 12)}…): it was deleted and nothing was installed.`,
      `Try again later; if it keeps happening something between you and the server changes downloads. ${MANUAL_INSTALL_ADVICE}`,
    );
  }
  await unpack(archive, release.binary, `${target}.tmp`);
  await chmod(`${target}.tmp`, 0o755);
  await rename(`${target}.tmp`, target);
  await rm(archive, { force: true });
  return { path: target, downloaded: true };
}

/** Downloads into `archive`, resuming a partial file with a Range request after a dropped connection. */
async function download(options: InstallOptions, archive: string): Promise<void> {
  const attempts = options.attempts ?? 4;
  const get = options.fetch ?? fetch;
  let lastError: unknown;
  for (let attempt = 1; attempt <= attempts; attempt++) {
    const have = await stat(archive).then(
      (s) => s.size,
      () => 0,
    );
    try {
      const response = await get(options.release.url, {
        headers: have > 0 ? { range: `bytes=${have}-` } : {},
      });
      if (response.status === 416) return; // the part file is already complete
      if (!response.ok || !response.body) {
        throw new AppError(
          'TERRAFORM_DOWNLOAD_FAILED',
          `${options.release.url} answered HTTP ${response.status}.`,
          MANUAL_INSTALL_ADVICE,
        );
      }
      const resumed = response.status === 206;
      const length = Number(response.headers.get('content-length') ?? 0);
      const total = (resumed ? have : 0) + length;
      let bytes = resumed ? have : 0;
      // Written chunk by chunk: what arrived before a dropped connection stays on disk for the next attempt.
      const file = await open(archive, resumed ? 'a' : 'w');
      try {
        for await (const chunk of Readable.fromWeb(response.body as WebReadableStream<Uint8Array>)) {
          await file.write(chunk as Buffer);
          bytes += (chunk as Buffer).length;
          options.onProgress?.(bytes, total);
        }
      } finally {
        await file.close();
      }
      if (length > 0 && bytes < total) throw new Error(`connection closed after ${bytes} of ${total} bytes`);
      return;
    } catch (error) {
      if (error instanceof AppError) throw error;
      lastError = error;
      if (attempt < attempts) await sleep((options.retryDelayMs ?? 1000) * attempt);
    }
  }
  throw new AppError(
    'TERRAFORM_DOWNLOAD_FAILED',
    `Could not download Terraform ${options.release.version} from ${new URL(options.release.url).host} (${describeNetworkError(lastError)}), after ${attempts} attempts.`,
    `Check the internet connection (or proxy) and try again. ${MANUAL_INSTALL_ADVICE}`,
  );
}

/** `fetch failed` hides the reason in `cause`: ECONNREFUSED, ENOTFOUND, a reset… */
function describeNetworkError(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } })?.cause;
  return cause?.code ?? cause?.message ?? (error instanceof Error ? error.message : String(error));
}

async function sha256Of(path: string): Promise<string> {
  const hash = createHash('sha256');
  await pipeline(createReadStream(path), hash);
  return hash.digest('hex');
}

/** Writes the archive's one entry named `name` to `to`; an archive without it is refused. */
function unpack(archive: string, name: string, to: string): Promise<void> {
  return new Promise((resolve, reject) => {
    yauzl.open(archive, { lazyEntries: true }, (error, zip) => {
      if (error || !zip) return reject(badArchive(archive, error));
      let found = false;
      zip.on('entry', (entry: yauzl.Entry) => {
        if (entry.fileName !== name) return zip.readEntry();
        found = true;
        zip.openReadStream(entry, (streamError, stream) => {
          if (streamError || !stream) return reject(badArchive(archive, streamError));
          pipeline(stream, createWriteStream(to)).then(() => {
            zip.close();
            resolve();
          }, reject);
        });
      });
      zip.on('end', () => {
        if (!found) reject(badArchive(archive, new Error(`no ${name} inside`)));
      });
      zip.on('error', (e: Error) => reject(badArchive(archive, e)));
      zip.readEntry();
    });
  });
}

function badArchive(archive: string, cause: unknown): AppError {
  return new AppError(
    'TERRAFORM_ARCHIVE',
    `${archive} is not a Terraform release archive (${cause instanceof Error ? cause.message : String(cause)}).`,
    MANUAL_INSTALL_ADVICE,
    { cause },
  );
}
