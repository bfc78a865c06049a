import { defaultStateDir } from './state-dir';

describe('default state folder', () => {
  it('is Electron’s userData folder on Windows: %APPDATA%\\GPU-Z Cloud', () => {
    expect(defaultStateDir({ APPDATA: 'C:\\Users\\ann\\AppData\\Roaming' }, 'win32', 'C:\\Users\\ann')).toBe(
      'C:\\Users\\ann\\AppData\\Roaming\\GPU-Z Cloud',
    );
    expect(defaultStateDir({ APPDATA: '' }, 'win32', 'C:\\Users\\ann')).toBe(
      'C:\\Users\\ann\\AppData\\Roaming\\GPU-Z Cloud',
    );
  });

  it('is Electron’s userData folder on macOS', () => {
    expect(defaultStateDir({}, 'darwin', '/Users/ann')).toBe(
      '/Users/ann/Library/Application Support/GPU-Z Cloud',
    );
  });

  it('is the XDG state folder on Linux', () => {
    expect(defaultStateDir({}, 'linux', '/home/ann')).toBe('/home/ann/.local/state/gpuz-cloud');
    expect(defaultStateDir({ XDG_STATE_HOME: '/var/ann' }, 'linux', '/home/ann')).toBe('/var/ann/gpuz-cloud');
  });

  it('is GPUZ_STATE_DIR when set, on every platform', () => {
    for (const platform of ['win32', 'darwin', 'linux'] as const)
      expect(defaultStateDir({ GPUZ_STATE_DIR: '/tmp/s', APPDATA: 'C:\\x' }, platform, '/home/ann')).toBe(
        '/tmp/s',
      );
  });
});
