import { spawnSync } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { methodNames } from '../src/shared/contract';

// `electron-vite build` as npm run build runs it, into a temp folder: it must work without an Electron binary
// (and not fetch one), keep electron out of the main bundle, and give a preload a sandbox can load. Then the
// built main bundle runs under Node with a fake `electron` module (scripts/electron-smoke/): the real wiring,
// settings, agent and local store, driven the way the dashboard page and the tray drive them.
const ROOT = fileURLToPath(new URL('..', import.meta.url));
const ELECTRON_DIST = join(ROOT, 'node_modules', 'electron', 'dist');
const SAMPLES = fileURLToPath(new URL('../../shared/samples/gpuz/', import.meta.url));

describe('electron-vite build', () => {
  // Inside the repository, so the bundle's bare imports (@aws-sdk/…) resolve from node_modules.
  mkdirSync(join(ROOT, 'node_modules', '.cache'), { recursive: true });
  const out = mkdtempSync(join(ROOT, 'node_modules', '.cache', 'gpuz-electron-build-'));
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

  it('main bundle under Node with a fake electron: reads the GPU-Z log, answers the page over guarded IPC, uploads on Quit', () => {
    const home = mkdtempSync(join(tmpdir(), 'gpuz-smoke-home-'));
    const state = mkdtempSync(join(tmpdir(), 'gpuz-smoke-state-'));
    // The app folder the fake electron names: this build's bundles as its out/ (the page is served from
    // out/renderer), the repository's build/ for the tray icons. Not the repository itself: its out/ may be
    // missing or from another build (the test failed when out/renderer had been deleted, and passed on a stale one).
    const app = mkdtempSync(join(tmpdir(), 'gpuz-smoke-app-'));
    symlinkSync(out, join(app, 'out'), 'dir');
    symlinkSync(join(ROOT, 'build'), join(app, 'build'), 'dir');
    try {
      mkdirSync(join(home, 'Documents'));
      copyFileSync(
        join(SAMPLES, 'nvidia-2x8pin-hotspot-gpuz-2026-bm1.txt'),
        join(home, 'Documents', 'GPU-Z Sensor Log.txt'),
      );
      const run = spawnSync(
        process.execPath,
        ['--import', join(ROOT, 'scripts', 'electron-smoke', 'register.mjs'), join(out, 'main', 'index.js')],
        {
          cwd: ROOT,
          encoding: 'utf8',
          timeout: 60_000,
          env: {
            ...withoutProfile(process.env),
            HOME: home,
            GPUZ_STATE_DIR: state,
            GPUZ_SMOKE_APP_PATH: app,
          },
        },
      );
      expect(run.stderr).toBe('');
      expect(run.status).toBe(0);
      const findings = Object.fromEntries(
        run.stdout
          .split('\n')
          .filter((line) => line.startsWith('GPUZ_SMOKE '))
          .map((line) => JSON.parse(line.slice('GPUZ_SMOKE '.length)))
          .map((finding) => [finding.event, finding]),
      );
      expect(findings.load).toMatchObject({
        url: 'app://gpuz/index.html',
        webPreferences: { sandbox: true, contextIsolation: true, nodeIntegration: false },
      });
      // The sample has 1,182 data rows; the agent found it where GPU-Z writes it (Documents).
      expect(findings.status).toMatchObject({ state: 'watching', rowsRead: 1182 });
      expect(findings.settings.reply).toMatchObject({
        ok: true,
        value: { target: { kind: 'local', dir: join(state, 'store') } },
      });
      expect(findings.foreign.reply).toMatchObject({ ok: false, error: { code: 'UNTRUSTED_SENDER' } });
      // The built main checks contract inputs on IPC as the headless API does: no internal text crosses.
      expect(findings.badInput.reply).toEqual({
        ok: false,
        error: {
          code: 'BAD_INPUT',
          message: 'queryChart: from: required; to: required; keys: expected Array.',
          advice: 'The request does not match what the app expects; reload the page or update the app.',
        },
      });
      expect(findings.page).toMatchObject({ status: 200, html: true });
      expect(findings.page.csp).toContain("script-src 'self'");
      expect(findings.tray).toMatchObject({
        image: join(app, 'build', 'tray', 'watching.png'),
        tooltip: 'GPU-Z Cloud: watching the log\nNo upload yet\nToday 0 rows',
        menu: [
          'Open dashboard',
          // The Costs view's answer for these settings (a local store: nothing on an AWS bill).
          'Costs: nothing in AWS (uploads to a local folder)',
          'Pause uploads',
          'Upload now',
          'Open log folder',
          'Start at login',
          'Quit GPU-Z Cloud',
        ],
        // One IPC channel per contract method.
        channels: methodNames.length,
      });
      expect(findings.exit).toEqual({ event: 'exit' });
      // Quit sealed the batch and uploaded it to the local store, where it was processed in-process.
      const stored = (dir: string) => readdirSync(join(state, 'store', dir), { recursive: true }).map(String);
      expect(stored('raw').filter((f) => f.endsWith('.csv.gz'))).toHaveLength(1);
      expect(stored('processed').filter((f) => f.endsWith('.json.gz'))).toHaveLength(1);
    } finally {
      rmSync(home, { recursive: true, force: true });
      rmSync(state, { recursive: true, force: true });
      rmSync(app, { recursive: true, force: true });
    }
  });
});

/** The environment without USERPROFILE: its presence makes log detection look in a Windows profile. */
function withoutProfile(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const { USERPROFILE: _profile, ...rest } = env;
  return rest;
}
