import type { Settings } from '../../../shared/contract';
import { formatSettingsChange } from './deploy';

const local: Settings = {
  logPath: '/logs/GPU-Z Sensor Log.txt',
  target: { kind: 'local', dir: '/s/store' },
  schedule: { kind: 'budget', monthlyPuts: 2000 },
  compression: 'gzip',
  host: 'gaming-pc',
  timeZone: 'UTC',
};

describe('the settings line after deploy', () => {
  it('names the new target, the stack’s interval when it replaced the schedule, and the old target', () => {
    const current: Settings = {
      ...local,
      target: { kind: 's3', bucket: 'raw', region: 'eu-central-1', profile: 'home' },
      schedule: { kind: 'interval', minutes: 15 },
    };
    expect(formatSettingsChange('/s/settings.json', { previous: local, current, changed: true })).toBe(
      "settings: /s/settings.json now uploads to s3://raw (eu-central-1, profile home) every 15 min (the stack's " +
        'upload_batch_interval), was the local folder /s/store; a running `gpuz-cloud agent` or tray app on this folder switches to it by itself\n',
    );
    expect(formatSettingsChange('/s/settings.json', { previous: current, current, changed: false })).toBe(
      'settings: /s/settings.json already uploads to s3://raw (eu-central-1, profile home)\n',
    );
  });
});
