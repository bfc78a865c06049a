/**
 * The day document of the day before a batch (src/shared/process/day-rollups.ts), written once per host and day:
 *
 *   await sealPreviousDay({ s3, bucket }, 'processed/pc/2024/04/21/b.json.gz')
 *     → { day: '2024/04/20', outcome: 'sealed', batches: 24 }   the first batch of the 21st: LIST, 24 GETs, one PUT
 *     → { day: '2024/04/20', outcome: 'present' }               every later one: a HEAD (none in a warm container)
 *     → { day: '2024/04/20', outcome: 'failed', error }         the batch stays processed
 *     → { day: '2024/04/20', outcome: 'sealed', batches: 0, earlier: { day: '2024/04/17', outcome: 'sealed', … } }
 *       the first batch after a pause in logging: the empty day before, and the last day with data before the pause
 * The result goes into the batch's log line (create-handler.ts; a failed seal makes it an error line).
 *
 * Why once a day and not on every batch: a read-modify-write per batch costs a GET and a PUT per batch, and the PUT
 * alone took the default hourly setup from 1,680 to 2,520 PUT-class requests a month, past the 2,000 of the free
 * tier. Sealing yesterday costs one LIST and one PUT a day (plus a GET per batch of that day, and a HEAD per batch:
 * GET-class, a tenth of the price). Today's batches are not in a document yet: a cold chart GETs them one by one, as
 * it does any batch a document lacks (one that came after its day was sealed, after an outage). Two invocations
 * sealing the same day at once write the same entries; the last PUT wins and either is right.
 */
import { GetObjectCommand, HeadObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { toError } from '../src/shared/errors';
import {
  type DayBatchOutline,
  type DayRef,
  dayDocument,
  dayRef,
  documentOutline,
  encodeDayRollups,
  previousDay,
} from '../src/shared/process/day-rollups';
import { readProcessedDocument } from '../src/shared/process/read-document';
import { listPages } from './list-pages';

export interface SealResult {
  day: string;
  outcome: 'sealed' | 'present' | 'failed';
  batches?: number;
  /** Objects of the day that could not be read as processed documents (the reader GETs them itself). */
  leftOut?: string[];
  error?: string;
  /** The day before was empty (logging paused): the last day with data before it, sealed first (see sealEarlier). */
  earlier?: SealResult;
}

const SEAL_READS_AT_ONCE = 4;

/** Days this container saw sealed: a warm function makes no HEAD for them again. */
const sealedHere = new Set<string>();

interface Deps {
  s3: S3Client;
  bucket: string;
}

export async function sealPreviousDay(deps: Deps, processedKey: string): Promise<SealResult | null> {
  const previous = previousDay(processedKey);
  if (!previous) return null;
  try {
    if (await isSealed(deps, previous.key)) return { day: previous.day, outcome: 'present' };
    const objects = await listAll(deps.s3, deps.bucket, previous.prefix);
    // An empty day before this one: logging paused. The last day with data before the pause had no next day's batch
    // to seal it; it is sealed now, before the empty day's document (which stops later batches from looking): if it
    // fails, the empty day stays unwritten and the next batch tries both again.
    const earlier = objects.length === 0 ? await sealEarlier(deps, previous.host, previous.day) : null;
    if (earlier?.outcome === 'failed') {
      return { day: previous.day, outcome: 'failed', error: `${earlier.day}: ${earlier.error}`, earlier };
    }
    const sealed = await sealDay(deps, previous, objects);
    return { ...sealed, ...(earlier ? { earlier } : {}) };
  } catch (error) {
    return { day: previous.day, outcome: 'failed', error: toError(error).message };
  }
}

/** The day's document is there: remembered by this container, or found by a HEAD (then remembered). */
async function isSealed(deps: Deps, key: string): Promise<boolean> {
  if (sealedHere.has(`${deps.bucket}/${key}`)) return true;
  if (!(await exists(deps.s3, deps.bucket, key))) return false;
  sealedHere.add(`${deps.bucket}/${key}`);
  return true;
}

/** Reads the day's listed objects (a few at a time) and PUTs its document. */
async function sealDay(
  deps: Deps,
  day: DayRef,
  objects: { key: string; etag: string }[],
): Promise<SealResult> {
  const batches: DayBatchOutline[] = [];
  const leftOut: string[] = [];
  // A few GETs at a time: 288 five-minute batches one after another would take seconds of round trips, and more
  // at once would hold more parsed documents beside the batch just processed (a 256 MB function).
  const read = async (object: { key: string; etag: string }) => {
    const got = await deps.s3.send(new GetObjectCommand({ Bucket: deps.bucket, Key: object.key }));
    const body = await got.Body?.transformToByteArray();
    try {
      if (!body) throw new Error('empty body');
      batches.push(
        documentOutline(readProcessedDocument(body, object.key), object.key, got.ETag ?? object.etag),
      );
    } catch {
      leftOut.push(object.key); // the reader GETs it itself; the rest of the day is still sealed
    }
  };
  for (let i = 0; i < objects.length; i += SEAL_READS_AT_ONCE)
    await Promise.all(objects.slice(i, i + SEAL_READS_AT_ONCE).map(read));
  const doc = dayDocument(day.host, day.day, batches);
  await deps.s3.send(
    new PutObjectCommand({
      Bucket: deps.bucket,
      Key: day.key,
      Body: encodeDayRollups(doc),
      ContentType: 'application/json',
      ContentEncoding: 'gzip',
    }),
  );
  sealedHere.add(`${deps.bucket}/${day.key}`);
  return {
    day: day.day,
    outcome: 'sealed',
    batches: batches.length,
    ...(leftOut.length > 0 ? { leftOut } : {}),
  };
}

/**
 * The last day with data before `before` ('YYYY/MM/DD'), sealed unless its document exists; null when the host has
 * none. Found with LISTs by folder (Delimiter '/'): the days of `before`'s month, else the months of its year and the
 * days of the latest earlier one, else the years — 1 LIST after a pause within a month, 3 across months, 5 across
 * years; once per pause, since the empty day's document is written after it.
 */
async function sealEarlier(deps: Deps, host: string, before: string): Promise<SealResult | null> {
  const found = await lastDayBefore(deps, host, before);
  if (!found) return null;
  const day = dayRef(host, found);
  try {
    if (await isSealed(deps, day.key)) return { day: day.day, outcome: 'present' };
    return await sealDay(deps, day, await listAll(deps.s3, deps.bucket, day.prefix));
  } catch (error) {
    return { day: day.day, outcome: 'failed', error: toError(error).message };
  }
}

async function lastDayBefore(deps: Deps, host: string, before: string): Promise<string | null> {
  const [year, month, day] = before.split('/') as [string, string, string];
  /** The latest folder name under processed/{host}/{path}, below `below` when given. */
  const latestIn = async (path: string, below?: string) =>
    (await folders(deps, `processed/${host}/${path}`))
      .filter((n) => below === undefined || n < below)
      .at(-1) ?? null;
  // The days of its month; else the latest earlier month of its year; else the latest earlier year.
  const sameMonth = await latestIn(`${year}/${month}/`, day);
  if (sameMonth) return `${year}/${month}/${sameMonth}`;
  let y: string | null = year;
  let m = await latestIn(`${year}/`, month);
  if (!m) {
    y = await latestIn('', year);
    m = y ? await latestIn(`${y}/`) : null;
  }
  const d = y && m ? await latestIn(`${y}/${m}/`) : null;
  return d ? `${y}/${m}/${d}` : null;
}

/** The folder names directly under `prefix`, sorted ('processed/pc/2024/' → ['03', '04']). */
async function folders(deps: Deps, prefix: string): Promise<string[]> {
  return (await listPages(deps.s3, { Bucket: deps.bucket, Prefix: prefix, Delimiter: '/' }))
    .flatMap((page) => page.CommonPrefixes ?? [])
    .map((p) => p.Prefix!.slice(prefix.length, -1))
    .filter((name) => /^\d+$/.test(name))
    .sort();
}

/**
 * HEAD: false when missing. S3 answers a missing key with 404 only to a caller that may list the bucket, and the
 * role's ListBucket holds only for the `processed/` and `rollups/` prefixes — a condition a HEAD carries no prefix
 * for, so S3 may answer 403 instead. The role may read `rollups/*`, so a 403 here means missing too: at worst the
 * day is sealed again with the same entries.
 */
async function exists(s3: S3Client, bucket: string, key: string): Promise<boolean> {
  try {
    await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
    return true;
  } catch (error) {
    const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
    if (status === 404 || status === 403) return false;
    throw error;
  }
}

async function listAll(
  s3: S3Client,
  bucket: string,
  prefix: string,
): Promise<{ key: string; etag: string }[]> {
  return (await listPages(s3, { Bucket: bucket, Prefix: prefix }))
    .flatMap((page) => page.Contents ?? [])
    .filter((object) => object.Key?.endsWith('.json.gz') || object.Key?.endsWith('.json'))
    .map((object) => ({ key: object.Key!, etag: object.ETag ?? '' }));
}

/** Tests: forget what this container saw sealed. */
export function forgetSealedDays(): void {
  sealedHere.clear();
}
