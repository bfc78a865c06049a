import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Settings } from '../../../shared/contract';
import { createSettingsStore, defaultSettings, SETTINGS_FILE } from '../settings';
import type { StackOutputs } from './outputs';
import { describeTarget, pointSettingsAtStack, pointSettingsAwayFrom } from './settings-target';

const outputs: StackOutputs = {
  rawBucket: 'gpuz-cloud-dev-raw-123456789012',
  processedBucket: 'gpuz-cloud-dev-processed-123456789012',
  functionName: 'gpuz-cloud-dev-processor',
  region: 'eu-central-1',
  logGroup: '/aws/lambda/gpuz-cloud-dev-processor',
  uploadBatchInterval: undefined,
};

describe('agent settings follow the deployed stack', () => {
  let dir: string;
  let defaults: Settings;
  const saved = async () => JSON.parse(await readFile(join(dir, SETTINGS_FILE), 'utf8')) as Settings;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'gpuz-settings-target-'));
    defaults = { ...defaultSettings(dir, '/logs/GPU-Z Sensor Log.txt'), host: 'gaming-pc', timeZone: 'UTC' };
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('writes the first settings file with the deployed target, keeping the defaults for the rest', async () => {
    const store = createSettingsStore({ stateDir: dir, defaults });
    const change = await pointSettingsAtStack({ store, outputs, access: { profile: 'home' } });
    expect(change.changed).toBe(true);
    expect(change.previous.target).toEqual({ kind: 'local', dir: join(dir, 'store') });
    expect(await saved()).toEqual({
      ...defaults,
      target: {
        kind: 's3',
        bucket: 'gpuz-cloud-dev-raw-123456789012',
        region: 'eu-central-1',
        profile: 'home',
        processedBucket: 'gpuz-cloud-dev-processed-123456789012',
      },
    });
  });

  it('leaves the file alone when it already points at the stack', async () => {
    const store = createSettingsStore({ stateDir: dir, defaults });
    await pointSettingsAtStack({ store, outputs });
    const before = await stat(join(dir, SETTINGS_FILE));
    const again = await pointSettingsAtStack({ store, outputs });
    expect(again.changed).toBe(false);
    expect((await stat(join(dir, SETTINGS_FILE))).mtimeMs).toBe(before.mtimeMs);
  });

  it('after a destroy, moves back to the local folder only when the saved target used a destroyed bucket', async () => {
    const store = createSettingsStore({ stateDir: dir, defaults });
    await pointSettingsAtStack({ store, outputs });
    const buckets = [outputs.rawBucket, outputs.processedBucket];
    const other = await pointSettingsAwayFrom({
      store,
      buckets: ['someone-elses'],
      fallback: defaults.target,
    });
    expect(other.changed).toBe(false);
    const back = await pointSettingsAwayFrom({ store, buckets, fallback: defaults.target });
    expect(back.changed).toBe(true);
    expect(back.previous.target).toMatchObject({ kind: 's3', bucket: outputs.rawBucket });
    expect(await saved()).toEqual(defaults);
  });

  it('says why it refuses a file it cannot read, and does not overwrite it', async () => {
    await writeFile(join(dir, SETTINGS_FILE), '{ not json');
    const store = createSettingsStore({ stateDir: dir, defaults });
    await expect(pointSettingsAtStack({ store, outputs })).rejects.toMatchObject({
      code: 'SETTINGS_UNREADABLE',
    });
    expect(await readFile(join(dir, SETTINGS_FILE), 'utf8')).toBe('{ not json');
  });

  it('describes a target in one phrase', () => {
    expect(describeTarget({ kind: 'local', dir: '/state/store' })).toBe('the local folder /state/store');
    expect(describeTarget({ kind: 's3', bucket: 'b', region: 'eu-central-1', profile: 'home' })).toBe(
      's3://b (eu-central-1, profile home)',
    );
    expect(
      describeTarget({ kind: 's3', bucket: 'b', region: 'us-east-1', endpoint: 'http://127.0.0.1:5000' }),
    ).toBe('s3://b (us-east-1, endpoint http://127.0.0.1:5000)');
  });
});
