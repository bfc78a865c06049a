/**
 * `gpuz-cloud parse <file>`: what the shared parser reads in a log, streamed in constant memory.
 *
 *   gpuz-cloud parse "GPU-Z Sensor Log.txt"
 *     → {"format":"gpuz","encoding":"windows-1252","sessions":1,"rows":356,"skippedLines":0,
 *        "firstTimestamp":"2024-04-20 13:02:09","lastTimestamp":"2024-04-20 13:08:04","columns":[…],"warnings":[]}
 *   gpuz-cloud parse log.txt --format ndjson --tz Europe/Berlin
 *     → {"t":"2024-04-20T11:02:09.000Z","session":0,"values":{"gpu_clock_mhz":2490,…}}  (one line per row)
 * Exit 2 with one line on stderr when the file cannot be read or is not a supported log.
 */
import { createReadStream } from 'node:fs';
import { type Command, Option } from 'commander';
import { AppError, formatErrorLine, toError } from '../../../shared/errors';
import { createLogParser } from '../../../shared/parse';
import type { Column, ParseEvent, RowEvent, WarningEvent } from '../../../shared/parse/types';

export type ParseOutput = 'summary' | 'ndjson';

export interface ParseCommandOptions {
  format: ParseOutput;
  tz?: string;
}

/** Where the command writes; process.stdout/stderr in the CLI, collectors in tests. */
export interface ParseIo {
  write(text: string): Promise<void>;
  error(text: string): void;
}

export interface ParseSummary {
  format: string;
  encoding: string;
  sessions: number;
  rows: number;
  skippedLines: number;
  firstTimestamp: string | null;
  lastTimestamp: string | null;
  columns: Pick<Column, 'name' | 'unit' | 'key'>[];
  warnings: Omit<WarningEvent, 'type'>[];
}

/**
 * Runs the command and returns its exit code (0 ok, 2 unreadable file or unsupported format). A reader that
 * stops early (`parse … --format ndjson | head -1` closes the pipe: EPIPE) ends it quietly with 0.
 */
export async function runParse(file: string, options: ParseCommandOptions, io: ParseIo): Promise<number> {
  try {
    const summary = await parseFile(file, options, io);
    if (options.format === 'summary') await io.write(`${JSON.stringify(summary)}\n`);
    return 0;
  } catch (error) {
    if (isClosedPipe(error)) return 0;
    io.error(`gpuz-cloud parse: ${formatErrorLine(error)}\n`);
    return 2;
  }
}

function isClosedPipe(error: unknown): boolean {
  return (error as NodeJS.ErrnoException | null)?.code === 'EPIPE';
}

async function parseFile(file: string, options: ParseCommandOptions, io: ParseIo): Promise<ParseSummary> {
  const parser = createLogParser(options.tz === undefined ? {} : { timeZone: options.tz });
  const summary: ParseSummary = {
    format: '',
    encoding: '',
    sessions: 0,
    rows: 0,
    skippedLines: 0,
    firstTimestamp: null,
    lastTimestamp: null,
    columns: [],
    warnings: [],
  };
  let keys: string[] = [];
  const handle = async (events: ParseEvent[]) => {
    let lines = '';
    for (const event of events) {
      if (event.type === 'row') {
        summary.rows++;
        summary.firstTimestamp ??= event.local;
        summary.lastTimestamp = event.local;
        if (options.format === 'ndjson') lines += `${JSON.stringify(toNdjson(event, keys))}\n`;
      } else if (event.type === 'session') {
        summary.sessions++;
        summary.columns = event.columns.map(({ name, unit, key }) => ({ name, unit, key }));
        keys = event.columns.map((c) => c.key);
      } else if (event.type === 'skip') summary.skippedLines++;
      else summary.warnings.push({ code: event.code, message: event.message, line: event.line });
    }
    if (lines !== '') await io.write(lines);
  };
  const stream = createReadStream(file, { highWaterMark: 256 * 1024 });
  try {
    for await (const chunk of stream) await handle(parser.push(chunk as Buffer));
  } catch (error) {
    if (error instanceof AppError || isClosedPipe(error)) throw error;
    throw new AppError(
      'FILE_UNREADABLE',
      `Cannot read "${file}": ${toError(error).message}`,
      'Check the path and that this user may read the file.',
      { cause: error },
    );
  } finally {
    stream.destroy();
  }
  await handle(parser.end());
  if (parser.format === undefined) {
    throw new AppError(
      'UNKNOWN_FORMAT',
      `"${file}" is empty`,
      'Point at a GPU-Z sensor log, HWiNFO CSV or nvidia-smi CSV.',
    );
  }
  summary.format = parser.format;
  summary.encoding = parser.encoding ?? 'utf-8';
  return summary;
}

function toNdjson(row: RowEvent, keys: string[]): Record<string, unknown> {
  const values: Record<string, number | null> = {};
  for (let i = 0; i < keys.length; i++) values[keys[i]!] = row.values[i] ?? null;
  const line: Record<string, unknown> = { t: new Date(row.t).toISOString(), session: row.session, values };
  if (row.text !== undefined) line.text = row.text;
  return line;
}

/** The CLI's io: stdout with back-pressure, so ndjson of a huge log does not pile up in memory. */
export function processIo(): ParseIo {
  // Without a listener a closed pipe is an unhandled 'error' event (a stack trace); the write callback reports it.
  process.stdout.on('error', () => undefined);
  return {
    write: (text) =>
      new Promise((resolve, reject) => {
        process.stdout.write(text, (error) => (error ? reject(error) : resolve()));
      }),
    error: (text) => process.stderr.write(text),
  };
}

export function registerParse(program: Command): void {
  program
    .command('parse')
    .description('Parse a GPU-Z sensor log, HWiNFO CSV or nvidia-smi CSV and print a summary or the rows')
    .argument('<file>', 'the log file')
    .addOption(
      new Option('--format <format>', 'summary (one JSON object) or ndjson (one JSON object per row)')
        .choices(['summary', 'ndjson'])
        .default('summary'),
    )
    .option('--tz <zone>', 'IANA time zone the log was written in (default: this system’s)')
    .action(async (file: string, options: ParseCommandOptions) => {
      process.exitCode = await runParse(file, options, processIo());
    });
}
