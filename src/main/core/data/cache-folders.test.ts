import { mkdir, mkdtemp, readdir, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TargetSettings } from '../../../shared/contract';
import {
  cacheFolderOf,
  forgetBuckets,
  sweepCacheFolders,
  targetId,
  UNUSED_CACHE_DAYS,
} from './cache-folders';

const DAY = 24 * 60 * 60 * 1000;
const NOW = Date.UTC(2026, 11, 5, 12);
const local: TargetSettings = { kind: 'local', dir: '/store' };
const RAW = 'gpuz-cloud-prod-raw-123456789012';
const PROCESSED = 'gpuz-cloud-prod-processed-123456789012';
const ENDPOINT = 'http://127.0.0.1:5000';
const stack: TargetSettings = {
  kind: 's3',
  bucket: RAW,
  processedBucket: PROCESSED,
  region: 'eu-west-1',
  endpoint: ENDPOINT,
};

describe('cache folders', () => {
  let stateDir: string;
  beforeEach(async () => {
    stateDir = await mkdtemp(join(tmpdir(), 'gpuz-cache-folders-'));
  });
  afterEach(() => rm(stateDir, { recursive: true, force: true }));

  /** A cache folder for the target, last written `daysAgo` before NOW. */
  async function cacheOf(target: TargetSettings, daysAgo: number) {
    const folder = cacheFolderOf(stateDir, target);
    await mkdir(folder, { recursive: true });
    await writeFile(join(folder, 'index-0.pack'), 'index');
    const at = (NOW - daysAgo * DAY) / 1000;
    await utimes(folder, at, at);
    return folder;
  }

  it('at a start, removes the caches of other targets unused for 30 days, never the current one', async () => {
    // Prepare
    await cacheOf(local, 400);
    await cacheOf(stack, UNUSED_CACHE_DAYS + 1);
    const recent = { kind: 's3', bucket: 'recent', region: 'us-east-1' } as const;
    await cacheOf(recent, UNUSED_CACHE_DAYS - 1);
    // Act
    const removed = await sweepCacheFolders(stateDir, local, NOW);
    // Assess
    expect(removed).toEqual([cacheFolderOf(stateDir, stack)]);
    expect((await readdir(join(stateDir, 'cache'))).sort()).toEqual(
      [targetId(local), targetId(recent)].sort(),
    );
  });

  it('a state folder without caches, or a stray file among them, is no error', async () => {
    await expect(sweepCacheFolders(stateDir, local, NOW)).resolves.toEqual([]);
    await mkdir(join(stateDir, 'cache'));
    await writeFile(join(stateDir, 'cache', 'notes.txt'), 'mine');
    await expect(sweepCacheFolders(stateDir, local, NOW)).resolves.toEqual([]);
  });

  it("after a destroy, the cache of a target reading from a deleted bucket goes at once; others' stay", async () => {
    // Prepare
    await cacheOf(stack, 0);
    const kept = { ...stack, processedBucket: 'another-processed' };
    await cacheOf(kept, 0);
    // Act: the stack's buckets as the destroy names them, with the endpoint the deploy used.
    await forgetBuckets(stateDir, [RAW, PROCESSED], ENDPOINT);
    // Assess
    expect(await readdir(join(stateDir, 'cache'))).toEqual([targetId(kept)]);
  });
});
