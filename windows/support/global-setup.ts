/**
 * Vitest globalSetup of the `windows` project: one Wine prefix for the whole run (making one takes ~6–10 s), shared
 * by the test files, which run one after another; destroyed at the end with its wineserver.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { windowsSkipReason } from './requirements.mjs';
import { createWinePrefix, TIMINGS, WINDOWS_USER } from './wine';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The folder createWinePrefix() made for this run, or why the suite cannot run here. */
    wine: { root: string } | { skip: string };
  }
}

export default async function setup(project: TestProject) {
  const skip = windowsSkipReason();
  if (skip) {
    process.stdout.write(`windows: skipped — ${skip}\n`);
    project.provide('wine', { skip });
    return;
  }
  const t0 = performance.now();
  const wine = await createWinePrefix();
  process.stdout.write(
    `windows: Wine prefix (Windows ${wine.info.release}, user ${WINDOWS_USER}) ready in ${((performance.now() - t0) / 1000).toFixed(1)} s; node.exe ${wine.info.version}; %APPDATA% ${wine.info.appData}\n`,
  );
  project.provide('wine', { root: wine.root });
  return async () => {
    process.stdout.write(runFigures(join(wine.root, TIMINGS)));
    await wine.destroy();
  };
}

/** `node-runs.jsonl` → 'windows: 31 node.exe runs; parse: 17, median 2.1 s, max 3.0 s; …; stops: 10 terminate, 4 ctrl-c' */
function runFigures(file: string): string {
  if (!existsSync(file)) return '';
  const runs = readFileSync(file, 'utf8')
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as { name: string; ms: number; stoppedBy: string });
  const group = (key: (run: (typeof runs)[number]) => string) => {
    const map = new Map<string, typeof runs>();
    for (const run of runs) map.set(key(run), [...(map.get(key(run)) ?? []), run]);
    return map;
  };
  const parts = [...group((run) => run.name)].map(([name, list]) => {
    const ms = list.map((run) => run.ms).sort((a, b) => a - b);
    const s = (n: number) => `${(n / 1000).toFixed(1)} s`;
    return `${name}: ${list.length}, median ${s(ms[Math.floor(ms.length / 2)]!)}, max ${s(ms.at(-1)!)}`;
  });
  const stops = group((run) => run.stoppedBy);
  return `windows: ${runs.length} node.exe runs (wall time incl. Wine start); ${parts.join('; ')}; stopped by Ctrl+C ${stops.get('ctrl-c')?.length ?? 0}, by TerminateProcess ${stops.get('terminate')?.length ?? 0}\n`;
}
