/**
 * Where the processing thread's bundle is (process-worker.ts built on its own), told once by the program that
 * knows its layout: the CLI's entry (dist/cli/process-worker.mjs next to dist/cli/index.mjs) and the tray app's
 * main (out/main/process-worker.js). Unset, or the file missing (sources run by tsx or vitest), the local
 * processing runs in the calling thread: the same bytes, one core.
 *
 *   setProcessWorkerEntry(new URL('./process-worker.mjs', import.meta.url))
 *   processWorkerEntry() → URL of an existing file, or null
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

let entry: URL | null = null;

export function setProcessWorkerEntry(url: URL | null): void {
  entry = url;
}

export function processWorkerEntry(): URL | null {
  return entry && existsSync(fileURLToPath(entry)) ? entry : null;
}
