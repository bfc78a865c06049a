/**
 * `gpuz-cloud export`: the sensor history as Parquet (or NDJSON) files that DuckDB, Spark and Athena read.
 *
 *   gpuz-cloud export --local D:\gpuz-store --out D:\gpuz-parquet
 *   gpuz-cloud export --bucket gpuz-processed --region eu-central-1 --out ./history --from 2026-01-01 --host gaming-pc
 *   → progress bar on a terminal, then "exported 172800 rows on 2 days (7.7 MB) to ./history; …"
 *   ./history/host=gaming-pc/date=2026-01-01/gaming-pc-2026-01-01.parquet …   (docs/analytics.md)
 * Resumable and incremental: the folder's .gpuz-export.json remembers what is written; a rerun rewrites only
 * days whose processed batches changed.
 */
import { SingleBar } from 'cli-progress';
import { type Command, Option } from 'commander';
import { formatBytes } from '../../../shared/byte-format';
import { AppError, formatErrorLine } from '../../../shared/errors';
import { hostFromName, hostsText, quotedHosts } from '../../../shared/host-name';
import { plural } from '../../../shared/plural';
import { type ExportFormat, type ExportReport, exportToFolder } from '../../core/export';
import { processedSourceFor } from '../../core/forward';
import { parseDate } from '../option-parsers';
import { nextStopSignal } from '../stop-signals';

export interface ExportCommandOptions {
  bucket?: string;
  endpoint?: string;
  region?: string;
  profile?: string;
  local?: string;
  out: string;
  format: ExportFormat;
  from?: string;
  to?: string;
  host?: string[];
}

export interface ExportIo {
  out: { write(text: string): unknown };
  err: NodeJS.WritableStream & { isTTY?: boolean };
}

export function registerExport(program: Command): void {
  program
    .command('export')
    .description(
      'Write the sensor rows (S3 bucket or local store) as Parquet or NDJSON files, one per host and day, for DuckDB, Spark or Athena',
    )
    .option('--bucket <bucket>', 'processed bucket to read')
    .option('--endpoint <url>', 'S3-compatible endpoint (MinIO, moto)')
    .option('--region <region>', 'AWS region of the bucket')
    .option('--profile <profile>', 'AWS credentials profile')
    .option('--local <dir>', 'local store folder to read instead of a bucket')
    .requiredOption('--out <dir>', 'folder to write host=…/date=…/ files into')
    .addOption(
      new Option('--format <format>', 'file format').choices(['parquet', 'ndjson']).default('parquet'),
    )
    .option('--from <YYYY-MM-DD>', 'first date to export (as the log clock shows it)', parseDate)
    .option('--to <YYYY-MM-DD>', 'last date to export (inclusive)', parseDate)
    .option('--host <host>', 'only this host (repeat for more)', collect)
    .action(async (options: ExportCommandOptions) => {
      // Ctrl+C (or a service manager's SIGTERM) stops it between documents: the days written stay, the spill
      // folder goes. (Before, it died at once and left its spill folder in the temp folder.)
      const stop = new AbortController();
      void nextStopSignal().then((signal) => stop.abort(new ExportStopped(signal)));
      process.exitCode = await runExport(options, undefined, stop.signal);
    });
}

/** Runs the command; exit code 0 done, 2 bad arguments, 1 storage failure or an unreadable object, 130 stopped. */
export async function runExport(
  options: ExportCommandOptions,
  io: ExportIo = { out: process.stdout, err: process.stderr },
  stop?: AbortSignal,
): Promise<number> {
  let bar: SingleBar | undefined;
  try {
    if (options.from && options.to && options.from > options.to) {
      throw usage(`--from ${options.from} is after --to ${options.to}.`);
    }
    const source = processedSourceFor(options, usage);
    if (io.err.isTTY) {
      bar = new SingleBar({
        format: 'export [{bar}] {value}/{total} batches | {rows} rows | {days} days written',
        stream: io.err,
      });
    }
    let report: ExportReport;
    try {
      report = await exportToFolder({
        ...(stop ? { signal: stop } : {}),
        source,
        sourceId: `${source.description}${options.endpoint ? ` at ${options.endpoint}` : ''}`,
        outDir: options.out,
        format: options.format,
        from: options.from,
        to: options.to,
        // A PC's name as typed (игровой-пк, Gaming-PC) is the host it uploads as (shared/host-name.ts).
        hosts: options.host?.map(hostFromName),
        onProgress: ({ total, done, rows, days }) => {
          if (bar && done === 0) bar.start(total, 0, { rows: 0, days: 0 });
          bar?.update(done, { rows, days });
        },
      });
    } finally {
      bar?.stop();
    }
    io.out.write(
      `exported ${plural(report.rows, 'row')} on ${plural(report.days, 'day')} (${formatBytes(report.bytes)}) ` +
        `to ${options.out}; ${plural(report.daysUpToDate, 'day')} up to date; ` +
        `read ${plural(report.objectsRead, 'batch', 'batches')}, skipped ${report.objectsSkipped} unchanged\n`,
    );
    for (const problem of report.problems) io.err.write(`gpuz-cloud export: skipped ${problem}\n`);
    for (const note of exportNotes(report, options)) io.err.write(`gpuz-cloud export: ${note}\n`);
    return report.unreadable > 0 ? 1 : 0;
  } catch (error) {
    if (error instanceof ExportStopped) {
      io.err.write(
        `gpuz-cloud export: stopped by ${error.signal}; the days written are kept — run the same command again to write the rest\n`,
      );
      return 130;
    }
    io.err.write(`gpuz-cloud export: ${formatErrorLine(error)}\n`);
    return error instanceof AppError && error.code === 'EXPORT_USAGE' ? 2 : 1;
  }
}

/**
 * What a run that wrote less than asked says beside its counts (it said only "exported 0 rows"):
 *   a --host the store lacks (with others that it has; when it has none of them the run stops: noSuchHosts),
 *   a --from/--to range without rows, and an empty store.
 */
export function exportNotes(
  report: Pick<ExportReport, 'missingHosts' | 'stored' | 'days' | 'daysUpToDate'>,
  options: Pick<ExportCommandOptions, 'from' | 'to'>,
): string[] {
  const notes: string[] = [];
  const { stored } = report;
  if (report.missingHosts.length > 0 && stored) {
    notes.push(
      `no host ${quotedHosts(report.missingHosts, 'or')} in the store; the others are exported. It holds ${hostsText(stored.hosts)}.`,
    );
  }
  if (!stored) notes.push('the store holds no processed rows yet');
  else if (report.days + report.daysUpToDate === 0 && (options.from || options.to)) {
    const range = [options.from && `--from ${options.from}`, options.to && `--to ${options.to}`].filter(
      Boolean,
    );
    notes.push(
      `no rows in ${range.join(' ')}: the store's batches begin on ${stored.first} … ${stored.last} (the log's clock)`,
    );
  }
  return notes;
}

class ExportStopped extends Error {
  constructor(readonly signal: NodeJS.Signals) {
    super(`stopped by ${signal}`);
  }
}

function usage(message: string): AppError {
  return new AppError('EXPORT_USAGE', message, 'Run gpuz-cloud export --help for the options.');
}

function collect(value: string, previous: string[] = []): string[] {
  return [
    ...previous,
    ...value
      .split(',')
      .map((h) => h.trim())
      .filter(Boolean),
  ];
}
