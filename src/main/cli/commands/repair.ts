/**
 * `gpuz-cloud repair`: checks the agent's state folder (checkpoint, counters, lock, spool) and, with --yes or a
 * "y" at the prompt, repairs it — the checkpoint rebuilt from the store itself, damaged files set aside.
 *
 *   gpuz-cloud repair --state-dir D:\gpuz-state --file "GPU-Z Sensor Log.txt" --bucket my-gpuz-raw
 *     → checkpoint.json  damaged: offset is -5, not a byte position
 *         → set aside; rebuilt from s3://my-gpuz-raw (3 object(s) of this log): reading resumes after byte 335400
 *       Run again with --yes to apply (nothing was changed).        exit 1
 *   gpuz-cloud repair --yes …  → what was done, exit 0
 * The log and the store default to the agent's settings.json in the state folder. A settings.json the agent refuses
 * (a hand edit gone wrong, a damaged file) is set aside and the settings last used put back (settings.last-good.json),
 * and those name the log and the store. Exit 2 when it cannot check (an agent runs on the folder, no store named).
 */
import { existsSync } from 'node:fs';
import { hostname } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline/promises';
import type { Command } from 'commander';
import type { RepairItem, Settings } from '../../../shared/contract';
import { AppError, formatErrorLine } from '../../../shared/errors';
import { writeFileAtomic } from '../../../shared/fs/atomic-file';
import { hostFromName } from '../../../shared/host-name';
import { systemTimeZone } from '../../../shared/parse';
import { lastUploadedHost } from '../../core/agent/upload-history';
import { hostOfProcess, stateDirOf } from '../../core/app/host';
import { describeTarget } from '../../core/deploy/settings-target';
import { checkStateFolder } from '../../core/repair';
import { createSettingsStore, defaultSettings, SETTINGS_FILE } from '../../core/settings';
import { setAside } from '../../core/state-file';
import { createStoreFor } from '../../core/store';
import type { Store } from '../../core/store/types';
import { targetFromOptions, type UploadOptions } from './upload';

export interface RepairOptions
  extends Pick<UploadOptions, 'bucket' | 'endpoint' | 'region' | 'profile' | 'local' | 'host' | 'tz'> {
  stateDir?: string;
  file?: string;
  yes: boolean;
}

export interface RepairIo {
  out(text: string): void;
  err(text: string): void;
  /** Asks a yes/no question (a terminal); null when nobody can answer. */
  confirm: ((question: string) => Promise<boolean>) | null;
}

export async function runRepair(options: RepairOptions, io: RepairIo): Promise<number> {
  try {
    const stateDir = stateDirOf(hostOfProcess(), options.stateDir);
    const saved = await savedSettings(stateDir);
    const target = await targetOf(options, stateDir, saved.settings);
    const check = await checkStateFolder({ stateDir, ...target });
    try {
      io.out(`State folder: ${stateDir}\nLog: ${target.logPath}\nStore: ${target.store.description}\n`);
      for (const item of [...(saved.fix ? [saved.fix.item] : []), ...check.items]) {
        io.out(`  ${item.file.padEnd(18)} ${item.finding}\n`);
        if (item.action) io.out(`  ${''.padEnd(18)} → ${item.action}\n`);
      }
      if (!check.needed && !saved.fix) {
        io.out('Nothing to repair.\n');
        return 0;
      }
      const go = options.yes || (io.confirm ? await io.confirm('Apply these repairs? [y/N] ') : false);
      if (!go) {
        io.out('Run again with --yes to apply (nothing was changed).\n');
        return 1;
      }
      if (saved.fix) io.out(`done: ${await saved.fix.apply()}\n`);
      for (const line of await check.apply()) io.out(`done: ${line}\n`);
      return 0;
    } finally {
      await check.release();
    }
  } catch (error) {
    io.err(`gpuz-cloud repair: ${formatErrorLine(error)}\n`);
    return 2;
  }
}

/**
 * The agent's settings in the state folder, or null when it has none; for a settings.json it refuses, the settings
 * last used and the repair that puts them back (none kept: the refusal, which says how to fix the file).
 */
async function savedSettings(
  stateDir: string,
): Promise<{ settings: Settings | null; fix?: { item: RepairItem; apply(): Promise<string> } }> {
  const path = join(stateDir, SETTINGS_FILE);
  if (!existsSync(path)) return { settings: null };
  const store = createSettingsStore({ stateDir, defaults: defaultSettings(stateDir, '') });
  try {
    return { settings: await store.load() };
  } catch (error) {
    const kept = await store.lastGood?.();
    if (!kept) throw error;
    const when = kept.savedAt.toISOString().slice(0, 16).replace('T', ' ');
    return {
      settings: kept.settings,
      fix: {
        item: {
          file: SETTINGS_FILE,
          finding: `refused: ${(error as Error).message.replace(`${path} `, '')}`,
          action: `set aside; the settings last used put back (kept ${when} UTC): log ${kept.settings.logPath}, store ${describeTarget(kept.settings.target)}`,
        },
        async apply() {
          const aside = await setAside(path);
          await writeFileAtomic(path, `${JSON.stringify(kept.settings, null, 2)}\n`);
          return `${SETTINGS_FILE} set aside as ${aside}; the settings last used put back`;
        },
      },
    };
  }
}

/** The log, store, host and zone: from the options, else from the agent's settings in the state folder. */
async function targetOf(
  options: RepairOptions,
  stateDir: string,
  settings: Settings | null,
): Promise<{ logPath: string; store: Store; host: string; timeZone: string }> {
  const named = options.bucket !== undefined || options.local !== undefined;
  if (!named && !settings) {
    throw new AppError(
      'BAD_TARGET',
      `No store named and no settings in ${stateDir}`,
      'Name the log and the store the agent uses: --file <log> and --bucket <name> or --local <dir>.',
    );
  }
  const logPath = options.file ?? settings?.logPath;
  if (!logPath) throw new AppError('BAD_OPTION', 'No log named', 'Pass --file <log>.');
  return {
    logPath: resolve(logPath),
    store: createStoreFor(named || !settings ? targetFromOptions(options) : settings.target),
    host: hostFromName(
      options.host ??
        settings?.host ??
        (await lastUploadedHost(join(stateDir, 'uploads.json'))) ??
        hostname(),
    ),
    timeZone: options.tz ?? settings?.timeZone ?? systemTimeZone(),
  };
}

export function registerRepair(program: Command): void {
  program
    .command('repair')
    .description(
      'Check the agent’s state folder and repair it: rebuild the checkpoint from the store, set damaged files aside',
    )
    .option('--state-dir <dir>', 'the agent’s state folder (default: the app-data folder)')
    .option('--file <log>', 'the GPU-Z sensor log (default: from the settings in the state folder)')
    .option('--bucket <name>', 'S3 bucket of the raw batches')
    .option('--endpoint <url>', 'S3-compatible endpoint (MinIO, moto…)')
    .option('--region <region>', 'AWS region (default: AWS_REGION or us-east-1)')
    .option('--profile <profile>', 'AWS profile from ~/.aws')
    .option('--local <dir>', 'the local folder store instead of S3')
    .option(
      '--host <name>',
      'machine name in the object keys (default: the settings’, else the last upload’s, else this computer’s)',
    )
    .option('--tz <zone>', 'IANA time zone the log is written in')
    .option('--yes', 'apply without asking', false)
    .action(async (options: RepairOptions) => {
      process.exitCode = await runRepair(options, {
        out: (text) => process.stdout.write(text),
        err: (text) => process.stderr.write(text),
        confirm: process.stdin.isTTY ? ask : null,
      });
    });
}

async function ask(question: string): Promise<boolean> {
  const rl = createInterface({ input: process.stdin, output: process.stdout });
  try {
    return /^y(es)?$/i.test((await rl.question(question)).trim());
  } finally {
    rl.close();
  }
}
