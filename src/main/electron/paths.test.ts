import { join } from 'node:path';
import { resolveAppPaths } from './paths';

describe('app paths', () => {
  it('installed: renderer and preload inside app.asar, icons and bundles in resources, state in userData', () => {
    const resources = join('/opt', 'GPU-Z Cloud', 'resources');
    const paths = resolveAppPaths({
      isPackaged: true,
      appPath: join(resources, 'app.asar'),
      resourcesPath: resources,
      userData: '/home/me/.config/GPU-Z Cloud',
      env: {},
    });
    expect(paths).toEqual({
      stateDir: '/home/me/.config/GPU-Z Cloud',
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
      userData: '/home/me/.config/GPU-Z Cloud',
      env: { GPUZ_STATE_DIR: '/tmp/e2e-state' },
    });
    expect(paths.stateDir).toBe('/tmp/e2e-state');
    expect(paths.trayIconDir).toBe(join('/repo', 'build', 'tray'));
    expect(paths.windowIconPath).toBe(join('/repo', 'build', 'icon.png'));
    expect(paths.lambdaZipPath).toBe(join('/repo', 'dist', 'lambda', 'gpu-processor.zip'));
    expect(paths.infraStacksDir).toBe(join('/repo', 'cdktf.out', 'stacks'));
  });
});
