/**
 * The Charts benchmark's server in a process of its own, as the product runs it (the headless agent, the tray app's
 * main process): in the bench's own process it would share the event loop with Playwright's client, whose
 * AsyncLocalStorage turns on V8's promise hooks for every promise of the data layer (≈ 10–20 % more CPU for a cold
 * month, measured 2026-12-03).
 *
 *   const h = await startChartsProcess({ storeDir, stateDir, host, rendererDir }); h.url; await h.gets() → 720; await h.close()
 */
import { fork } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';

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

export async function startChartsProcess(options: ChartsProcessOptions) {
  const child = fork(
    fileURLToPath(new URL('./charts-server.ts', import.meta.url)),
    [JSON.stringify(options)],
    {
      execArgv: ['--import', 'tsx'],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    },
  );
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
