import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

// `electron-vite build` as npm run build runs it, into a temp folder: it must work without an Electron binary
// (and not fetch one), keep electron out of the main bundle, and give a preload a sandbox can load.
const ROOT = fileURLToPath(new URL('..', import.meta.url));
const ELECTRON_DIST = join(ROOT, 'node_modules', 'electron', 'dist');

describe('electron-vite build', () => {
  const out = mkdtempSync(join(tmpdir(), 'gpuz-electron-build-'));
  afterAll(() => rmSync(out, { recursive: true, force: true }));

  it('writes main, preload and renderer bundles without an Electron binary', () => {
    const hadBinary = existsSync(ELECTRON_DIST);
    const run = spawnSync(
      process.execPath,
      [
        join(ROOT, 'node_modules', 'electron-vite', 'bin', 'electron-vite.js'),
        'build',
        '--outDir',
        out,
        '--logLevel',
        'warn',
      ],
      { cwd: ROOT, encoding: 'utf8', timeout: 120_000 },
    );
    // Vite only warns that a folder outside the project is not emptied first (it is new and empty anyway).
    expect(run.stderr).not.toMatch(/error/i);
    expect(run.status).toBe(0);
    expect(readdirSync(out).sort()).toEqual(['main', 'preload', 'renderer']);
    expect(existsSync(ELECTRON_DIST)).toBe(hadBinary);
  });

  it('main: ESM that imports electron instead of bundling it', () => {
    const main = readFileSync(join(out, 'main', 'index.js'), 'utf8');
    expect(main).toMatch(/^import \* as electron from "electron";$/m);
    expect(main).not.toContain('ELECTRON_OVERRIDE_DIST_PATH'); // electron's index.js (the binary lookup)
    expect(main).toContain('app://gpuz/index.html');
  });

  it('preload: CommonJS whose only require is electron (all a sandboxed preload may load)', () => {
    const preload = readFileSync(join(out, 'preload', 'index.cjs'), 'utf8');
    expect([...preload.matchAll(/require\(["']([^"']+)["']\)/g)].map((m) => m[1])).toEqual(['electron']);
    expect(preload).not.toMatch(/^import /m);
    expect(preload).toContain('exposeInMainWorld("gpuz"');
    expect(preload).toContain('gpuz:call:');
  });

  it('renderer: index.html with relative asset URLs (served from app://gpuz/)', () => {
    const html = readFileSync(join(out, 'renderer', 'index.html'), 'utf8');
    expect(html).toMatch(/<script type="module" crossorigin src="\.\/assets\/index-[\w-]+\.js"><\/script>/);
  });
});
