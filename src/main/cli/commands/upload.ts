/**
 * `gpuz-cloud upload`: the old upload script's flags on the new agent.
 *
 *   gpuz-cloud upload --file "GPU-Z Sensor Log.txt" --bucket my-gpuz-raw --region eu-central-1
 *     → uploads every complete line not uploaded yet, prints a summary, exit 0
 *   gpuz-cloud upload --file log.txt --local D:\gpuz-store --watch --interval 45m
 *     → tails until Ctrl+C / SIGTERM / Ctrl+Break / the console closes, then seals and sends what is complete
 *   gpuz-cloud upload --file log.txt --bucket my-gpuz-raw --watch --budget 2000
 *     → the interval spreads 2,000 PUT-class requests a month over what is left of it (counted, not guessed)
 * Exit 2 with one worded line when the store refuses for good (credentials, access, bucket);
 * exit 1 when the store could not be reached (the batches wait in the spool for the next run).
 */
import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import cliProgress from 'cli-progress';
import { type Command, InvalidArgumentError, Option } from 'commander';
import { bucketNameProblem } from '../../../shared/bucket-name';
import type { Settings, TargetSettings } from '../../../shared/contract';
import { DEFAULT_REGIME } from '../../../shared/cost/answer';
import { formatDuration, parseInterval as parseIntervalText } from '../../../shared/cost/duration';
import { AppError, formatErrorLine, toError } from '../../../shared/errors';
import { hostFromName } from '../../../shared/host-name';
import { systemTimeZone } from '../../../shared/parse';
import { formatCount, plural } from '../../../shared/plural';
import type { Agent, AgentStatus } from '../../core/agent/types';
import { logPlaces } from '../../core/app/detect-log';
import { hostOfProcess, stateDirOf } from '../../core/app/host';
import { uploadHostOf } from '../../core/app/host-check';
import { openRuntime, type Runtime } from '../../core/app/runtime';
import { appVersion } from '../../core/app-version';
import type { LeftRawResult } from '../../core/pipeline';
import { DEFAULT_INTERVAL_MINUTES, formerPcHost, thisPcHost } from '../../core/settings';
import { STOPPING_CODES } from '../../core/store';
import { createStatusSayer, errorLine } from '../status-lines';
import { nextStopSignal } from '../stop-signals';

export interface UploadOptions {
  file: string;
  bucket?: string;
  endpoint?: string;
  region?: string;
  profile?: string;
  local?: string | undefined;
  watch: boolean;
  interval?: number;
  /** Monthly PUT-class budget: the interval follows it instead of --interval. */
  budget?: number;
  compress: boolean;
  host?: string;
  stateDir?: string;
  estimate: boolean;
  tz?: string;
}

export interface UploadIo {
  out(text: string): void;
  err(text: string): void;
  isTTY: boolean;
  /** Resolves when the user asks to stop (Ctrl+C, Ctrl+Break, SIGTERM, console closed); watch mode only. */
  stopSignal(): Promise<string>;
}

/** `--interval 45` is minutes (the old script); `30s`, `5m`, `1h` carry their unit. */
export function parseInterval(text: string): number {
  try {
    return parseIntervalText(text);
  } catch (error) {
    throw new InvalidArgumentError(toError(error).message);
  }
}

/**
 * The flags as the settings the app would save, so `upload` runs the same runtime as the app and `gpuz-cloud
 * agent` (core/app/runtime.ts): the same agent configuration, and for --local the same in-process processing.
 *   settingsFromOptions({ file: 'log.txt', local: 'D:/store', watch: true, interval: 45 * 60_000, … })
 *     → { logPath: '/abs/log.txt', target: { kind: 'local', dir: 'D:/store' }, schedule: { kind: 'interval', minutes: 45 }, … }
 */
export function settingsFromOptions(options: UploadOptions): Settings {
  return {
    logPath: resolve(options.file),
    target: targetFromOptions(options),
    schedule: options.budget
      ? { kind: 'budget', monthlyPuts: options.budget }
      : { kind: 'interval', minutes: (options.interval ?? DEFAULT_INTERVAL_MINUTES * 60_000) / 60_000 },
    compression: options.compress ? 'gzip' : 'none',
    host: options.host === undefined ? thisPcHost() : hostFromName(options.host),
    timeZone: options.tz ?? systemTimeZone(),
  };
}

export function targetFromOptions(
  options: Pick<UploadOptions, 'bucket' | 'endpoint' | 'region' | 'profile' | 'local'>,
): TargetSettings {
  if (options.local && options.bucket) {
    throw new AppError(
      'BAD_TARGET',
      'Both --bucket and --local were given',
      'Pick one target: an S3 bucket or a local folder.',
    );
  }
  if (options.local) return { kind: 'local', dir: resolve(options.local) };
  if (!options.bucket) {
    throw new AppError(
      'BAD_TARGET',
      'No target: --bucket <name> or --local <dir> is needed',
      'Use --local <dir> to keep the batches on this PC without an AWS account.',
    );
  }
  const problem = bucketNameProblem(options.bucket);
  if (problem) {
    throw new AppError(
      'BAD_TARGET',
      `--bucket "${options.bucket}" is not a valid S3 bucket name`,
      `${problem} Use the raw bucket name \`gpuz-cloud deploy\` printed (or the one in the S3 console).`,
    );
  }
  return {
    kind: 's3',
    bucket: options.bucket,
    region: options.region ?? process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION ?? 'us-east-1',
    ...(options.profile ? { profile: options.profile } : {}),
    ...(options.endpoint ? { endpoint: options.endpoint } : {}),
  };
}

export async function runUpload(options: UploadOptions, io: UploadIo): Promise<number> {
  let runtime: Runtime | undefined;
  try {
    const stateDir = stateDirOf(hostOfProcess(), options.stateDir);
    const settings = settingsFromOptions(options);
    // Without --host: this PC's name, or the one this state folder went on under (core/app/host-check.ts).
    const named =
      options.host === undefined
        ? await uploadHostOf(stateDir, { now: settings.host, former: formerPcHost() })
        : { host: settings.host, notice: null };
    settings.host = named.host;
    if (options.estimate) io.out(await estimateText(settings, stateDir, options.budget));
    runtime = openRuntime(settings, {
      stateDir,
      agentVersion: appVersion,
      watch: options.watch,
      ...(named.notice ? { startNotices: [named.notice] } : {}),
      // Watching: GPU-Z writing its log in another of its usual places is said (log-elsewhere.ts).
      ...(options.watch
        ? { otherLogs: async () => logPlaces(hostOfProcess()).map((place) => place.path) }
        : {}),
    });
    const { agent } = runtime;
    await agent.start();
    const before = agent.status().counters;
    const started = Date.now();
    if (options.watch && refusedAtStart(agent.status())) {
      // Nothing is read or sent until `gpuz-cloud repair`, so there is nothing to watch: said and ended here, as a
      // one-shot upload does. (It waited for a signal with nothing left running: the process exited 0 without a
      // word and left its lock behind.)
      await agent.stop();
      return exitCodeOf(agent.status(), 'error', io);
    }
    if (options.watch) {
      // Listening before "Watching" is printed: a signal sent the moment it appears must still seal (see agent.ts).
      const stopping = io.stopSignal();
      io.err(
        `Watching ${options.file} → ${agent.status().target} (${scheduleText(agent.status(), options.budget)}; Ctrl+C to stop)\n`,
      );
      agent.onUpload((r) => {
        if (r.status === 'uploaded') io.err(`uploaded ${r.key} (${r.rows} rows)\n`);
      });
      // Say when the agent waits or needs attention (missing log, a folder, no sensor log, store refusals),
      // and what it found and did (a resume by content, damaged spool files).
      const say = createStatusSayer(io.err);
      say(agent.status());
      agent.onStatus(say);
      void runtime.healed?.then((healed) => io.err(leftRawText(healed)));
      // Another agent took the state folder over: this one has stopped reading and sending, and ends here.
      const lost = new Promise<null>((resolve) => {
        agent.onStatus((s) => {
          if (s.lastError?.code === 'AGENT_LOCK_LOST') resolve(null);
        });
      });
      const signal = await Promise.race([stopping, lost]);
      if (signal) io.err(`${signal}: sealing and sending what is complete…\n`);
      await agent.stop();
      // Said already, by the status line above.
      if (!signal) return 2;
    } else {
      const progress = io.isTTY ? startProgress(agent, options.file) : null;
      await agent.uploadNow();
      const { state } = agent.status();
      await agent.stop();
      progress?.stop();
      const status = agent.status();
      io.out(summaryText(status, before, Date.now() - started));
      if (runtime.healed) io.out(leftRawText(await runtime.healed));
      for (const n of status.notices ?? []) io.err(`note: ${errorLine(n)}\n`);
      return exitCodeOf(status, state, io);
    }
    const status = agent.status();
    io.out(summaryText(status, before, Date.now() - started));
    return exitCodeOf(status, status.state, io);
  } catch (error) {
    io.err(`gpuz-cloud upload: ${formatErrorLine(error)}\n`);
    await runtime?.agent.stop().catch(() => undefined);
    return 2;
  } finally {
    await runtime?.close?.().catch(() => undefined);
  }
}

/**
 * 0 when everything complete was sent; 2 when something needs fixing (the log is missing, a folder or no sensor
 * log; the store refused for good); 1 when the store could not be reached (the batches wait in the spool).
 * `state` is the agent's state before it stopped.
 */
function exitCodeOf(status: AgentStatus, state: AgentStatus['state'], io: UploadIo): number {
  const error = status.lastError;
  if (error && (state === 'error' || state === 'waiting' || STOPPING_CODES.has(error.code))) {
    io.err(`gpuz-cloud upload: ${errorLine(error)}\n`);
    return 2;
  }
  if (error && (state === 'offline' || status.spool.batches > 0)) {
    io.err(`gpuz-cloud upload: ${errorLine(error)}\n`);
    return 1;
  }
  if (error) io.err(`warning: ${errorLine(error)}\n`);
  return 0;
}

/** The agent refused its state folder (a damaged checkpoint): the only refusal a start can end in. */
function refusedAtStart(status: AgentStatus): boolean {
  return status.state === 'error' && status.lastError?.code === 'STATE_DAMAGED';
}

function summaryText(status: AgentStatus, before: AgentStatus['counters'], ms: number): string {
  const c = status.counters;
  const raw = c.rawBytesUploaded - before.rawBytesUploaded;
  const stored = c.compressedBytesUploaded - before.compressedBytesUploaded;
  const mb = (n: number) => `${(n / 1_048_576).toFixed(2)} MB`;
  const lines = [
    `Uploaded ${plural(c.batchesUploaded - before.batchesUploaded, 'batch', 'batches', formatCount)}, ${plural(c.rowsRead - before.rowsRead, 'row', 'rows', formatCount)} read, to ${status.target}`,
    `  raw ${mb(raw)} → sent ${mb(stored)}${raw > 0 && stored !== raw ? ` (gzip ratio ${(raw / Math.max(stored, 1)).toFixed(1)}:1)` : ''} in ${(ms / 1000).toFixed(1)} s`,
    `  PUT requests: ${c.requests.put - before.requests.put}; waiting in the spool: ${status.spool.batches}; dropped at the spool cap (ever): ${c.batchesDropped}`,
  ];
  return `${lines.join('\n')}\n`;
}

/** What the start's heal did with raw batches an earlier version stored without processing ('' when none). */
function leftRawText(healed: LeftRawResult): string {
  const { processed, quarantined, left } = healed;
  if (processed + quarantined + left === 0) return '';
  const parts = [
    `processed ${processed} raw batch(es) stored earlier without processed data (an earlier version's upload --local)`,
    ...(quarantined > 0 ? [`${quarantined} unreadable, quarantined`] : []),
    ...(left > 0 ? [`${left} left for the next start`] : []),
  ];
  return `  ${parts.join('; ')}\n`;
}

function scheduleText(status: AgentStatus, budget: number | undefined): string {
  if (budget && status.budgetUsedUpUntil)
    return `the budget of ${budget} PUT-class requests is used up this month: the next upload waits until ${status.budgetUsedUpUntil}`;
  const every = `every ${formatDuration(status.intervalMs)}`;
  return budget ? `${every} to stay within ${budget} PUT-class requests this month` : every;
}

/**
 * The one cost answer for the settings these flags make, as `gpuz-cloud estimate` gives it for saved settings (the
 * same function, the same table): the fixed interval or the one the budget's schedule gives now, the bytes a row and
 * the gzip ratio this state folder's agent measured, the hours it saw GPU-Z log, and what a local store holds.
 */
async function estimateText(
  settings: Settings,
  stateDir: string,
  budget: number | undefined,
): Promise<string> {
  // estimate.ts is loaded only for --estimate: upload's start-up stays small
  const { buildEstimate, estimateContextOf, formatEstimateReport, readStore } = await import('./estimate');
  const context = await estimateContextOf(stateDir, new Date());
  // A bucket named alone is the raw one: the processed bucket the Costs view reads is not known from these flags.
  const stored =
    settings.target.kind === 'local' ? await readStore(stateDir, settings, context.now) : undefined;
  const report = await buildEstimate(
    { regime: DEFAULT_REGIME, json: false, ...(budget ? { budget } : {}) },
    { ...context, settings, ...(stored ? { stored } : {}) },
  );
  const note = `Upload flags: every ${formatDuration(report.intervalMinutes * 60_000)}${
    report.schedule ? " (the budget's interval now)" : ''
  }; \`gpuz-cloud estimate --help\` for what-ifs (another free tier, more PCs, months stored)${
    stored ? '' : ', and for the store of the stack `gpuz-cloud deploy` made'
  }`;
  return `${formatEstimateReport(report, note)}\n`;
}

export function registerUpload(program: Command): void {
  program
    .command('upload')
    .description('Upload the GPU-Z sensor log to S3 or a local folder (once, or --watch to keep tailing it)')
    .requiredOption('--file <log>', 'the GPU-Z sensor log')
    .option('--bucket <name>', 'S3 bucket for raw batches')
    .option('--endpoint <url>', 'S3-compatible endpoint (MinIO, moto…)')
    .option('--region <region>', 'AWS region (default: AWS_REGION or us-east-1)')
    .option('--profile <profile>', 'AWS profile from ~/.aws (default: the default credential chain)')
    .option('--local <dir>', 'store batches in this folder instead of S3 (no AWS account needed)')
    .option('--watch', 'keep tailing the log until Ctrl+C / SIGTERM', false)
    .option(
      '--interval <minutes|30s|5m|1h>',
      'how often to seal and send in --watch mode (default 60m)',
      parseInterval,
    )
    .addOption(
      new Option(
        '--budget <puts>',
        'monthly PUT-class request budget; the interval spreads it over the hours this PC logs in the rest of the month (instead of --interval)',
      )
        .argParser(budgetCount)
        .conflicts('interval'),
    )
    .option('--no-compress', 'send plain text instead of gzip')
    .option('--host <name>', 'machine name in the object keys (default: this computer’s name)')
    .option('--state-dir <dir>', 'where spool, checkpoint and counters live (default: the app-data folder)')
    .option('--estimate', 'print the monthly request and cost projection for the interval', false)
    .option('--tz <zone>', 'IANA time zone the log is written in (default: this system’s)')
    .action(async (options: UploadOptions) => {
      process.exitCode = await runUpload(options, processIo());
    });
}

function budgetCount(text: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 2) {
    throw new InvalidArgumentError(
      `"${text}" is not a budget: a whole number of at least 2 (two PUTs per batch)`,
    );
  }
  return n;
}

/**
 * A progress bar on the terminal for a one-shot upload (a backfill): bytes of the log stored so far (read, sealed,
 * sent — and processed, for a local store), the rate since the start and the time left at that rate.
 *   const bar = startProgress(agent, 'GPU-Z Sensor Log.txt'); await agent.uploadNow(); bar.stop()
 *   stored ████████░░░░ 61% | 626/1024 MB | 38.2 MB/s | ETA 10s | 78 batch(es) | read 700 MB
 */
function startProgress(agent: Agent, file: string): { stop(): void } {
  const before = agent.status().counters;
  let total = 0;
  try {
    total = statSync(file).size;
  } catch {
    total = 0;
  }
  const bar = new cliProgress.SingleBar(
    {
      format:
        'stored {bar} {percentage}% | {value}/{total} MB | {rate} MB/s | ETA {eta_formatted} | {batches} batch(es) | read {read} MB',
      stream: process.stderr,
      etaBuffer: 40,
    },
    cliProgress.Presets.shades_classic,
  );
  const mb = (n: number) => Math.round(n / 1_048_576);
  const startedAt = performance.now();
  bar.start(Math.max(mb(total), 1), 0, { batches: 0, rate: '0.0', read: 0 });
  const show = () => {
    const now = agent.status().counters;
    // Stored raw bytes may include a session header prepended to a batch: never above the file's size.
    const stored = Math.min(now.rawBytesUploaded - before.rawBytesUploaded, total);
    const rate = stored / 1e6 / Math.max((performance.now() - startedAt) / 1000, 0.001);
    bar.update(mb(stored), {
      batches: now.batchesUploaded - before.batchesUploaded,
      rate: rate.toFixed(1),
      read: mb(now.bytesRead - before.bytesRead),
    });
  };
  const timer = setInterval(show, 250);
  return {
    stop() {
      clearInterval(timer);
      show();
      bar.update(Math.max(mb(total), 1));
      bar.stop();
    },
  };
}

function processIo(): UploadIo {
  return {
    out: (text) => process.stdout.write(text),
    err: (text) => process.stderr.write(text),
    isTTY: process.stderr.isTTY === true,
    stopSignal: () => nextStopSignal(),
  };
}
