import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SAMPLES_DIR } from '../../../test-support/services';
import { collectIo } from '../../core/agent/agent.test-support';
import { decodeProcessed } from '../../core/data/decode-processed';
import { createLocalStore } from '../../core/store/local';
import { runUpload, settingsFromOptions, type UploadOptions } from './upload';

const ADA = join(SAMPLES_DIR, 'gpuz', 'nvidia-ada-pwrsrc-gpuz-2024.txt');

describe('gpuz-cloud upload', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'gpuz-upload-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const options = (extra: Partial<UploadOptions> = {}): UploadOptions => ({
    file: ADA,
    local: join(dir, 'store'),
    watch: false,
    compress: true,
    estimate: false,
    host: 'pc',
    tz: 'UTC',
    stateDir: join(dir, 'state'),
    ...extra,
  });

  it('--local processes what it stores, as the app does: the dashboard has the rows (issue 14, item 3)', async () => {
    // Act
    const code = await runUpload(options(), collectIo());
    // Assess: one raw batch and its processed document with every row of the sample
    const store = createLocalStore({ root: join(dir, 'store') });
    const processed = await store.list('processed/pc/');
    expect(code).toBe(0);
    expect(processed).toHaveLength(1);
    const decoded = decodeProcessed((await store.get(processed[0]!.key))!.body, processed[0]!.key);
    expect(decoded.rows.t).toHaveLength(356);
  });

  it('--watch with a damaged checkpoint says so and exits 2, its lock released (it exited 0 without a word)', async () => {
    // Arrange: a checkpoint cut short, as a full disk or an editor leaves it
    mkdirSync(join(dir, 'state'));
    writeFileSync(join(dir, 'state', 'checkpoint.json'), '{"version":1,"garb');
    const io = collectIo();
    // Act: no stop signal is ever sent
    const code = await runUpload(options({ watch: true, interval: 30_000 }), io);
    // Assess
    expect(code).toBe(2);
    expect(io.text()).toMatch(/checkpoint\.json is damaged: it is not JSON .*gpuz-cloud repair/);
    expect(existsSync(join(dir, 'state', 'agent.lock'))).toBe(false);
    expect(readFileSync(join(dir, 'state', 'checkpoint.json'), 'utf8')).toBe('{"version":1,"garb');
  });

  it('its flags become the settings the app would save (one agent configuration for every mode)', () => {
    expect(settingsFromOptions(options({ interval: 30_000, compress: false }))).toEqual({
      logPath: ADA,
      target: { kind: 'local', dir: join(dir, 'store') },
      schedule: { kind: 'interval', minutes: 0.5 },
      compression: 'none',
      host: 'pc',
      timeZone: 'UTC',
    });
    expect(settingsFromOptions(options({ local: undefined, bucket: 'raw-b', budget: 2000 }))).toMatchObject({
      target: { kind: 's3', bucket: 'raw-b' },
      schedule: { kind: 'budget', monthlyPuts: 2000 },
    });
  });
});
