import { join } from 'node:path';
import { resolveAppPaths } from './paths';

describe('app paths', () => {
  it('installed: renderer and preload inside app.asar, icons and bundles in resources, state where the CLI keeps it', () => {
    const resources = join('/opt', 'GPU-Z Cloud', 'resources');
    const paths = resolveAppPaths({
      isPackaged: true,
      appPath: join(resources, 'app.asar'),
      resourcesPath: resources,
      env: {},
      platform: 'linux',
      home: '/home/me',
    });
    expect(paths).toEqual({
      stateDir: '/home/me/.local/state/gpuz-cloud',
      rendererDir: join(resources, 'app.asar', 'out', 'renderer'),
      preloadPath: join(resources, 'app.asar', 'out', 'preload', 'index.cjs'),
      trayIconDir: join(resources, 'tray'),
      windowIconPath: join(resources, 'icon.png'),
      lambdaZipPath: join(resources, 'lambda', 'gpu-processor.zip'),
      infraStacksDir: join(resources, 'infra', 'stacks'),
    });
  });

  it('from sources: build/, dist/ and cdktf.out/ of the repo; GPUZ_STATE_DIR wins', () => {
    const paths = resolveAppPaths({
      isPackaged: false,
      appPath: '/repo',
      resourcesPath: '/repo/node_modules/electron/dist/resources',
      env: { GPUZ_STATE_DIR: '/tmp/e2e-state' },
      platform: 'linux',
      home: '/home/me',
    });
    expect(paths.stateDir).toBe('/tmp/e2e-state');
    expect(paths.trayIconDir).toBe(join('/repo', 'build', 'tray'));
    expect(paths.windowIconPath).toBe(join('/repo', 'build', 'icon.png'));
    expect(paths.lambdaZipPath).toBe(join('/repo', 'dist', 'lambda', 'gpu-processor.zip'));
    expect(paths.infraStacksDir).toBe(join('/repo', 'cdktf.out', 'stacks'));
  });

  it('on Windows the state folder is %APPDATA%\\GPU-Z Cloud, Electron’s userData and `gpuz-cloud agent`’s default', () => {
    const paths = resolveAppPaths({
      isPackaged: true,
      appPath: 'C:\\Program Files\\GPU-Z Cloud\\resources\\app.asar',
      resourcesPath: 'C:\\Program Files\\GPU-Z Cloud\\resources',
      env: { APPDATA: 'C:\\Users\\me\\AppData\\Roaming' },
      platform: 'win32',
      home: 'C:\\Users\\me',
    });
    expect(paths.stateDir).toBe('C:\\Users\\me\\AppData\\Roaming\\GPU-Z Cloud');
  });
});
