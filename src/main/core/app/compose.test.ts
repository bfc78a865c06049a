import { firstRunLogPath, type Host, stateDirOf } from './compose';

const windows: Host = { env: { USERPROFILE: 'C:\\Users\\ann' }, platform: 'win32', home: 'C:\\Users\\ann' };

describe('composition root: the places every mode shares', () => {
  it.each<[string, Parameters<typeof firstRunLogPath>[0], string]>([
    [
      'the first log found',
      [
        { path: 'C:\\Users\\ann\\Documents\\GPU-Z Sensor Log.txt', exists: false, reason: 'default' },
        { path: 'D:\\OneDrive\\Documents\\GPU-Z Sensor Log.txt', exists: true, reason: 'OneDrive' },
      ],
      'D:\\OneDrive\\Documents\\GPU-Z Sensor Log.txt',
    ],
    [
      'none found: GPU-Z’s default place, the first candidate',
      [{ path: 'C:\\Users\\ann\\Documents\\GPU-Z Sensor Log.txt', exists: false, reason: 'default' }],
      'C:\\Users\\ann\\Documents\\GPU-Z Sensor Log.txt',
    ],
    ['no candidates at all: Documents of the profile', [], 'C:\\Users\\ann\\Documents\\GPU-Z Sensor Log.txt'],
  ])('first-run log path: %s', (_name, candidates, expected) => {
    expect(firstRunLogPath(candidates, windows)).toBe(expected);
  });

  it('the state folder is --state-dir when given, else the shared default', () => {
    const linux: Host = { env: {}, platform: 'linux', home: '/home/ann' };
    expect(stateDirOf(linux)).toBe('/home/ann/.local/state/gpuz-cloud');
    expect(stateDirOf(linux, '/tmp/s')).toBe('/tmp/s');
    expect(stateDirOf({ ...linux, env: { GPUZ_STATE_DIR: '/srv/gpuz' } })).toBe('/srv/gpuz');
  });
});
