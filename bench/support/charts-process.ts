/**
 * The Charts benchmark's server in a process of its own, as the product runs it (the headless agent, the tray app's
 * main process): in the bench's own process it would share the event loop with Playwright's client, whose
 * AsyncLocalStorage turns on V8's promise hooks for every promise of the data layer (≈ 10–20 % more CPU for a cold
 * month, measured 2026-12-03). And from a bundle, as the product ships its code (dist/cli, out/main): run through
 * tsx, each module the first request imports was compiled from TypeScript right then, inside the measured draw.
 *
 *   const h = await startChartsProcess({ storeDir, stateDir, host, rendererDir }); h.url; await h.gets() → 720; await h.close()
 */
import { fork } from 'node:child_process';
import { once } from 'node:events';
import { rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { NODE_BUNDLE } from '../../src/test-support/cli-process';

export interface ChartsProcessOptions {
  storeDir: string;
  stateDir: string;
  host: string;
  rendererDir: string;
  /** The month in a bucket of an S3-compatible server (moto) instead of the folder. */
  s3?: { endpoint: string; bucket: string; region: string };
  /** Read every processed object itself, as before day documents (the same run's baseline). */
  objectsOnly?: boolean;
}

export type ChartsMessage = { url: string } | { gets: number };

let bundled: Promise<string> | null = null;

/**
 * charts-server.ts bundled once per bench process (npm packages stay external, as in dist/cli), into node_modules'
 * cache folder so they resolve from there; removed when the bench exits.
 */
function serverBundle(): Promise<string> {
  bundled ??= (async () => {
    const root = new URL('../../', import.meta.url);
    const out = fileURLToPath(
      new URL(`node_modules/.cache/gpuz-bench/charts-server-${process.pid}.mjs`, root),
    );
    await build({
      ...NODE_BUNDLE,
      entryPoints: [fileURLToPath(new URL('./charts-server.ts', import.meta.url))],
      outfile: out,
      logLevel: 'warning',
    });
    process.once('exit', () => rmSync(out, { force: true }));
    return out;
  })();
  return bundled;
}

export async function startChartsProcess(options: ChartsProcessOptions) {
  const child = fork(await serverBundle(), [JSON.stringify(options)], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const exited = once(child, 'exit');
  /** The child's next message carrying `key`; throws when the child ends first (a bench must not hang). */
  const next = async (key: 'url' | 'gets'): Promise<number | string> => {
    for (;;) {
      const message = await Promise.race([
        once(child, 'message').then(([m]) => m as Record<string, unknown>),
        exited.then(([code]) => {
          throw new Error(`the Charts server process ended (exit code ${code}) before it sent its ${key}`);
        }),
      ]);
      if (key in message) return message[key] as number | string;
    }
  };
  const url = String(await next('url'));
  return {
    url,
    /** GETs the server's store answered since it started. */
    async gets(): Promise<number> {
      const answer = next('gets');
      child.send('gets');
      return Number(await answer);
    },
    async close(): Promise<void> {
      child.send('close');
      await exited;
    },
  };
}
