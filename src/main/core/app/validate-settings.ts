/**
 * Checks settings that arrive from the UI (untrusted JSON) field by field:
 *   validateSettings({ …, target: { kind: 's3', bucket: 'My_Bucket', region: 'us-east-1' } })
 *     → { errors: [{ field: 'target.bucket', message: 'Bucket names use lower-case letters, …' }] }
 *   a valid object → { settings, errors: [] }
 */
import { BUCKET_NAME_RULE, bucketNameProblem } from '../../../shared/bucket-name';
import type { FieldError, ScheduleSettings, Settings, TargetSettings } from '../../../shared/contract';
import { hostFromInput } from '../../../shared/host-name';
import { isValidHost } from '../../../shared/keys';
import { validateAlertRules } from '../insights/validate-alert-rules';

export const REGION = /^[a-z]{2}(-[a-z]+)+-\d$/;
const PROFILE = /^[A-Za-z0-9_.@-]{1,64}$/;
const MAX_INTERVAL_MINUTES = 7 * 24 * 60;

export function validateSettings(value: unknown): { settings?: Settings; errors: FieldError[] } {
  const errors: FieldError[] = [];
  const add = (field: string, message: string) => errors.push({ field, message });
  const input = isObject(value) ? value : {};
  if (!isObject(value)) add('settings', 'Settings must be an object.');

  const logPath = text(input.logPath);
  if (logPath === '') add('logPath', 'Choose the GPU-Z sensor log file (GPU-Z → Sensors → "Log to file").');
  else if (!isAbsolutePath(logPath))
    add('logPath', 'Use a full path, e.g. C:\\Users\\you\\Documents\\GPU-Z Sensor Log.txt.');

  const target = validateTarget(input.target, add);
  const schedule = validateSchedule(input.schedule, add);

  const compression = input.compression;
  if (compression !== 'gzip' && compression !== 'none') add('compression', 'Choose gzip or none.');

  // A name in another script (игровой-пк) is saved as its xn-- form, which the views show as typed.
  const host = hostFromInput(text(input.host)) ?? '';
  if (host === '') {
    add(
      'host',
      'Use 1–63 lower-case letters (of any script), digits, dots, dashes or underscores, starting with a letter or digit.',
    );
  }

  const timeZone = text(input.timeZone);
  if (!isTimeZone(timeZone)) add('timeZone', `"${timeZone}" is not an IANA time zone (e.g. Europe/Berlin).`);

  // Alert rules are optional (settings from before they existed have none).
  const alerts = input.alerts === undefined ? undefined : validateAlertRules(input.alerts);
  if (alerts) errors.push(...alerts.errors);

  // Informational (the settings store writes it): a value that is not a host name is dropped, not refused.
  const savedOn = typeof input.savedOn === 'string' && isValidHost(input.savedOn) ? input.savedOn : undefined;

  if (errors.length > 0 || !target || !schedule) return { errors };
  return {
    settings: {
      logPath,
      target,
      schedule,
      compression: compression as Settings['compression'],
      host,
      timeZone,
      ...(alerts ? { alerts: alerts.rules } : {}),
      ...(savedOn ? { savedOn } : {}),
    },
    errors,
  };
}

function validateTarget(
  value: unknown,
  add: (field: string, message: string) => void,
): TargetSettings | null {
  if (!isObject(value) || (value.kind !== 'local' && value.kind !== 's3')) {
    add('target.kind', 'Choose a local folder or an S3 bucket.');
    return null;
  }
  if (value.kind === 'local') {
    const dir = text(value.dir);
    if (!isAbsolutePath(dir)) {
      add('target.dir', 'Use a full folder path for the local store.');
      return null;
    }
    return { kind: 'local', dir };
  }
  const bucket = text(value.bucket);
  const region = text(value.region);
  const profile = text(value.profile);
  const endpoint = text(value.endpoint);
  const processedBucket = text(value.processedBucket);
  let ok = true;
  if (bucketNameProblem(bucket)) {
    add('target.bucket', BUCKET_NAME_RULE);
    ok = false;
  }
  if (processedBucket !== '' && bucketNameProblem(processedBucket)) {
    add('target.processedBucket', 'The processed bucket name follows the same rules as the bucket name.');
    ok = false;
  }
  if (!REGION.test(region)) {
    add('target.region', `"${region}" is not an AWS region code (e.g. eu-central-1).`);
    ok = false;
  }
  if (profile !== '' && !PROFILE.test(profile)) {
    add('target.profile', 'Profile names are letters, digits and _ . @ - (as in ~/.aws/config).');
    ok = false;
  }
  if (endpoint !== '' && !isHttpUrl(endpoint)) {
    add(
      'target.endpoint',
      'The endpoint must be an http(s) URL, e.g. http://127.0.0.1:9000 — or leave it empty for AWS.',
    );
    ok = false;
  }
  // What the deployed stack does (written by a deploy from its outputs): kept when sound, else dropped — a cost
  // default is not worth refusing settings for.
  const { rawExpiryDays, analyticsCopy } = value;
  if (!ok) return null;
  return {
    kind: 's3',
    bucket,
    region,
    ...(profile ? { profile } : {}),
    ...(endpoint ? { endpoint } : {}),
    ...(processedBucket ? { processedBucket } : {}),
    ...(Number.isSafeInteger(rawExpiryDays) && (rawExpiryDays as number) > 0
      ? { rawExpiryDays: rawExpiryDays as number }
      : {}),
    ...(analyticsCopy === true ? { analyticsCopy } : {}),
  };
}

function validateSchedule(
  value: unknown,
  add: (field: string, message: string) => void,
): ScheduleSettings | null {
  if (isObject(value) && value.kind === 'interval') {
    const minutes = value.minutes;
    if (
      typeof minutes !== 'number' ||
      !Number.isInteger(minutes) ||
      minutes < 1 ||
      minutes > MAX_INTERVAL_MINUTES
    ) {
      add('schedule.minutes', `The interval is a whole number of minutes from 1 to ${MAX_INTERVAL_MINUTES}.`);
      return null;
    }
    return { kind: 'interval', minutes };
  }
  if (isObject(value) && value.kind === 'budget') {
    const puts = value.monthlyPuts;
    // Two PUT-class requests per batch (raw + processed): fewer than 2 would mean no upload at all.
    if (typeof puts !== 'number' || !Number.isInteger(puts) || puts < 2) {
      add(
        'schedule.monthlyPuts',
        'The monthly PUT budget is a whole number of at least 2 (two PUTs per batch).',
      );
      return null;
    }
    return { kind: 'budget', monthlyPuts: puts };
  }
  add('schedule.kind', 'Choose an upload interval or a monthly PUT budget.');
  return null;
}

/** A JSON object (not null, not an array): what settings are. */
export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function text(value: unknown): string {
  return typeof value === 'string' ? value.trim() : '';
}

function isAbsolutePath(path: string): boolean {
  return path.startsWith('/') || /^[A-Za-z]:[\\/]/.test(path) || path.startsWith('\\\\');
}

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}

function isTimeZone(zone: string): boolean {
  if (zone === '') return false;
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}
