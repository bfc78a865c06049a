/**
 * `gpuz-cloud status`: the upload agent's persisted counters, checkpoint and spool.
 *
 *   gpuz-cloud status --state-dir D:\gpuz-state
 *     → "Uploaded 12 batches (886 KB raw, 40 KB sent) · 12 PUT this month · spool: 0 batches …"
 *   gpuz-cloud status --json → { counters, checkpoint, spool: { batches, bytes } }
 */
import { readdir, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import type { AgentCounters } from '../../../shared/agent-status';
import { readJsonFile } from '../../core/atomic-file';
import { loadCheckpoint } from '../../core/checkpoint';
import { emptyCounters } from '../../core/stats';
import { defaultStateDir } from './agent';

export interface StatusReport {
  stateDir: string;
  counters: AgentCounters;
  checkpoint: { fileId: string | null; offset: number; updatedAt: string };
  spool: { batches: number; bytes: number };
}

export async function readStatus(stateDir: string): Promise<StatusReport> {
  const counters = {
    ...emptyCounters(''),
    ...(await readJsonFile<Partial<AgentCounters>>(join(stateDir, 'stats.json'), {})),
  };
  const checkpoint = await loadCheckpoint(join(stateDir, 'checkpoint.json'));
  const spoolDir = join(stateDir, 'spool');
  const names = await readdir(spoolDir).catch(() => [] as string[]);
  let bytes = 0;
  for (const name of names.filter((n) => /\.csv(\.gz)?$/.test(n)))
    bytes += (await stat(join(spoolDir, name))).size;
  return {
    stateDir,
    counters,
    checkpoint: {
      fileId: checkpoint.identity?.fileId ?? null,
      offset: checkpoint.offset,
      updatedAt: checkpoint.updatedAt,
    },
    spool: { batches: names.filter((n) => n.endsWith('.json')).length, bytes },
  };
}

export function formatStatus(report: StatusReport): string {
  const c = report.counters;
  const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;
  return `${[
    `State folder: ${report.stateDir}`,
    `Read: ${kb(c.bytesRead)}, ${c.rowsRead} rows`,
    `Uploaded: ${c.batchesUploaded} batches, ${kb(c.rawBytesUploaded)} raw, ${kb(c.compressedBytesUploaded)} sent`,
    `Failed uploads: ${c.batchesFailed}; dropped at the spool cap: ${c.batchesDropped}; processing failures: ${c.processingFailures ?? 0}`,
    `Requests: ${c.requests.put} PUT, ${c.requests.get} GET, ${c.requests.list} LIST (this month ${c.requestsThisMonth.month || '—'}: ${c.requestsThisMonth.put} PUT)`,
    `Spool: ${report.spool.batches} batches waiting, ${kb(report.spool.bytes)}`,
    `Checkpoint: ${report.checkpoint.fileId ?? 'none'} at byte ${report.checkpoint.offset}${report.checkpoint.updatedAt ? ` (${report.checkpoint.updatedAt})` : ''}`,
  ].join('\n')}\n`;
}

export function registerStatus(program: Command): void {
  program
    .command('status')
    .description('Print the upload agent’s counters, checkpoint and spool')
    .option('--state-dir <dir>', 'the agent’s state folder (default: the app-data folder)')
    .option('--json', 'print JSON', false)
    .action(async (options: { stateDir?: string; json: boolean }) => {
      const report = await readStatus(resolve(options.stateDir ?? defaultStateDir()));
      process.stdout.write(options.json ? `${JSON.stringify(report)}\n` : formatStatus(report));
    });
}
