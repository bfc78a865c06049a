/**
 * Vitest globalSetup of every project: the run's temp folders go under one folder of its own, removed when the run
 * ends. Tests make theirs with `mkdtemp(join(tmpdir(), 'gpuz-…'))` and not all of them remove it (a failed
 * assertion skips the cleanup; some keep a folder for the file's life): 778 folders of ≈ 23 runs were left in /tmp
 * on the dev machine by 2026-12-05. The workers start after this setup and take TMPDIR (TEMP, TMP on Windows) from it.
 *
 *   tmpdir() in a test → /tmp/gpuz-tests-Ab12Cd      (gone after the run, whatever the tests did)
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const NAMES = ['TMPDIR', 'TEMP', 'TMP'] as const;

export default function setup(): () => void {
  const before = Object.fromEntries(NAMES.map((name) => [name, process.env[name]]));
  const root = mkdtempSync(join(tmpdir(), 'gpuz-tests-'));
  for (const name of NAMES) process.env[name] = root;
  return () => {
    for (const name of NAMES) {
      if (before[name] === undefined) delete process.env[name];
      else process.env[name] = before[name];
    }
    rmSync(root, { recursive: true, force: true, maxRetries: 3 });
  };
}
