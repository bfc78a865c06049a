/**
 * `gpuz-cloud status`: the upload agent's persisted counters, checkpoint and spool.
 *
 *   gpuz-cloud status --state-dir D:\gpuz-state
 *     → "Uploaded 12 batches (886 KB raw, 40 KB sent) · 12 PUT this month · spool: 0 batches …"
 *   gpuz-cloud status --json → { counters, checkpoint, spool: { batches, bytes }, problems: [] }
 * A damaged state file is reported (with `gpuz-cloud repair` as the fix), never a stack trace.
 */
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Command } from 'commander';
import type { AgentCounters } from '../../../shared/agent-status';
import { formatErrorLine } from '../../../shared/errors';
import { hostOfProcess, stateDirOf } from '../../core/app/compose';
import { type CheckpointData, loadCheckpoint } from '../../core/checkpoint';
import { readStateJson } from '../../core/state-file';
import { countersProblem, emptyCounters } from '../../core/stats';

export interface StatusReport {
  stateDir: string;
  counters: AgentCounters;
  checkpoint: { fileId: string | null; offset: number; updatedAt: string; note: string | null } | null;
  spool: { batches: number; bytes: number };
  /** Damaged state files, each as one line with its fix. */
  problems: string[];
}

export async function readStatus(stateDir: string): Promise<StatusReport> {
  const problems: string[] = [];
  let saved: Partial<AgentCounters> = {};
  const statsPath = join(stateDir, 'stats.json');
  try {
    const data = (await readStateJson(statsPath)) ?? {};
    const problem = countersProblem(data);
    if (problem)
      problems.push(`${statsPath} is damaged: ${problem} — the agent sets it aside and counts from zero`);
    else saved = data as Partial<AgentCounters>;
  } catch (error) {
    problems.push(
      `${formatErrorLine(error).replace(/ — .*$/, '')} — the agent sets it aside and counts from zero`,
    );
  }
  const counters = { ...emptyCounters(''), ...saved };
  let checkpoint: CheckpointData | null = null;
  try {
    checkpoint = await loadCheckpoint(join(stateDir, 'checkpoint.json'));
  } catch (error) {
    problems.push(formatErrorLine(error));
  }
  const spoolDir = join(stateDir, 'spool');
  const names = await readdir(spoolDir).catch(() => [] as string[]);
  let bytes = 0;
  for (const name of names.filter((n) => /\.csv(\.gz)?$/.test(n)))
    bytes += (await stat(join(spoolDir, name))).size;
  return {
    stateDir,
    counters,
    checkpoint: checkpoint && {
      fileId: checkpoint.identity?.fileId ?? null,
      offset: checkpoint.offset,
      updatedAt: checkpoint.updatedAt,
      note: checkpoint.note,
    },
    spool: { batches: names.filter((n) => n.endsWith('.json')).length, bytes },
    problems,
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
    checkpointLine(report.checkpoint),
    ...(report.checkpoint?.note ? [`Last resume: ${report.checkpoint.note}`] : []),
    ...report.problems.map((p) => `Problem: ${p}`),
  ].join('\n')}\n`;
}

function checkpointLine(checkpoint: StatusReport['checkpoint']): string {
  if (!checkpoint)
    return 'Checkpoint: none (the agent asks the store what it holds of the log before reading it)';
  const when = checkpoint.updatedAt ? ` (${checkpoint.updatedAt})` : '';
  return `Checkpoint: ${checkpoint.fileId ?? 'none'} at byte ${checkpoint.offset}${when}`;
}

export function registerStatus(program: Command): void {
  program
    .command('status')
    .description('Print the upload agent’s counters, checkpoint and spool')
    .option('--state-dir <dir>', 'the agent’s state folder (default: the app-data folder)')
    .option('--json', 'print JSON', false)
    .action(async (options: { stateDir?: string; json: boolean }) => {
      const report = await readStatus(stateDirOf(hostOfProcess(), options.stateDir));
      process.stdout.write(options.json ? `${JSON.stringify(report)}\n` : formatStatus(report));
    });
}
