import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import {
  GetObjectCommand,
  type ListObjectsV2CommandOutput,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { createDayFile, type DayFile } from '../src/shared/analytics/day-file';
import { dayChunks } from '../src/shared/analytics/day-rows';
import {
  addDays,
  dayStart,
  MAX_BATCH_DAYS,
  partitionFile,
  processedKeyParts,
  utcDate,
} from '../src/shared/analytics/row-schema';
import { openOwnedTempDir } from '../src/shared/fs/owned-temp-dir';
import { readProcessedDocument } from '../src/shared/process';
import { listPages } from './list-pages';

/**
 * The daily analytics copy: yesterday's rows (and late ones of the days before) per host as one Parquet
 * object under `analytics/host=…/date=…/` in the processed bucket, for engines that read S3. Dates are
 * the log clock's, like the processed keys; the schedule runs at 12:20 UTC, when yesterday has ended in
 * every zone (UTC−12 to UTC+14), so a day is normally written once.
 *
 *   await copyAnalytics({ s3, bucket: 'gpuz-…-processed', now: new Date('2026-08-07T12:20Z'), lookbackDays: 3 })
 *     → { hosts: 1, days: 1, rows: 86400, bytes: 3.9 MB, requests: { list: 3, get: 26, put: 1 } }
 *     analytics/host=gaming-pc/date=2026-08-06/gaming-pc-2026-08-06.parquet
 *
 * A day is (re)written only when a processed object that can hold its rows is newer than the day's object
 * (or it has none), so a second run the same day makes no GET and no PUT, and a batch uploaded late (the PC
 * was off) rewrites its day on the next run within `lookbackDays`. Requests per run: 1 LIST for the hosts,
 * and per host 1 LIST of its recent processed keys (StartAfter, so the listing does not grow with the
 * history) and 1 LIST of its recent analytics objects; GETs and PUTs only for the days rewritten.
 */
export interface AnalyticsCopyOptions {
  s3: S3Client;
  bucket: string;
  now: Date;
  /** How many days before today are checked (default 3: yesterday and the two days before). */
  lookbackDays?: number | undefined;
}

export interface AnalyticsCopySummary {
  hosts: number;
  /** Day objects written with rows, and without (a day its candidate batches turned out not to reach). */
  days: number;
  empty: number;
  rows: number;
  bytes: number;
  written: string[];
  requests: { list: number; get: number; put: number };
}

interface Listed {
  key: string;
  lastModified: number;
}

export const ANALYTICS_PREFIX = 'analytics/';
export const PARQUET_CONTENT_TYPE = 'application/vnd.apache.parquet';
export const ANALYTICS_TEMP_PREFIX = 'gpuz-analytics-';

export async function copyAnalytics(options: AnalyticsCopyOptions): Promise<AnalyticsCopySummary> {
  const { s3, bucket } = options;
  const summary: AnalyticsCopySummary = {
    hosts: 0,
    days: 0,
    empty: 0,
    rows: 0,
    bytes: 0,
    written: [],
    requests: { list: 0, get: 0, put: 0 },
  };
  const today = utcDate(options.now.getTime());
  const days = Array.from({ length: options.lookbackDays ?? 3 }, (_, i) =>
    addDays(today, -(i + 1)),
  ).reverse();

  const list = async (input: { Prefix: string; StartAfter?: string; Delimiter?: string }) => {
    const pages = await listPages(s3, { Bucket: bucket, ...input });
    summary.requests.list += pages.length;
    return pages;
  };
  const objects = (pages: ListObjectsV2CommandOutput[]): Listed[] =>
    pages.flatMap((page) =>
      (page.Contents ?? []).map((o) => ({ key: o.Key ?? '', lastModified: o.LastModified?.getTime() ?? 0 })),
    );

  const hostPages = await list({ Prefix: 'processed/', Delimiter: '/' });
  const hosts = hostPages
    .flatMap((page) => page.CommonPrefixes ?? [])
    .map((p) => p.Prefix?.slice('processed/'.length, -1) ?? '')
    .filter((host) => /^[a-z0-9][a-z0-9._-]{0,62}$/.test(host));

  // Its own spill folder; one an invocation that timed out left in this warm container's /tmp goes first.
  const tempDir = await openOwnedTempDir(ANALYTICS_TEMP_PREFIX);
  try {
    for (const host of hosts) {
      summary.hosts += 1;
      const since = addDays(days[0]!, -MAX_BATCH_DAYS);
      const inputs = objects(
        await list({
          Prefix: `processed/${host}/`,
          StartAfter: `processed/${host}/${since.replaceAll('-', '/')}`,
        }),
      ).filter((o) => processedKeyParts(o.key));
      const outputs = new Map(
        objects(
          await list({
            Prefix: `${ANALYTICS_PREFIX}host=${host}/`,
            StartAfter: `${ANALYTICS_PREFIX}host=${host}/date=${days[0]}`,
          }),
        ).map((o) => [o.key, o.lastModified]),
      );
      const stale = new Map<string, Listed[]>();
      for (const day of days) {
        const written = outputs.get(`${ANALYTICS_PREFIX}${partitionFile(host, day, 'parquet')}`);
        // Batches keyed on the day hold its rows; an earlier batch only if it ran past midnight, and then it
        // was written after the day began somewhere (local midnight is at most 14 h before UTC midnight).
        const feeding = inputs.filter((o) => {
          const keyDate = processedKeyParts(o.key)!.date;
          return (
            keyDate === day ||
            (keyDate < day &&
              keyDate >= addDays(day, -MAX_BATCH_DAYS) &&
              o.lastModified >= dayStart(day) - 14 * 3_600_000)
          );
        });
        if (feeding.length > 0 && (written === undefined || feeding.some((o) => o.lastModified > written))) {
          stale.set(day, feeding);
        }
      }
      if (stale.size > 0) await rewriteDays(host, stale, options, tempDir, summary);
    }
  } finally {
    await rm(tempDir, { recursive: true, force: true });
  }
  return summary;
}

async function rewriteDays(
  host: string,
  stale: Map<string, Listed[]>,
  options: AnalyticsCopyOptions,
  tempDir: string,
  summary: AnalyticsCopySummary,
): Promise<void> {
  const { s3, bucket } = options;
  const keys = [...new Set([...stale.values()].flat().map((o) => o.key))].sort();
  const files = new Map<string, DayFile>();
  try {
    for (const key of keys) {
      summary.requests.get += 1;
      const response = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
      const bytes = await response.Body!.transformToByteArray();
      const document = readProcessedDocument(bytes, key);
      for (const chunk of dayChunks(document, (date) => stale.has(date))) {
        let file = files.get(chunk.date);
        if (!file) {
          file = createDayFile({ tempDir });
          files.set(chunk.date, file);
        }
        await file.add(chunk);
      }
    }
    // A day whose candidates held none of its rows still gets its (empty) object: it records that the day
    // was looked at, so the next run does not read the same batches again for it.
    for (const day of stale.keys()) if (!files.has(day)) files.set(day, createDayFile({ tempDir }));
    for (const [day, file] of [...files].sort()) {
      const relative = partitionFile(host, day, 'parquet');
      const path = join(tempDir, relative);
      const written = await file.write(path, { format: 'parquet', host });
      const body = await readFile(path);
      summary.requests.put += 1;
      await s3.send(
        new PutObjectCommand({
          Bucket: bucket,
          Key: `${ANALYTICS_PREFIX}${relative}`,
          Body: body,
          ContentType: PARQUET_CONTENT_TYPE,
        }),
      );
      await rm(path, { force: true });
      if (written.rows === 0) summary.empty += 1;
      else summary.days += 1;
      summary.rows += written.rows;
      summary.bytes += written.bytes;
      summary.written.push(`${ANALYTICS_PREFIX}${relative}`);
    }
  } finally {
    for (const file of files.values()) await file.discard();
  }
}

/** The event the schedule sends (the EventBridge target's constant input); anything else is an S3 event. */
export interface AnalyticsCopyEvent {
  gpuzAnalyticsCopy: { lookbackDays?: number };
}

export function isAnalyticsCopyEvent(event: unknown): event is AnalyticsCopyEvent {
  return typeof event === 'object' && event !== null && 'gpuzAnalyticsCopy' in event;
}
