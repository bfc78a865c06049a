/**
 * The Settings form as plain data — no DOM, unit-tested:
 *   formOf(settings) → { logPath, targetKind: 'local', localDir, …, minutes: '60', monthlyPuts: '2000', … }
 *   settingsOf(form) → Settings (what saveSettings gets; the main process validates)
 *   logSuggestions(candidates, '/x/GPU-Z Sensor Log.txt') → only the other logs found, or GPU-Z's usual places
 *     when none exists anywhere
 *   intervalHint(costView) → 'At 1 h between uploads: about $0.0110 a month. 48 min or more keeps …'
 * settings.ts binds these to the page.
 */
import type {
  CostView,
  LogCandidate,
  SaveSettingsResult,
  Settings,
  TargetSettings,
} from '../../shared/contract';
import { budgetScheduleText } from '../../shared/cost/budget-schedule';
import { hostLabel } from '../../shared/host-name';
import { plural } from '../../shared/plural';
import { formatDuration, formatUsd } from '../format';
import { safeIntervalText } from './costs-model';

export interface SettingsForm {
  logPath: string;
  targetKind: 'local' | 's3';
  localDir: string;
  bucket: string;
  region: string;
  profile: string;
  endpoint: string;
  scheduleKind: 'interval' | 'budget';
  minutes: string;
  monthlyPuts: string;
  compression: Settings['compression'];
  host: string;
  timeZone: string;
  /**
   * What a deploy wrote into the S3 target that the form has no field for (the processed bucket the dashboard reads,
   * the stack's raw expiry and analytics copy), sent back while the bucket stays the one deployed. Before, a save of
   * the form dropped them: the charts then read the raw bucket, where no processed document is.
   */
  deployed: DeployedFacts | null;
}

type S3Target = Extract<TargetSettings, { kind: 's3' }>;
export type DeployedFacts = Pick<S3Target, 'bucket' | 'processedBucket' | 'rawExpiryDays' | 'analyticsCopy'>;

/** The deploy's part of an S3 target, or null when it has none (a bucket typed in by hand). */
function deployedFacts(target: TargetSettings): DeployedFacts | null {
  if (target.kind !== 's3') return null;
  const { bucket, processedBucket, rawExpiryDays, analyticsCopy } = target;
  if (processedBucket === undefined && rawExpiryDays === undefined && analyticsCopy === undefined)
    return null;
  return {
    bucket,
    ...(processedBucket !== undefined ? { processedBucket } : {}),
    ...(rawExpiryDays !== undefined ? { rawExpiryDays } : {}),
    ...(analyticsCopy !== undefined ? { analyticsCopy } : {}),
  };
}

export function formOf(settings: Settings): SettingsForm {
  const t = settings.target;
  return {
    logPath: settings.logPath,
    targetKind: t.kind,
    localDir: t.kind === 'local' ? t.dir : '',
    bucket: t.kind === 's3' ? t.bucket : '',
    region: t.kind === 's3' ? t.region : '',
    profile: t.kind === 's3' ? (t.profile ?? '') : '',
    endpoint: t.kind === 's3' ? (t.endpoint ?? '') : '',
    scheduleKind: settings.schedule.kind,
    minutes: settings.schedule.kind === 'interval' ? String(settings.schedule.minutes) : '60',
    monthlyPuts: settings.schedule.kind === 'budget' ? String(settings.schedule.monthlyPuts) : '2000',
    compression: settings.compression,
    // As people read it (игровой-пк, not its stored xn-- form); the main process turns it back at save.
    host: hostLabel(settings.host),
    timeZone: settings.timeZone,
    deployed: deployedFacts(t),
  };
}

export function settingsOf(form: SettingsForm): Settings {
  // Another bucket typed in is not the stack's: its processed bucket and lifecycle are unknown.
  const { bucket: deployedBucket, ...facts } = form.deployed ?? { bucket: null };
  const sameStack = deployedBucket !== null && deployedBucket === form.bucket.trim();
  return {
    logPath: form.logPath,
    target:
      form.targetKind === 's3'
        ? {
            kind: 's3',
            bucket: form.bucket,
            region: form.region,
            profile: form.profile,
            endpoint: form.endpoint,
            ...(sameStack ? facts : {}),
          }
        : { kind: 'local', dir: form.localDir },
    schedule:
      form.scheduleKind === 'budget'
        ? { kind: 'budget', monthlyPuts: Number(form.monthlyPuts) }
        : { kind: 'interval', minutes: Number(form.minutes) },
    compression: form.compression,
    host: form.host,
    timeZone: form.timeZone,
  };
}

export interface LogSuggestion {
  path: string;
  text: string;
  /** A log exists there: offer "Use". */
  usable: boolean;
}

/**
 * The logs worth offering under the log field: other GPU-Z logs that exist. GPU-Z's usual places where nothing
 * exists are listed only while no log was found anywhere and the configured one is missing too (the agent waits
 * for it) — "Not found" three times under a log that works is noise.
 */
export function logSuggestions(
  found: readonly LogCandidate[],
  configured: string,
  configuredExists: boolean,
): LogSuggestion[] {
  const existing = found.filter((c) => c.exists);
  if (existing.length > 0) {
    return existing
      .filter((c) => c.path !== configured)
      .map((c) => ({ path: c.path, text: `Also found: ${c.path} (${c.reason})`, usable: true }));
  }
  if (configuredExists) return [];
  return found.map((c) => ({
    path: c.path,
    text: `No log yet at ${c.path} (${c.reason})`,
    usable: false,
  }));
}

/**
 * This PC's zone under "Time zone of the log" when the log is read in another (a laptop abroad, Windows' zone
 * corrected: the agent says so at start too, TIME_ZONE_DIFFERS), with a button to take it:
 *   zoneSuggestion('Europe/Berlin', 'America/New_York') → "This PC's time zone is America/New_York."
 *   zoneSuggestion('America/New_York', 'America/New_York') → null
 */
export function zoneSuggestion(logZone: string, pcZone: string): string | null {
  return logZone.trim() === pcZone ? null : `This PC's time zone is ${pcZone}.`;
}

/** The hint under "Upload every (minutes)": the cost of the typed interval and the smallest safe one. */
export function intervalHint(view: CostView): string {
  const at = `At ${formatDuration(view.intervalMinutes * 60_000)} between uploads`;
  const cost = view.awsBilled
    ? `about ${formatUsd(view.monthlyUsd)} a month in AWS`
    : `nothing on an AWS bill (a local folder); uploading to AWS would be about ${formatUsd(view.monthlyUsd)} a month`;
  return `${at}: ${cost}. ${safeIntervalText(view)} See Costs for each line.`;
}

/**
 * What a typed budget gives (the Settings hint under it):
 *   budgetHint(view) → 'A budget of 2,000 uploads and listings a month: every 10 min now, over 6.0 h a day — twice the
 *   3.0 h a day this PC's agent saw GPU-Z log over the last 14 days. About $0.0091 a month in AWS. See Costs for …'
 */
export function budgetHint(view: CostView): string {
  if (!view.schedule) return '';
  const text = budgetScheduleText(view.schedule);
  const cost = view.awsBilled
    ? `About ${formatUsd(view.monthlyUsd)} a month in AWS`
    : `Nothing on an AWS bill (a local folder); uploading to AWS would be about ${formatUsd(view.monthlyUsd)} a month`;
  return `${text[0]!.toUpperCase()}${text.slice(1)}. ${cost}. See Costs for each line.`;
}

/** The line beside Save after an answer. */
export function saveSummary(result: SaveSettingsResult): string {
  if (result.ok && result.unchanged)
    return 'Saved. They are the settings in use: the agent goes on as it was.';
  if (result.ok) return 'Saved. The agent restarted with these settings.';
  const n = result.errors.length;
  return `Not saved: ${plural(n, 'field')} to fix.`;
}
