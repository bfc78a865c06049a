import { fileURLToPath } from 'node:url';
import type { Configuration } from 'app-builder-lib';
import { getConfig, validateConfiguration } from 'app-builder-lib/out/util/config/config';

// electron-builder.yml checked offline with electron-builder's own loader and JSON-schema validation (the step
// `electron-builder` runs before it downloads anything); packaging itself needs Electron from the network.
const ROOT = fileURLToPath(new URL('..', import.meta.url));
/** validateConfiguration only reads `isEnabled` and calls `add` when enabled. */
const quietLogger = { isEnabled: false, data: new Map(), add() {}, save: async () => {} };

async function loadConfig(): Promise<Configuration> {
  return getConfig(ROOT, 'electron-builder.yml', null);
}

describe('electron-builder.yml', () => {
  it('passes electron-builder 26 schema validation', async () => {
    const config = await loadConfig();
    await expect(validateConfiguration(config, quietLogger)).resolves.toBeUndefined();
  });

  it('builds the Windows NSIS installer and portable exe for x64 (AppImage on Linux), without publishing', async () => {
    const config = await loadConfig();
    expect(config.appId).toBe('cloud.gpuz.app');
    expect(config.productName).toBe('GPU-Z Cloud');
    expect(config.directories?.output).toBe('release');
    expect(config.publish).toBeNull();
    expect(config.win?.icon).toBe('build/icon.ico');
    expect(config.win?.target).toEqual([
      { target: 'nsis', arch: ['x64'] },
      { target: 'portable', arch: ['x64'] },
    ]);
    expect(config.nsis).toMatchObject({
      oneClick: false,
      perMachine: false,
      allowToChangeInstallationDirectory: true,
    });
    expect(config.linux?.target).toEqual(['AppImage']);
  });

  it('ships the bundles, the Lambda zip, the synthesized stacks and the tray icons where paths.ts looks', async () => {
    const config = await loadConfig();
    expect(config.files).toEqual([{ filter: ['out/**', '!out/**/*.map', 'package.json'] }]);
    expect(config.extraResources).toEqual([
      { from: 'dist/lambda/gpu-processor.zip', to: 'lambda/gpu-processor.zip' },
      { from: 'cdktf.out/stacks', to: 'infra/stacks', filter: ['**/cdk.tf.json'] },
      { from: 'build/tray', to: 'tray', filter: ['*.png'] },
      { from: 'build/icons/256x256.png', to: 'icon.png' },
    ]);
  });

  it('rejects a mistake the way electron-builder would (the validation is real)', async () => {
    const config = await loadConfig();
    const broken = { ...config, nsis: { ...config.nsis, oneClik: false } } as Configuration;
    await expect(validateConfiguration(broken, quietLogger)).rejects.toThrow(
      /Invalid configuration object.*configuration\.nsis/s,
    );
  });

  it('flips the Electron fuses: no run-as-Node, no NODE_OPTIONS or --inspect, only the checked app.asar', async () => {
    const config = await loadConfig();
    expect(config.asar).toBe(true);
    expect(config.electronFuses).toEqual({
      runAsNode: false,
      enableCookieEncryption: true,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
      grantFileProtocolExtraPrivileges: false,
      loadBrowserProcessSpecificV8Snapshot: false,
    });
  });
});
