import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, rmdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

// The Biome rule in biome.json that keeps Electron out of core code, proven on deliberate violations.
// Probe files are real files (Biome applies path overrides only to files on disk), named uniquely and
// removed in `finally`; their content type-checks so a parallel `tsc` never trips on them.
const ROOT = fileURLToPath(new URL('..', import.meta.url));
const BIOME = join(ROOT, 'node_modules', '.bin', 'biome');

/** Writes `source` to `<dir>/lint-probe-<uuid>.ts`, lints it alone, removes it. `→ { status, output }`. */
function lintProbe(dir: string, source: string): { status: number | null; output: string } {
  const folder = join(ROOT, dir);
  const created = !existsSync(folder);
  const file = join(folder, `lint-probe-${randomUUID()}.ts`);
  try {
    mkdirSync(folder, { recursive: true });
    writeFileSync(file, source);
    const r = spawnSync(BIOME, ['lint', '--colors=off', file], { cwd: ROOT, encoding: 'utf8' });
    return { status: r.status, output: `${r.stdout}${r.stderr}` };
  } finally {
    rmSync(file, { force: true });
    if (created) removeIfEmpty(folder);
  }
}

function removeIfEmpty(folder: string): void {
  try {
    rmdirSync(folder);
    if (dirname(folder) !== ROOT) removeIfEmpty(dirname(folder));
  } catch {
    // Not empty: someone else's files live there now.
  }
}

const USES_APP = "import { app } from 'electron';\n\nexport const appName = (): string => app.getName();\n";
const USES_SUBPATH =
  "import { ipcMain } from 'electron/main';\n\nexport const channelCount = (): number => ipcMain.listenerCount('x');\n";

describe('lint rule: no electron import in core code', () => {
  it.each(['src/main/core', 'src/shared', 'lambda'])(
    'rejects `import … from "electron"` under %s/',
    (dir) => {
      const { status, output } = lintProbe(dir, USES_APP);
      expect(status).toBe(1);
      expect(output).toContain('lint/style/noRestrictedImports');
      expect(output).toContain('Core code runs in plain Node');
      expect(output).toContain('Found 1 error');
    },
  );

  it('rejects an `electron/*` subpath under src/shared/', () => {
    const { status, output } = lintProbe('src/shared', USES_SUBPATH);
    expect(status).toBe(1);
    expect(output).toContain('Core code must not depend on Electron.');
  });

  it('allows the same import in the Electron adapters under src/main/electron/', () => {
    const { status, output } = lintProbe('src/main/electron', USES_APP);
    expect(output).not.toContain('noRestrictedImports');
    expect(status).toBe(0);
  });
});
