/**
 * The layer table as data, and the check `npm run lint` runs over it (`tsx scripts/layers.ts`):
 *
 *   shared ─┬─> core ─┬─> electron (tray app)      renderer and preload use shared only;
 *           │         ├─> headless (dashboard)     infra and lambda sit beside core, using shared;
 *           │         └─> cli ─> headless
 *           ├─> infra, lambda
 *           └─> renderer, preload
 *   (tests, e2e, scripts and bench may import any layer; the circle check still covers them)
 *   checkLayers(ROOT) → [] when every import goes down the table and no module imports itself in a circle;
 *   else one line per problem: 'src/shared/x.ts imports src/main/core/y.ts: shared may import shared only'.
 * Type-only imports count: a type from a higher layer ties the layers together just the same.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

export interface Layer {
  name: string;
  /** Path prefixes (relative to the repository, '/'-separated) that belong to this layer. */
  paths: string[];
  /** The layers this one may import from (itself always). */
  uses: string[];
  /** Why, for the message a violation prints. */
  why: string;
}

export const LAYERS: Layer[] = [
  {
    name: 'shared',
    paths: ['src/shared/'],
    uses: [],
    why: 'shared code runs everywhere (page, main, Lambda): move what it needs into src/shared/',
  },
  {
    name: 'core',
    paths: ['src/main/core/'],
    uses: ['shared'],
    why: 'core runs in plain Node for every front end: pass what it needs in as an argument',
  },
  {
    name: 'electron',
    paths: ['src/main/electron/', 'src/main/index.ts'],
    uses: ['core', 'shared'],
    why: 'the tray app is a front end over core',
  },
  {
    name: 'headless',
    paths: ['src/main/headless/'],
    uses: ['core', 'shared'],
    why: 'the headless dashboard is a front end over core',
  },
  {
    name: 'cli',
    paths: ['src/main/cli/'],
    uses: ['headless', 'core', 'shared'],
    why: 'the CLI is a front end over core (its `agent` command starts the headless dashboard)',
  },
  {
    name: 'preload',
    paths: ['src/preload/'],
    uses: ['shared'],
    why: 'the preload only bridges the contract (src/shared) into the page',
  },
  {
    name: 'renderer',
    paths: ['src/renderer/'],
    uses: ['shared'],
    why: 'the page talks to main only through the contract (src/shared/contract.ts)',
  },
  {
    name: 'infra',
    paths: ['infra/'],
    uses: ['shared'],
    why: 'the stack shares names and policies via src/shared/stack/',
  },
  {
    name: 'lambda',
    paths: ['lambda/'],
    uses: ['shared'],
    why: 'the Lambda shares parsing and processing via src/shared/',
  },
];

/** Folders whose files are checked (tests inside them included: they follow their folder's layer). */
const ROOTS = ['src', 'lambda', 'infra'];
/** Test helpers that may reach into any layer they support. */
const FREE = ['src/test-support/'];
/** Tests and their helpers may import any layer (an integration test drives the CLI, deploys the stack …). */
const TEST = /(\.test\.ts|\.test-support\.ts)$|\/testing\//;
const EXTENSIONS = ['.ts', '.mts', '.tsx'];

export function layerOf(file: string): Layer | null {
  return LAYERS.find((layer) => layer.paths.some((p) => file === p || file.startsWith(p))) ?? null;
}

/** The repository-relative files a module imports (relative specifiers only; packages are Biome's rule). */
export function importsOf(root: string, file: string): string[] {
  const text = readFileSync(join(root, file), 'utf8');
  const info = ts.preProcessFile(text, true, true);
  const found: string[] = [];
  for (const { fileName } of info.importedFiles) {
    if (!fileName.startsWith('.')) continue;
    const target = resolveModule(join(root, dirname(file)), fileName);
    if (target) found.push(toRepoPath(root, target));
  }
  return found;
}

function resolveModule(from: string, specifier: string): string | null {
  const base = resolve(from, specifier.replace(/\.(m?js)$/, ''));
  for (const candidate of [
    base,
    ...EXTENSIONS.map((e) => base + e),
    ...EXTENSIONS.map((e) => join(base, `index${e}`)),
  ]) {
    if (existsSync(candidate) && statSync(candidate).isFile()) return candidate;
  }
  return null;
}

function toRepoPath(root: string, file: string): string {
  return relative(root, file).split(sep).join('/');
}

function listFiles(root: string): string[] {
  const files: string[] = [];
  for (const top of ROOTS) {
    if (!existsSync(join(root, top))) continue;
    for (const entry of readdirSync(join(root, top), { recursive: true, encoding: 'utf8' })) {
      const path = `${top}/${entry.split(sep).join('/')}`;
      if (
        EXTENSIONS.some((e) => path.endsWith(e)) &&
        !path.endsWith('.d.ts') &&
        !path.includes('/fixtures/')
      ) {
        files.push(path);
      }
    }
  }
  return files.sort();
}

/** Every import that goes up or sideways in the table, and every import circle (Tarjan's SCCs). */
export function checkLayers(root: string): string[] {
  const problems: string[] = [];
  const graph = new Map<string, string[]>();
  for (const file of listFiles(root)) {
    const targets = importsOf(root, file);
    graph.set(file, targets);
    const from = layerOf(file);
    if (!from || FREE.some((p) => file.startsWith(p)) || TEST.test(file)) continue;
    for (const target of targets) {
      if (FREE.some((p) => target.startsWith(p))) continue;
      const to = layerOf(target);
      if (to === from || (to && from.uses.includes(to.name))) continue;
      const allowed = [from.name, ...from.uses].join(', ');
      problems.push(
        `${file} imports ${target}: ${from.name} may import ${allowed} only (${to ? to.name : 'no layer'}); ${from.why}.`,
      );
    }
  }
  for (const circle of circles(graph)) {
    problems.push(`import circle: ${[...circle, circle[0]].join(' → ')}`);
  }
  return problems;
}

function circles(graph: Map<string, string[]>): string[][] {
  let index = 0;
  const indices = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const visit = (node: string): void => {
    indices.set(node, index);
    low.set(node, index);
    index += 1;
    stack.push(node);
    onStack.add(node);
    for (const next of graph.get(node) ?? []) {
      if (!indices.has(next)) {
        visit(next);
        low.set(node, Math.min(low.get(node)!, low.get(next)!));
      } else if (onStack.has(next)) {
        low.set(node, Math.min(low.get(node)!, indices.get(next)!));
      }
    }
    if (low.get(node) === indices.get(node)) {
      const component: string[] = [];
      let member: string;
      do {
        member = stack.pop()!;
        onStack.delete(member);
        component.push(member);
      } while (member !== node);
      if (component.length > 1 || (graph.get(node) ?? []).includes(node)) found.push(component.reverse());
    }
  };
  for (const node of graph.keys()) if (!indices.has(node)) visit(node);
  return found;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const root = process.argv[2] ?? fileURLToPath(new URL('..', import.meta.url));
  const problems = checkLayers(root);
  for (const problem of problems) console.error(problem);
  if (problems.length > 0) {
    console.error(
      `\n${problems.length} layer problem(s); the table is in scripts/layers.ts (docs/architecture.md).`,
    );
    process.exit(1);
  }
  console.log(`layers: ${LAYERS.length} layers, no upward import, no import circle.`);
}
