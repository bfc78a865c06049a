import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bundleCli, type CliBundle, collect, runCli, spawnCli } from '../../../test-support/cli-process';
import { SAMPLES_DIR } from '../../../test-support/services';
import { dataLinesOf, rawLines, sorted } from '../../core/agent/agent.test-support';
import { createLocalStore } from '../../core/store/local';

const BM1 = join(SAMPLES_DIR, 'gpuz', 'nvidia-2x8pin-hotspot-gpuz-2026-bm1.txt');
const PNG = join(import.meta.dirname, '../../../../docs/screenshots/charts.png');

/** Bad input through the real CLI: one worded line on stderr, a non-zero exit, nothing sent. */
describe('gpuz-cloud upload: bad input is refused with one line', () => {
  let cli: CliBundle;
  let dir: string;
  beforeAll(async () => {
    cli = await bundleCli();
  });
  afterAll(() => cli.remove());
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'gpuz-input-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const upload = (file: string, target: string[]) =>
    runCli(cli, ['upload', '--file', file, ...target, '--state-dir', join(dir, 'state'), '--tz', 'UTC']);

  it.each<[string, () => string, RegExp]>([
    [
      'a file that is no sensor log (a PNG)',
      () => PNG,
      /charts\.png is not a sensor log: it starts with ".*PNG.*" — Point the log file setting \(--file\)/,
    ],
    [
      'a program, not a log (/bin/ls)',
      () => '/bin/ls',
      /\/bin\/ls is not a sensor log: it starts with "\?ELF.*" — Point the log file setting \(--file\)/,
    ],
    [
      'a folder',
      () => dir,
      /is a folder, not a log file — Point the log file setting \(--file\) at the log itself/,
    ],
    [
      'a log that is not there',
      () => join(dir, 'GPU-Z Sensor Log.txt'),
      /The log .*GPU-Z Sensor Log\.txt is not there — GPU-Z creates it when it starts logging/,
    ],
  ])('%s: exit 2, one line naming the file and the fix, nothing stored', async (_name, file, message) => {
    // Prepare
    const store = join(dir, 'store');
    // Act
    const result = await upload(file(), ['--local', store]);
    // Assess
    expect({ code: result.code, stderr: result.stderr.trim().split('\n') }).toEqual({
      code: 2,
      stderr: [expect.stringMatching(message)],
    });
    expect((await rawLines(createLocalStore({ root: store }))).objects).toBe(0);
  });

  it('a bucket name S3 would refuse: exit 2 at once, before any request', async () => {
    // Prepare: an endpoint nobody listens on (a request would be retried for many seconds)
    const started = Date.now();
    // Act
    const result = await upload(BM1, ['--bucket', 'My_Bucket!!', '--endpoint', 'http://127.0.0.1:9']);
    // Assess
    expect(result.code).toBe(2);
    expect(result.stderr.trim().split('\n')).toEqual([
      expect.stringMatching(/--bucket "My_Bucket!!" is not a valid S3 bucket name — Bucket names have 3–63/),
    ]);
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it('parse … --format ndjson | head -1 ends quietly with exit 0', async () => {
    // Prepare
    const child = spawnCli(cli, ['parse', BM1, '--format', 'ndjson', '--tz', 'UTC']);
    child.stdout?.once('data', () => child.stdout?.destroy()); // the reader goes away after its first line
    // Act
    const result = await collect(child);
    // Assess
    expect({ code: result.code, stderr: result.stderr }).toEqual({ code: 0, stderr: '' });
  });

  it('watch mode waits for a missing log, says so, then uploads it once it appears', async () => {
    // Prepare
    const log = join(dir, 'logs', 'GPU-Z Sensor Log.txt');
    mkdirSync(join(dir, 'logs'));
    const store = join(dir, 'store');
    const child = spawnCli(cli, [
      'upload',
      '--watch',
      '--interval',
      '1s',
      '--file',
      log,
      '--local',
      store,
      '--state-dir',
      join(dir, 'state'),
      '--tz',
      'UTC',
    ]);
    const done = collect(child);
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    // Act
    await vi.waitFor(
      () =>
        expect(stderr).toMatch(/waiting: The log .* is not there — GPU-Z creates it when it starts logging/),
      {
        timeout: 20_000,
      },
    );
    copyFileSync(BM1, log);
    await vi.waitFor(() => expect(stderr).toMatch(/uploaded raw\//), { timeout: 20_000 });
    child.kill('SIGTERM');
    const result = await done;
    // Assess
    expect(result.code).toBe(0);
    const got = await rawLines(createLocalStore({ root: store }));
    expect(sorted(got.data)).toEqual(sorted(dataLinesOf(readFileSync(BM1))));
  });
});
