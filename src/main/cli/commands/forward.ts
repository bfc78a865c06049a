/**
 * `gpuz-cloud forward`: the old design's "download from S3 and feed Kafka" path, resumable.
 *
 *   gpuz-cloud forward --bucket gpuz-processed --region eu-central-1 --brokers localhost:9092 --topic gpu
 *   gpuz-cloud forward --local D:\gpuz-store --brokers localhost:9092 --topic gpu --since 2024-04-20
 *   → progress bar on a terminal, then "forwarded 4312 rows from 12 objects (30 already sent)"
 * The checkpoint lives in <state-dir>/forward/<hash of source, brokers, topic>.json: a rerun sends nothing
 * twice, and forwarding the same data to another topic starts fresh.
 */
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { SingleBar } from 'cli-progress';
import type { Command } from 'commander';
import { AppError, formatErrorLine } from '../../../shared/errors';
import { createKafkaProducer } from '../../../shared/process/kafka-producer';
import { hostOfProcess, stateDirOf } from '../../core/app/host';
import {
  type ForwardReport,
  forwardProcessed,
  loadCheckpoint,
  type ProcessedSource,
  processedSourceFor,
} from '../../core/forward';
import { parseDate, parsePositive } from '../option-parsers';

export interface ForwardCommandOptions {
  bucket?: string;
  endpoint?: string;
  region?: string;
  profile?: string;
  local?: string;
  brokers: string;
  topic: string;
  since?: string;
  clientId: string;
  timeout: number;
  /** Default: the agent's state folder (core/app/compose.ts stateDirOf). */
  stateDir?: string;
}

export interface ForwardIo {
  out: { write(text: string): unknown };
  err: NodeJS.WritableStream & { isTTY?: boolean };
}

export function registerForward(program: Command): void {
  program
    .command('forward')
    .description(
      'Send the processed rows (S3 bucket or local store) to Kafka, one message per row, resumable',
    )
    .option('--bucket <bucket>', 'processed bucket to read')
    .option('--endpoint <url>', 'S3-compatible endpoint (MinIO, moto)')
    .option('--region <region>', 'AWS region of the bucket')
    .option('--profile <profile>', 'AWS credentials profile')
    .option('--local <dir>', 'local store folder to read instead of a bucket')
    .requiredOption('--brokers <host:port,…>', 'Kafka bootstrap brokers')
    .requiredOption('--topic <topic>', 'Kafka topic')
    .option('--since <YYYY-MM-DD>', 'only batches whose first sample is on or after this date', parseDate)
    .option('--client-id <id>', 'Kafka client id', 'gpuz-cloud-forward')
    .option('--timeout <ms>', 'give up on an unresponsive broker after this long', parsePositive, 5000)
    .option('--state-dir <dir>', 'where the checkpoint lives (default: the agent state folder)')
    .action(async (options: ForwardCommandOptions) => {
      process.exitCode = await runForward(options);
      await exitWhenWritten();
    });
}

/**
 * Ends the process once what it printed is written. kafkajs keeps a socket and timers for a request to a broker that
 * stopped answering, and they held a finished `forward` open until the broker came back: it said "did not
 * acknowledge within 5000 ms" after 6 s and exited after 41 s in a 40 s freeze (a broker gone for good: until TCP
 * gave up).
 */
async function exitWhenWritten(): Promise<never> {
  const written = (stream: NodeJS.WriteStream) =>
    new Promise<void>((resolve) => stream.write('', () => resolve()));
  await Promise.all([written(process.stdout), written(process.stderr)]);
  process.exit();
}

/** Runs the command; exit code 0 done, 2 bad arguments, 1 Kafka or storage failure or an unreadable object (rerun resumes). */
export async function runForward(
  options: ForwardCommandOptions,
  io: ForwardIo = { out: process.stdout, err: process.stderr },
): Promise<number> {
  let bar: SingleBar | undefined;
  try {
    const source = processedSourceFor(options, usage);
    const stateDir = stateDirOf(hostOfProcess(), options.stateDir);
    const checkpoint = await loadCheckpoint(checkpointPath(options, source, stateDir));
    const producer = createKafkaProducer({
      brokers: options.brokers.split(',').map((b) => b.trim()),
      topic: options.topic,
      clientId: options.clientId,
      ssl: false,
      sasl: null,
      timeoutMs: options.timeout,
      batchSize: 500,
    });
    if (io.err.isTTY) {
      bar = new SingleBar({
        format: 'forward [{bar}] {value}/{total} objects | {rows} rows sent',
        stream: io.err,
      });
    }
    let report: ForwardReport;
    try {
      report = await forwardProcessed({
        source,
        producer,
        checkpoint,
        since: options.since,
        timeoutMs: options.timeout,
        onProgress: ({ total, done, rowsSent }) => {
          if (bar && done === 0) bar.start(total, 0, { rows: 0 });
          bar?.update(done, { rows: rowsSent });
        },
      });
    } finally {
      bar?.stop();
      await producer.disconnect().catch(() => {});
    }
    io.out.write(
      `forwarded ${report.rowsSent} rows from ${report.objects} objects of ${source.description} ` +
        `(${report.skipped} objects, ${report.rowsAlreadySent} rows already sent` +
        `${report.rowsRepeated > 0 ? `; ${report.rowsRepeated} rows left out: an earlier object carried their host and time` : ''})\n`,
    );
    for (const problem of report.problems) io.err.write(`gpuz-cloud forward: skipped ${problem}\n`);
    return report.unreadable > 0 ? 1 : 0;
  } catch (error) {
    io.err.write(`gpuz-cloud forward: ${formatErrorLine(error)}\n`);
    return error instanceof AppError && error.code === 'FORWARD_USAGE' ? 2 : 1;
  }
}

function checkpointPath(options: ForwardCommandOptions, source: ProcessedSource, stateDir: string): string {
  const identity = `${source.description}|${options.endpoint ?? ''}|${options.brokers}|${options.topic}`;
  const hash = createHash('sha256').update(identity).digest('hex').slice(0, 16);
  return join(stateDir, 'forward', `${hash}.json`);
}

function usage(message: string): AppError {
  return new AppError('FORWARD_USAGE', message, 'Run gpuz-cloud forward --help for the options.');
}
