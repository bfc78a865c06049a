/**
 * The outlines of many processed objects from their day documents (src/shared/process/day-rollups.ts), instead of
 * one GET per object:
 *
 *   await dayOutlines(store, listedObjects)
 *     → Map { 'processed/pc/2024/04/20/b.json.gz' → { sensors, sessionStarts, first, last, rollups } }
 *   await dayOutlines(store, listedObjects, (key, outline) => …)   each as its day comes, none kept (→ empty Map)
 *
 * One LIST of `rollups/{host}/` per host, then one GET per day document that covers at least two of the objects.
 * On S3 the newest of their days is left out: the Lambda seals a day when the next one begins (lambda/day-seal.ts),
 * so a dashboard opened on new batches of today alone makes no request more than before.
 * An object is in the map only when its day document has an entry with the object's listed ETag: a batch stored
 * after the document was written, reprocessed since, or whose update was lost is simply absent, and the caller
 * GETs it as before. A day document that cannot be listed, read or decoded counts as absent too — never an error.
 */
import {
  type DayBatchOutline,
  dayRollupsKeyFor,
  dayRollupsPrefix,
  decodeDayRollups,
  sameEtag,
} from '../../../shared/process/day-rollups';
import type { ListedObject, Store } from '../store/types';
import { toBatchRollups } from './decode-processed';
import type { DecodedOutline } from './types';

/** A day document is read only for this many objects or more (for one object, its own GET is no dearer). */
export const MIN_OBJECTS_PER_DAY = 2;

/**
 * Day documents read at once. With `each`, a day's outlines are handed on as it comes and not kept: priming a year
 * (366 documents, all at once and kept until the last) peaked at 490–500 MB RSS.
 */
const DAYS_IN_FLIGHT = 8;

export async function dayOutlines(
  store: Pick<Store, 'get' | 'list' | 'kind'>,
  objects: ListedObject[],
  each?: (key: string, outline: DecodedOutline) => Promise<void> | void,
): Promise<Map<string, DecodedOutline>> {
  const byDay = new Map<string, ListedObject[]>();
  for (const object of objects) {
    const day = dayRollupsKeyFor(object.key);
    if (day) byDay.set(day, [...(byDay.get(day) ?? []), object]);
  }
  const newest = store.kind === 's3' ? [...byDay.keys()].sort().at(-1) : undefined;
  const wanted = [...byDay].filter(([day, batch]) => batch.length >= MIN_OBJECTS_PER_DAY && day !== newest);
  const found = new Map<string, DecodedOutline>();
  if (wanted.length === 0) return found;
  const hosts = new Set(wanted.map(([day]) => day.split('/')[1]!));
  const listed = new Set<string>();
  await Promise.all(
    [...hosts].map(async (host) => {
      const days = await store.list(dayRollupsPrefix(host)).catch(() => []);
      for (const day of days) listed.add(day.key);
    }),
  );
  const days = wanted.filter(([day]) => listed.has(day));
  let next = 0;
  const reader = async () => {
    while (next < days.length) {
      const [day, batch] = days[next++]!;
      const entries = await readDay(store, day);
      for (const object of batch) {
        const entry = entries.get(object.key);
        if (!entry || !sameEtag(entry.etag, object.etag)) continue;
        if (each) await each(object.key, outlineOf(entry));
        else found.set(object.key, outlineOf(entry));
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(DAYS_IN_FLIGHT, days.length) }, reader));
  return found;
}

async function readDay(store: Pick<Store, 'get'>, key: string): Promise<Map<string, DayBatchOutline>> {
  try {
    const stored = await store.get(key);
    if (!stored) return new Map();
    return new Map(decodeDayRollups(stored.body).batches.map((entry) => [entry.key, entry]));
  } catch {
    return new Map();
  }
}

/** An entry → the outline outlineProcessed reads from the processed object itself (the same fields, the same values). */
export function outlineOf(entry: DayBatchOutline): DecodedOutline {
  const sensors = new Map<string, DecodedOutline['sensors'][number]>();
  for (const session of entry.sessions) {
    for (const column of session.columns)
      sensors.set(column.key, { key: column.key, name: column.name, unit: column.unit });
  }
  // As decodeProcessed: a second session always began at a header; the first one when the document says so.
  const sessionStarts = entry.sessions.flatMap((session, i) =>
    (i > 0 || session.header) && session.t0 !== null ? [session.t0] : [],
  );
  return {
    sensors: [...sensors.values()],
    sessionStarts,
    first: entry.firstT,
    last: entry.lastT,
    rollups: toBatchRollups(entry.rollups),
  };
}
