import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkLayers, LAYERS, layerOf } from './layers';

// The layer rule `npm run lint` runs, proven on deliberate violations in a scratch tree (never in the real
// one, so a parallel typecheck or lint never sees them) and on the repository itself.
const ROOT = fileURLToPath(new URL('..', import.meta.url));

function scratchTree(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'gpuz-layers-'));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(root, dirname(path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}

describe('layer rule', () => {
  const roots: string[] = [];
  afterAll(() => {
    for (const root of roots) rmSync(root, { recursive: true, force: true });
  });
  const tree = (files: Record<string, string>) => {
    const root = scratchTree(files);
    roots.push(root);
    return root;
  };

  it('the repository itself has no upward import and no import circle', () => {
    expect(checkLayers(ROOT)).toEqual([]);
  });

  it('every layer a layer uses exists, and no path belongs to two layers', () => {
    const names = LAYERS.map((l) => l.name);
    for (const layer of LAYERS) for (const used of layer.uses) expect(names).toContain(used);
    const paths = LAYERS.flatMap((l) => l.paths);
    expect(new Set(paths).size).toBe(paths.length);
    expect(layerOf('src/main/index.ts')?.name).toBe('electron');
    expect(layerOf('src/main/core/app/compose.ts')?.name).toBe('core');
  });

  it('fails on a deliberate upward import (shared → core), type-only imports included', () => {
    const root = tree({
      'src/main/core/agent-state.ts': 'export type AgentState = "idle";\n',
      'src/shared/contract.ts':
        "import type { AgentState } from '../main/core/agent-state';\nexport type S = AgentState;\n",
    });
    expect(checkLayers(root)).toEqual([
      'src/shared/contract.ts imports src/main/core/agent-state.ts: shared may import shared only (core); shared code runs everywhere (page, main, Lambda): move what it needs into src/shared/.',
    ]);
  });

  it('fails on sideways imports: core → infra, electron → headless, renderer → core, lambda → core', () => {
    const root = tree({
      'infra/policies.ts': 'export const p = 1;\n',
      'src/main/core/doctor/check.ts':
        "import { p } from '../../../../infra/policies';\nexport const c = p;\n",
      'src/main/headless/static.ts': 'export const s = 1;\n',
      'src/main/electron/protocol.ts': "import { s } from '../headless/static';\nexport const e = s;\n",
      'src/renderer/view.ts': "import { c } from '../main/core/doctor/check';\nexport const v = c;\n",
      'lambda/handler.ts': "import { c } from '../src/main/core/doctor/check';\nexport const h = c;\n",
    });
    const problems = checkLayers(root).map((line) => line.split(':')[0]);
    expect(problems).toEqual([
      'lambda/handler.ts imports src/main/core/doctor/check.ts',
      'src/main/core/doctor/check.ts imports infra/policies.ts',
      'src/main/electron/protocol.ts imports src/main/headless/static.ts',
      'src/renderer/view.ts imports src/main/core/doctor/check.ts',
    ]);
  });

  it('fails on an import circle inside one layer, and lets tests import any layer', () => {
    const root = tree({
      'src/main/cli/program.ts':
        "import { run } from './commands/upload';\nexport const appVersion = '1';\nexport const p = run;\n",
      'src/main/cli/commands/upload.ts':
        "import { appVersion } from '../program';\nexport const run = appVersion;\n",
      'src/main/core/agent/agent.test.ts':
        "import { run } from '../../cli/commands/upload';\nexport const t = run;\n",
    });
    expect(checkLayers(root)).toEqual([
      'import circle: src/main/cli/commands/upload.ts → src/main/cli/program.ts → src/main/cli/commands/upload.ts',
    ]);
  });

  it('the lint step exits 1 with the problem on stderr', () => {
    const root = tree({
      'src/main/core/a.ts': 'export const a = 1;\n',
      'src/shared/b.ts': "export { a } from '../main/core/a';\n",
    });
    const run = spawnSync(
      join(ROOT, 'node_modules', '.bin', 'tsx'),
      [join(ROOT, 'scripts', 'layers.ts'), root],
      {
        encoding: 'utf8',
      },
    );
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('src/shared/b.ts imports src/main/core/a.ts: shared may import shared only');
  });
});
