/**
 * `gpuz-cloud status`: the upload agent's counters, checkpoint and spool — the running agent's live figures when
 * one holds the state folder (from the agent-status.json it keeps current, core/agent/status-file.ts), else what
 * the last agent saved.
 *
 *   gpuz-cloud status --state-dir D:\gpuz-state
 *     → "Agent: running (process 4242), watching the log — figures as of 12:01:05 …\nRead: 356 rows (183 KB) …"
 *   gpuz-cloud status --json → { running: { pid, state, writtenAt } | null, counters, checkpoint, spool, problems }
 * A damaged state file is reported (with `gpuz-cloud repair` as the fix), never a stack trace.
 */
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Command } from 'commander';
import { stateView } from '../../../shared/agent-state-view';
import type { AgentCounters, AgentStatus } from '../../../shared/agent-status';
import { emptyCounters } from '../../../shared/agent-status';
import { formatBytes } from '../../../shared/byte-format';
import { formatErrorLine } from '../../../shared/errors';
import { formatCount, plural } from '../../../shared/plural';
import { readStatusFile } from '../../core/agent/status-file';
import { hostOfProcess, stateDirOf } from '../../core/app/host';
import { type CheckpointData, loadCheckpoint, storeName } from '../../core/checkpoint';
import { readStateJson } from '../../core/state-file';
import { lockHolder } from '../../core/state-lock';
import { countersProblem, splitStats } from '../../core/stats';

export interface StatusReport {
  stateDir: string;
  /** The agent holding the state folder now, with its live status; null when none runs. */
  running: { pid: number; writtenAt: string; status: AgentStatus } | null;
  counters: AgentCounters;
  checkpoint: {
    fileId: string | null;
    offset: number;
    updatedAt: string;
    note: string | null;
    /** The store its offset is about (storeIdOf); absent in checkpoints from before 2026-12-04. */
    store?: string;
  } | null;
  spool: { batches: number; bytes: number };
  /** Copies of logs GPU-Z replaced while the store could not be asked (log-copies.ts), sent once it answers. */
  logCopies: { logs: number; bytes: number };
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
    else {
      // The minutes GPU-Z logged (stats.json keeps them apart) go with the counters, as the agent's status has them
      const split = splitStats(data);
      saved = split.logging ? { ...split.counters, logging: split.logging } : split.counters;
    }
  } catch (error) {
    problems.push(
      `${formatErrorLine(error).replace(/ — .*$/, '')} — the agent sets it aside and counts from zero`,
    );
  }
  const holder = await lockHolder(stateDir);
  const live = holder === null ? null : await readStatusFile(join(stateDir, 'agent-status.json'));
  const running = live && live.pid === holder ? live : null;
  const counters = running ? running.status.counters : { ...emptyCounters(''), ...saved };
  let checkpoint: CheckpointData | null = null;
  try {
    checkpoint = await loadCheckpoint(join(stateDir, 'checkpoint.json'));
  } catch (error) {
    problems.push(formatErrorLine(error));
  }
  const spoolDir = join(stateDir, 'spool');
  const names = await namesIn(spoolDir);
  const bytes = await bytesOf(
    spoolDir,
    names.filter((n) => /\.csv(\.gz)?$/.test(n)),
  );
  const copiesDir = join(stateDir, 'log-copies');
  const copies = (await namesIn(copiesDir)).filter((n) => n.endsWith('.log'));
  return {
    stateDir,
    running,
    counters,
    checkpoint: checkpoint && {
      fileId: checkpoint.identity?.fileId ?? null,
      offset: checkpoint.offset,
      updatedAt: checkpoint.updatedAt,
      note: checkpoint.note,
      ...(checkpoint.store ? { store: checkpoint.store } : {}),
    },
    spool: running
      ? { batches: running.status.spool.batches, bytes: running.status.spool.bytes }
      : { batches: names.filter((n) => n.endsWith('.json')).length, bytes },
    logCopies: { logs: copies.length, bytes: await bytesOf(copiesDir, copies) },
    problems,
  };
}

/** The names in a folder of the state folder (none when it does not exist). */
function namesIn(dir: string): Promise<string[]> {
  return readdir(dir).catch(() => [] as string[]);
}

async function bytesOf(dir: string, names: string[]): Promise<number> {
  let bytes = 0;
  for (const name of names) bytes += (await stat(join(dir, name))).size;
  return bytes;
}

export function formatStatus(report: StatusReport, now = new Date()): string {
  const c = report.counters;
  return `${[
    `State folder: ${report.stateDir}`,
    agentLine(report.running, now),
    `Read: ${plural(c.rowsRead, 'row', 'rows', formatCount)} (${formatBytes(c.bytesRead)})`,
    `Uploaded: ${plural(c.batchesUploaded, 'batch', 'batches', formatCount)}${c.rowsUploaded ? `, ${plural(c.rowsUploaded, 'row', 'rows', formatCount)}` : ''} (${formatBytes(c.rawBytesUploaded)} raw, ${formatBytes(c.compressedBytesUploaded)} sent)`,
    `Failed uploads: ${c.batchesFailed}; dropped at the spool cap: ${c.batchesDropped}; processing failures: ${c.processingFailures ?? 0}`,
    `Requests: ${c.requests.put} PUT, ${c.requests.get} GET, ${c.requests.list} LIST (this month ${c.requestsThisMonth.month || '—'}: ${c.requestsThisMonth.put} PUT)`,
    `Spool: ${plural(report.spool.batches, 'batch', 'batches', formatCount)} waiting (${formatBytes(report.spool.bytes)})`,
    ...(report.logCopies.logs > 0
      ? [
          `Log copies: ${plural(report.logCopies.logs, 'log', 'logs')} (${formatBytes(report.logCopies.bytes)}) — GPU-Z replaced them while the store could not be asked; sent once it answers`,
        ]
      : []),
    checkpointLine(report.checkpoint),
    ...(report.checkpoint?.note ? [`Last resume: ${report.checkpoint.note}`] : []),
    ...report.problems.map((p) => `Problem: ${p}`),
  ].join('\n')}\n`;
}

function agentLine(running: StatusReport['running'], now: Date): string {
  if (!running) return 'Agent: not running (the figures are what the last agent saved)';
  const view = stateView(running.status);
  const problem = view.problem ? `\n  ${view.problem.message} — ${view.problem.advice}` : '';
  const usedUp = running.status.budgetUsedUpUntil
    ? `\n  This month's PUT budget is used up: the next upload waits until ${running.status.budgetUsedUpUntil} (a larger budget in settings.json, or \`upload --budget\`, uploads sooner)`
    : '';
  const at = new Date(running.writtenAt);
  const age = Math.max(0, Math.round((now.getTime() - at.getTime()) / 1000));
  const time = at.toLocaleTimeString('en-GB', { hour12: false });
  return `Agent: running (process ${running.pid}), ${view.sentence} — live figures as of ${time} (${age} s ago)${problem}${usedUp}`;
}

function checkpointLine(checkpoint: StatusReport['checkpoint']): string {
  if (!checkpoint)
    return 'Checkpoint: none (the agent asks the store what it holds of the log before reading it)';
  const when = checkpoint.updatedAt ? ` (${checkpoint.updatedAt})` : '';
  const of = checkpoint.store ? ` of ${storeName(checkpoint.store)}` : '';
  return `Checkpoint: ${checkpoint.fileId ?? 'none'} at byte ${checkpoint.offset}${of}${when}`;
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
